# figures/04-schedules-range.gp -- left: the learning-rate range test, the
# mini-batch loss (grey) and its smoothed value (black) against the rate on a
# logarithmic axis, with the three picks (rows of range-picks.tsv: steepest
# descent, a tenth of the minimum, the minimum).  Right: two epochs of cosine
# annealing from each pick, one-cycle peaking at the minimum's rate, and (grey)
# the hand-picked rate 0.1 of the decay experiment.
set multiplot
set size 0.5,1
set origin 0,0
set bmargin 3
set logscale x
set format x '$10^{%L}$'
set xrange [1e-5:10]
set xtics 1e-5, 100, 10
set mxtics 10
set xlabel 'rate $\eta$'
set ylabel 'mini-batch loss'
set yrange [0:3.5]
set ytics 0, 0.5, 3.5
set format y '%.1f'
set key top left Left reverse samplen 1.5
plot f('range.tsv') using 'lr':'loss' with lines lc rgb '#b0b0b0' lw 0.8 title 'raw', \
     f('range.tsv') using 'lr':'smooth' with lines lt 8 lw 1.5 title 'smoothed', \
     f('range-picks.tsv') every ::0::0 using 'lr':'smooth' with points lt 1 pt 7 ps 0.9 title 'steepest', \
     f('range-picks.tsv') every ::1::1 using 'lr':'smooth' with points lt 3 pt 5 ps 0.9 title 'min/10', \
     f('range-picks.tsv') every ::2::2 using 'lr':'smooth' with points lt 2 pt 9 ps 1.1 title 'minimum'
unset logscale x
set size 0.5,1
set origin 0.5,0
set format x '%g'
set xlabel 'step $t$'
set ylabel 'mini-batch loss (smoothed)'
set xrange [*:*]
set yrange [*:*]
stats f('range-steep.tsv') using 'step' nooutput
set xrange [0:STATS_max]
set xtics 0, 200
unset mxtics
set yrange [0.3:1.1]
set ytics 0.3, 0.1, 1.1
set key top right Left reverse samplen 1.5 spacing 0.95
plot f('decay-cosine.tsv') using 'step':'smooth' with lines lc rgb '#aaaaaa' lw 2 title 'hand-picked', \
     f('range-steep.tsv') using 'step':'smooth' with lines lt 1 title 'steepest', \
     f('range-tenth.tsv') using 'step':'smooth' with lines lt 3 title 'min/10', \
     f('range-min.tsv') using 'step':'smooth' with lines lt 2 title 'minimum', \
     f('range-onecycle.tsv') using 'step':'smooth' with lines lt 4 title 'one-cycle'
unset multiplot
