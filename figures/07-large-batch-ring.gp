# figures/07-large-batch-ring.gp -- modelled time per step against the number of
# ranks (ring.tsv): computation T_1/p plus a ring all-reduce, for the book's MLP,
# a 1e8- and a 7e9-parameter model; dashed: computation alone.
set terminal tikz tex size 5in,2.8in
set logscale x 2
set logscale y 10
set format x '$2^{%L}$'
set xrange [1:16384]
set xtics 4
set format y '$10^{%L}$'
set xlabel 'ranks $p$'
set ylabel 'time per step (s)'
set key outside right top Left reverse samplen 2 width -2
plot f('ring.tsv') using 'ranks':'m7b' with linespoints lt 4 pt 7 ps 0.4 title '$7\times10^9$ parameters', \
     '' using 'ranks':'m100' with linespoints lt 2 pt 5 ps 0.4 title '$10^8$ parameters', \
     '' using 'ranks':'mlp' with linespoints lt 1 pt 9 ps 0.5 title 'the MLP', \
     '' using 'ranks':'m7bcompute' with lines lt 4 dt 2 lw 1, \
     '' using 'ranks':'m100compute' with lines lt 2 dt 2 lw 1, \
     '' using 'ranks':'mlpcompute' with lines lt 1 dt 2 lw 1, \
     NaN with lines lt 8 lw 2 title 'with all-reduce', \
     NaN with lines lt 8 dt 2 lw 1 title 'computation alone'
