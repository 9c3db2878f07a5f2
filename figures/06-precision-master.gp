# figures/06-precision-master.gp -- weights stored in 16 bits against fp32
# master weights.  Left: training loss (mean over windows of steps) at the
# small rate 0.002.  Right: the fraction of nonzero updates that did not
# change the stored weight, at both rates.  Columns of loss.tsv and
# lost.tsv: step, then one per run (names as in the program's run table).
set multiplot layout 1,2
set xlabel 'step'
set xtics 1000
set ylabel 'training loss'
set yrange [0.4:2.4]
set key bottom left Left reverse
plot f('loss.tsv') using 'step':'fp32small' with lines lt 1 title 'fp32', \
     '' using 'step':'fp16dynsmall' with linespoints lt 7 pt 6 ps 0.5 pi 4 title 'fp16, master', \
     '' using 'step':'fp16puresmall' with lines lt 2 title 'fp16 weights', \
     '' using 'step':'bf16puresmall' with lines lt 3 title 'bf16 weights'
set ylabel 'updates lost'
set logscale y
set format y '$10^{%L}$'
set yrange [1e-3:2]
set ytics 1e-3, 10, 1
# colours as on the left; the line style tells the rate (its own key)
set key at graph 0.97, graph 0.62 right top Left reverse samplen 2.5 opaque
plot f('lost.tsv') using 'step':'fp32small' with lines lt 1 notitle, \
     '' using 'step':'fp16puresmall' with lines lt 2 notitle, \
     '' using 'step':'bf16puresmall' with lines lt 3 notitle, \
     '' using 'step':'fp16pure' with lines lt 2 dt 3 lw 2.5 notitle, \
     '' using 'step':'bf16pure' with lines lt 3 dt 3 lw 2.5 notitle, \
     '' using 'step':'fp32' with lines lt 1 dt 3 lw 2.5 notitle, \
     NaN with lines lt 8 lw 1.2 title '$\eta=0.002$', \
     NaN with lines lt 8 dt 3 lw 2.5 title '$\eta=0.05$'
unset multiplot
