# figures/03-adaptive-sweep.gp -- validation accuracy against the learning
# rate for SGD with momentum 0.9 and for Adam (sweep.tsv), the chosen rates
# circled (chosen.tsv).
set logscale x
set format x '$10^{%L}$'
set xlabel 'learning rate $\eta$'
set ylabel 'validation accuracy (\%)'
set xrange [1e-4:1]
set yrange [60:90]
set ytics 5
set key bottom left Left reverse samplen 1.5
plot f('sweep.tsv') using 'sgd_lr':'sgd_val' with linespoints lt 1 pt 7 ps 0.5 title 'SGD, momentum 0.9', \
     '' using 'adam_lr':'adam_val' with linespoints lt 2 pt 7 ps 0.5 title 'Adam', \
     f('chosen.tsv') using 'sgd_lr':'sgd_val' with points lt 8 pt 6 ps 1.2 title 'chosen', \
     '' using 'adam_lr':'adam_val' with points lt 8 pt 6 ps 1.2 notitle
