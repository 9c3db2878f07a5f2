# figures/03-adaptive-bias.gp -- Adam's bias corrections against the step
# (bias.tsv): 1/(1-beta1^t) on m, 1/sqrt(1-beta2^t) on sqrt(v), their ratio
# (an uncorrected Adam's step on a constant gradient, in units of lr), and
# the library's Adam and RMSprop measured on the constant gradient 1.
set logscale xy
set format x '$10^{%L}$'
set xlabel 'step $t$'
set ylabel 'factor'
set xrange [0.8:12000]
set yrange [0.8:40]
set ytics (1, 2, 3, 5, 10, 20, 30)
set key outside right top Left reverse samplen 1.5 spacing 1.6
plot f('bias.tsv') using 'step':'mcorr' with lines lt 1 title '$1/(1-\beta_1^t)$', \
     '' using 'step':'vcorr' with lines lt 2 dt 2 title '$1/\sqrt{1-\beta_2^t}$', \
     '' using 'step':'uncorrected' with lines lt 3 dt 4 title 'uncorrected step', \
     '' using 'step':'adam' with points lt 8 pt 7 ps 0.3 title 'Adam, measured', \
     '' using 'step':'rmsprop' with points lt 4 pt 6 ps 0.4 title 'RMSprop, measured'
