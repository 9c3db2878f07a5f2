# figures/05-clipping-norms.gp -- gradient norms of clean training runs.
# Left: |g_t|_2 of the first clean run at every step (grey dots), the 50th,
# 90th and 99th percentiles over all clean runs (lines), and the norms of the
# spiked batches in the first run clipped by norm (red).  Right: histogram of
# all clean norms, bins of equal width on a logarithmic scale.
stats f('norms-quantiles.tsv') using 'norm2' every ::5::5 nooutput
p50 = STATS_max
stats f('norms-quantiles.tsv') using 'norm2' every ::7::7 nooutput
p90 = STATS_max
stats f('norms-quantiles.tsv') using 'norm2' every ::9::9 nooutput
p99 = STATS_max
set multiplot
set size 0.62,1
set origin 0,0
set logscale y
set format y '$10^{%L}$'
set yrange [0.3:30000]
set xrange [0:500]
set xtics 100
set xlabel 'step $t$'
set ylabel 'gradient norm $\Vert g_t\Vert_2$'
set key top left Left reverse samplen 1.5 maxrows 3 width -1
plot f('norms.tsv') using 'step':'norm2' with points pt 7 ps 0.15 lc rgb '#909090' title 'clean run', \
     p50 with lines lt 1 lw 1 title 'median', \
     p90 with lines lt 3 lw 1 dt 2 title '90th pct', \
     p99 with lines lt 4 lw 1 dt 3 title '99th pct', \
     f('spikes-norms.tsv') using 'step':(column('spike') > 0 ? column('norm2') : NaN) \
       with points lt 2 pt 7 ps 0.5 title 'spiked batch'
set origin 0.62,0
set size 0.38,1
unset key
set logscale x
set xrange [0.4:6]
set format x '%g'
set xtics (0.5, 1, 2, 4)
unset logscale y
set format y '%g'
set yrange [0:*]
set ytics 2
set xlabel '$\Vert g_t\Vert_2$'
set ylabel 'percent of steps'
set lmargin at screen 0.72
set style fill solid 0.5 border lc rgb '#555555'
set arrow from p90, graph 0 to p90, graph 1 nohead lt 3 lw 1 dt 2 front
set label '90th pct' at p90, graph 0.95 left offset 0.4,0 font ',8' front
plot f('norms-hist.tsv') using (sqrt(column('lo')*column('hi'))):(50*column('fraction')):'lo':'hi':(0):(100*column('fraction')) \
       with boxxyerror lc rgb '#909090'
unset multiplot
