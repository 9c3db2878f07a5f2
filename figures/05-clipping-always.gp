# figures/05-clipping-always.gp -- clipping that is always active.  Left:
# test loss of clean runs, unclipped (eta 0.1), clipped at a quarter of the
# median norm (eta 0.1), unclipped at the mean effective rate, clipped with
# eta 0.4.  Right: effective learning rate eta m/|g_t| of one clipped run.
stats f('always-rate.tsv') using 'rate' nooutput
mean = STATS_mean
set multiplot
set size 0.58,1
set origin 0,0
set xrange [0:500]
set xtics 100
set xlabel 'step $t$'
set logscale y
set yrange [0.45:2.5]
set ytics (0.5, 0.6, 0.8, 1, 1.5, 2)
set ylabel 'test loss'
set key top right Left reverse samplen 1.5
plot f('always-loss.tsv') using 'step':'clean' with lines lt 6 dt 2 title 'no clipping, $\eta=0.1$', \
     '' using 'step':'low' with lines lt 2 title 'clipped, $\eta=0.1$', \
     '' using 'step':'scaled' with lines lt 1 dt 4 title 'no clipping, $\eta\bar c$', \
     '' using 'step':'normalized' with lines lt 3 title 'clipped, $\eta=0.4$'
set origin 0.58,0
set size 0.42,1
unset logscale y
set yrange [0:0.08]
set ytics 0.02
set ylabel 'effective rate $\eta m/\Vert g_t\Vert$'
set xtics 250
set lmargin at screen 0.69
unset key
plot f('always-rate.tsv') using 'step':'rate' with points pt 7 ps 0.15 lc rgb '#909090', \
     mean with lines lt 1 lw 1
unset multiplot
