# figures/11-beyond-wsd.gp -- left: the learning rates (wsdlr.tsv); right: the
# validation loss of the branches and the finished schedules (wsd.tsv).  One
# legend, below both panels.
set terminal tikz tex size 5.2in,3.0in
set multiplot
set size 0.5,0.82
set origin 0,0.18
set xlabel 'step'
set xtics 100
set ylabel 'learning rate ($10^{-3}$)'
set key noautotitle
plot f('wsdlr.tsv') using 'step':(1e3*column('coolA')) with lines lt 1, \
     f('wsdlr.tsv') using 'step':(1e3*column('coolC')) with lines lt 5 dt 4, \
     f('wsdlr.tsv') using 'step':(1e3*column('cosine')) with lines lt 2 dt 2, \
     f('wsdlr.tsv') using 'step':(1e3*column('cosineten')) with lines lt 6 dt 3, \
     f('wsdlr.tsv') using 'step':(1e3*column('linzero')) with lines lt 3 dt 5
set origin 0.5,0.18
set ylabel 'validation loss'
set format y '%.2f'
stats f('wsd.tsv') using 'step' nooutput
set xrange [STATS_max/2:STATS_max]
set xtics 50
set key at screen 0.5,0.06 center center horizontal maxcols 6 samplen 2 width 1
plot f('wsd.tsv') using 'step':'coolA' with lines lt 1 title 'WSD $T/20$', \
     f('wsd.tsv') using 'step':'coolB' with lines lt 4 dt 6 title '$T/10$', \
     f('wsd.tsv') using 'step':'coolC' with lines lt 5 dt 4 title '$T/5$', \
     f('wsd.tsv') using 'step':'cosine' with lines lt 2 dt 2 title 'cosine', \
     f('wsd.tsv') using 'step':'cosineten' with lines lt 6 dt 3 title 'cos.\ to 10\%', \
     f('wsd.tsv') using 'step':'linzero' with lines lt 3 dt 5 title 'linear to 0'
unset multiplot
