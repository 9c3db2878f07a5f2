# figures/06-precision-gradients.gp -- histogram of the gradient entries of
# the three layers of the MLP by binade floor(log2 |g|), as a fraction of
# each layer's nonzero entries, with the ranges where fp16 stores a value as
# a subnormal (2^-25 < |g| < 2^-14) or flushes it to zero (|g| <= 2^-25).
# Columns of gradients.tsv: binade, layer1, layer2, layer3.
set xrange [-40:4]
set xtics -40, 4, 4 format '$2^{%g}$'
set xlabel 'gradient magnitude $\vert g\vert$ (binade)'
set ylabel 'fraction of entries'
set yrange [0:*]
set object 1 rect from -40, graph 0 to -25, graph 1 fc rgb '#c8c8c8' fs solid noborder behind
set object 2 rect from -25, graph 0 to -14, graph 1 fc rgb '#ececec' fs solid noborder behind
set label 1 'flushed' at -32.5, graph 0.93 center
set label 2 'subnormal' at -19.5, graph 0.93 center
set label 3 'normal' at -5, graph 0.93 center
set key at graph 0.01, graph 0.84 left top Left reverse samplen 1.5
plot f('gradients.tsv') using 'binade':'layer1' with steps lt 1 title 'layer 1, $784\to128$', \
     '' using 'binade':'layer2' with steps lt 2 title 'layer 2, $128\to64$', \
     '' using 'binade':'layer3' with steps lt 3 title 'layer 3, $64\to10$'
