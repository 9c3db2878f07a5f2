# figures/11-beyond-wsd.gp -- left: the learning rates (wsdlr.tsv); right: the
# validation loss of the branches and the finished schedules (wsd.tsv).
set terminal tikz tex size 5.2in,2.6in
set multiplot layout 1,2
set xlabel 'step'
set ylabel 'learning rate'
set format y '%.0s$\cdot10^{%T}$'
set key bottom left Left reverse samplen 2 font ',8'
plot f('wsdlr.tsv') using 'step':'coolA' with lines lt 1 title 'WSD, short', \
     f('wsdlr.tsv') using 'step':'coolC' with lines lt 5 dt 4 title 'WSD, long', \
     f('wsdlr.tsv') using 'step':'cosine' with lines lt 2 dt 2 title 'cosine', \
     f('wsdlr.tsv') using 'step':'cosineten' with lines lt 6 dt 3 title 'cos.\ to 10\%', \
     f('wsdlr.tsv') using 'step':'linzero' with lines lt 3 dt 5 title 'linear to 0'
set format y '%.2f'
set ylabel 'validation loss'
stats f('wsd.tsv') using 'step' nooutput
set xrange [STATS_max/2:STATS_max]
set autoscale y
set key top right Right noreverse
plot f('wsd.tsv') using 'step':'coolA' with lines lt 1 title '$T/20$', \
     f('wsd.tsv') using 'step':'coolB' with lines lt 4 dt 6 title '$T/10$', \
     f('wsd.tsv') using 'step':'coolC' with lines lt 5 dt 4 title '$T/5$', \
     f('wsd.tsv') using 'step':'cosine' with lines lt 2 dt 2 title 'cosine', \
     f('wsd.tsv') using 'step':'linzero' with lines lt 3 dt 5 title 'lin.\ to 0'
unset multiplot
