# figures/11-beyond-sf.gp -- left: final validation loss against the length of the
# run, cosine (tuned per length) and schedule-free at x and at y, mean and standard
# deviation over seeds (sf.tsv); right: the schedule-free run's validation loss at x
# and at y along the longest run (sfcurve.tsv).  One legend, below both panels.
set terminal tikz tex size 5.2in,3.0in
set multiplot
set size 0.5,0.82
set origin 0,0.18
set xlabel 'steps $T$ (log scale)'
set logscale x 2
set xrange [90:720]
set xtics (128, 256, 512)
set ylabel 'final validation loss'
set format y '%.2f'
set key noautotitle
plot f('sf.tsv') using ($1*0.96):'cos':'cossd' with yerrorlines lt 2 dt 2 pt 5 ps 0.8, \
     f('sf.tsv') using 1:'freex':'freexsd' with yerrorlines lt 1 pt 7 ps 0.8, \
     f('sf.tsv') using ($1*1.04):'freey':'freeysd' with yerrorlines lt 3 dt 4 pt 9 ps 0.8
unset logscale x
set origin 0.5,0.18
set xlabel 'step'
set autoscale x
set xtics 100
set ylabel 'validation loss'
set yrange [0.3:0.9]
set key at screen 0.5,0.06 center center horizontal maxcols 4 samplen 2 width 1
plot f('sfcurve.tsv') using 'step':'freex' with lines lt 1 title 'schedule-free at $x$', \
     f('sfcurve.tsv') using 'step':'freey' with lines lt 3 dt 4 title 'schedule-free at $y$', \
     NaN with linespoints lt 2 dt 2 pt 5 title 'cosine, tuned per length'
unset multiplot
