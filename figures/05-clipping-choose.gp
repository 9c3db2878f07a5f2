# figures/05-clipping-choose.gp -- final test loss of spiked runs clipped by
# norm against max_norm.  Dashed: the clean runs.  Vertical lines: the median, the 90th
# percentile and the largest of the clean gradient norms.
stats f('choose-ref.tsv') using 'clean' nooutput
clean = STATS_max
stats f('choose-ref.tsv') using 'median' nooutput
med = STATS_max
stats f('choose-ref.tsv') using 'ninety' nooutput
p90 = STATS_max
stats f('choose-ref.tsv') using 'largest' nooutput
big = STATS_max
set logscale x
set format x '$10^{%L}$'
set xrange [0.5:1000]
set logscale y
set yrange [0.45:3]
set ytics (0.5, 0.6, 0.8, 1, 1.5, 2, 3)
set format y '%g'
set xlabel '{\tt max\_norm}'
set ylabel 'final test loss'
set arrow from med, graph 0 to med, graph 1 nohead lc rgb '#a0a0a0' lw 0.8 dt 3
set arrow from p90, graph 0 to p90, graph 1 nohead lc rgb '#a0a0a0' lw 0.8 dt 2
set arrow from big, graph 0 to big, graph 1 nohead lc rgb '#a0a0a0' lw 0.8
set label 'median' at med, graph 0.62 right rotate by 90 offset -0.3,0
set label '90th percentile' at p90, graph 0.62 right rotate by 90 offset -0.3,0
set label 'largest' at big, graph 0.62 right rotate by 90 offset -0.3,0
set key top center Left reverse samplen 1.5
plot f('choose.tsv') using 'maxnorm':'loss' with linespoints lt 1 pt 7 ps 0.6 title 'spikes, clipped by norm', \
     clean with lines lt 6 dt 2 title 'no spikes, no clipping'
