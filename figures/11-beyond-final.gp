# figures/11-beyond-final.gp -- final validation loss of each schedule, mean and
# standard deviation over seeds (final.tsv).
set terminal tikz tex size 5in,2.4in
set xrange [-0.6:5.6]
set xtics ('WSD $T/20$' 0, 'WSD $T/10$' 1, 'WSD $T/5$' 2, 'cosine' 3, 'cos.\ 10\%%' 4, 'lin.\ to 0' 5)
set ylabel 'final validation loss'
set grid noxtics
plot f('final.tsv') using 'index':'loss':'sd' with yerrorbars lt 1 pt 7 ps 0.8
