# figures/04-schedules-warmup.gp -- Adam at peak rate 0.1 on warmup-cosine.
# Left: the mini-batch loss of the first 100 steps (mean over the seeds), with
# no warmup and with 5 percent, and the two rates on the right axis.  Right:
# the test loss after one epoch against the warmup length (mean, and the
# range over the seeds as an error bar).
set multiplot
set size 0.56,1
set origin 0,0
set bmargin 3
set rmargin 5
set xlabel 'step $t$'
set ylabel 'mini-batch loss' offset 1,0
set logscale y
set yrange [0.3:300]
set ytics ('0.3' 0.3, '1' 1, '3' 3, '10' 10, '30' 30, '100' 100, '300' 300)
set xrange [0:100]
set xtics 0, 20, 100
set y2range [0:0.4]
set y2tics 0, 0.05, 0.1 nomirror
set label 1 'rate' at second 60, second 0.118 center
set border 11
set key top right Left reverse samplen 1.5
plot f('warmup-off.tsv') using 'step':'loss' with lines lt 2 title 'no warmup', \
     f('warmup-on.tsv') using 'step':'loss' with lines lt 1 title 'warmup 5\%', \
     f('warmup-off.tsv') using 'step':'lr' axes x1y2 with lines lt 2 lw 1.2 dt 2 notitle, \
     f('warmup-on.tsv') using 'step':'lr' axes x1y2 with lines lt 1 lw 1.2 dt 2 notitle
unset y2tics
unset label 1
set size 0.44,1
set origin 0.56,0
set rmargin 1
set lmargin 8
set border 3
unset logscale y
set xlabel 'warmup (percent of the steps)'
set ylabel 'test loss'
set xrange [-0.5:5.5]
set yrange [0.4:1.2]
set ytics 0.4, 0.2, 1.2
set format y '%.1f'
unset key
plot f('warmup-sweep.tsv') using 0:'mean':'lo':'hi':xtic(stringcolumn('percent')) \
     with yerrorlines lt 1 pt 7 ps 0.5
unset multiplot
