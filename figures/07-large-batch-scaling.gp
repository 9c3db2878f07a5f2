# figures/07-large-batch-scaling.gp -- test accuracy against the batch size, the
# rate scaled with the batch (linear rule with warmup) and left at eta_0; mean
# and standard deviation over seeds (scaling.tsv).
set terminal tikz tex size 5in,2.6in
set logscale x 2
set xrange [11:1500]
set xtics (16, 64, 256, 1024)
set yrange [0:100]
set ytics 20
set xlabel 'batch size $B$'
set ylabel 'test accuracy (\%)'
set key bottom left Left reverse samplen 2
plot f('scaling.tsv') using 'batch':(100*column('scaled')):(100*column('scaledsd')) \
       with yerrorlines lt 1 pt 7 ps 0.6 title '$\eta=\eta_0B/16$ (linear rule, warmup)', \
     f('scaling.tsv') using 'batch':(100*column('fixed')):(100*column('fixedsd')) \
       with yerrorlines lt 2 dt 2 pt 5 ps 0.6 title '$\eta=\eta_0$ at every $B$'
