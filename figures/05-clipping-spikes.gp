# figures/05-clipping-spikes.gp -- test loss (500 test images, mean over the
# seeds) of clean and spiked runs.  Spikes at steps 50, 150, ..., 450 (thin
# vertical lines).  Left (log scale): clean, spiked without clipping, spiked
# and clipped by norm.  Right (linear): the runs that survive, and value.
set multiplot layout 1,2
set xrange [0:500]
set xtics 100
set xlabel 'step $t$'
set for [s=50:450:100] arrow from s, graph 0 to s, graph 1 nohead lc rgb '#c8c8c8' lw 0.5 back
set logscale y
set format y '$10^{%L}$'
set yrange [0.3:1e4]
set ytics 0.1, 10, 1e4
set ylabel 'test loss'
set key tmargin center horizontal Left reverse samplen 2 width 2 maxrows 2
plot f('spikes-loss.tsv') using 'step':'spiked' with lines lt 2 title 'no clipping', \
     '' using 'step':'norm' with lines lt 1 dt 4 title 'norm', \
     '' using 'step':'clean' with lines lt 6 dt 2 title 'no spikes'
unset logscale y
set format y '%g'
set yrange [0.4:1.4]
set ytics 0.2
set key tmargin center horizontal Left reverse samplen 2 width 2 maxrows 2
plot f('spikes-loss.tsv') using 'step':'value' with lines lt 5 title 'value', \
     '' using 'step':'inf' with lines lt 3 dt 5 title 'max-norm', \
     '' using 'step':'norm' with lines lt 1 dt 4 title 'norm', \
     '' using 'step':'clean' with lines lt 6 dt 2 title 'no spikes'
unset multiplot
