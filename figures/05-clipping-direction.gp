# figures/05-clipping-direction.gp -- one gradient of the chapter's MLP,
# clipped by value at thresholds v from |g|_inf down to 2^-20 |g|_inf.
# Left: cosine between the clipped and the original gradient, for a clean
# batch (solid) and the same batch spiked (pixels 0..255, dashed), with the
# sign-vector limits (thin).  Right: the fraction of entries that were cut.
stats f('direction-sign.tsv') using 'cos' nooutput
sg = STATS_max
stats f('direction-sign.tsv') using 'cosspike' nooutput
sh = STATS_max
set multiplot layout 1,2
set logscale x 2
set xrange [2**-20:1.5]
set xtics 2**-20, 2**4
set format x '$2^{%L}$'
set xlabel 'threshold $v/\Vert g\Vert_\infty$'
set ylabel 'cosine with the unclipped gradient'
set yrange [0.4:1.02]
set ytics 0.1
set key top left Left reverse samplen 1.5
plot f('direction.tsv') using 'ratio':'cos' with lines lt 1 title 'ordinary batch', \
     '' using 'ratio':'cosspike' with lines lt 2 dt 2 title 'spiked batch', \
     sg with lines lt 1 lw 0.6 dt 3 notitle, \
     sh with lines lt 2 lw 0.6 dt 3 notitle
set ylabel 'fraction of entries clipped'
set yrange [0:1]
set ytics 0.2
set key top right
plot f('direction.tsv') using 'ratio':'frac' with lines lt 1 title 'ordinary batch', \
     '' using 'ratio':'fracspike' with lines lt 2 dt 2 title 'spiked batch'
unset multiplot
