# figures/02-momentum-sweep.gp -- loss after 300 steps on (20 x^2 + y^2)/2
# from (1, 1) against the learning rate, for SGD, momentum (mu = 0.9) and
# Adam; the large marks are the rates of the source's table.  Diverged runs
# are missing (NaN in sweep.tsv).
set logscale xy
set format x '$10^{%L}$'
set format y '$10^{%L}$'
set xlabel 'learning rate $\eta$'
set ylabel 'loss after 300 steps'
set xrange [1e-3:10]
set yrange [1e-26:1e4]
set ytics 1e-24, 1e4, 1e4
set key outside right top Left reverse
set arrow from 0.1, 1e-26 to 0.1, 1e4 nohead lt 2 lw 0.6 dt 2
set arrow from 0.19, 1e-26 to 0.19, 1e4 nohead lt 1 lw 0.6 dt 2
plot f('sweep.tsv') using 'lr':'sgd' with linespoints lt 2 pt 7 ps 0.3 title 'SGD', \
     '' using 'lr':'momentum' with linespoints lt 1 dt 2 pt 5 ps 0.3 title 'momentum $0.9$', \
     '' using 'lr':'adam' with linespoints lt 3 dt 4 pt 9 ps 0.35 title 'Adam', \
     f('table.tsv') using 'lr':'loss' with points lt 8 pt 6 ps 1.2 title 'the source'
