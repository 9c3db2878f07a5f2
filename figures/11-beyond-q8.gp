# figures/11-beyond-q8.gp -- left: the fraction of coordinates whose v decodes to 0
# while m does not, at each stop of an fp32 run, per code (q8err.tsv); right: the
# validation loss of fp32 AdamW and of the eight-bit runs, mean over seeds, failed
# runs counted at 10 (q8.tsv).  One legend, below both panels.
set terminal tikz tex size 5.2in,3.0in
set multiplot
set size 0.5,0.82
set origin 0,0.18
set xlabel 'step'
set ylabel '$v$ lost (\% of coordinates)'
set key noautotitle
plot f('q8err.tsv') using 'step':(100*column('dynz')) with linespoints lt 1 pt 7 ps 0.6, \
     f('q8err.tsv') using 'step':(100*column('smallz')) with linespoints lt 4 dt 2 pt 5 ps 0.6, \
     f('q8err.tsv') using 'step':(100*column('linz')) with linespoints lt 3 dt 4 pt 9 ps 0.6
set origin 0.5,0.18
set ylabel 'validation loss (log scale)'
set logscale y
set yrange [0.3:12]
set key at screen 0.5,0.06 center center horizontal maxcols 4 samplen 2 width 1
plot f('q8.tsv') using 'step':'full' with lines lt 2 lw 2 title 'fp32', \
     f('q8.tsv') using 'step':'dyn' with lines lt 1 title 'dynamic, 2048', \
     f('q8.tsv') using 'step':'small' with lines lt 4 dt 2 title 'dynamic, 256', \
     f('q8.tsv') using 'step':'lin' with lines lt 3 dt 4 title 'linear, 2048'
unset multiplot
