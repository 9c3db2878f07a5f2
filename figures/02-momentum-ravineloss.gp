# figures/02-momentum-ravineloss.gp -- the loss on Chapter 1's ravine
# (20 x^2 + y^2)/2 from (1, 1) of the five methods of the chapter's table:
# gradient descent (eta = 2/21), the tuned heavy ball and Nesterov's method,
# and both with mu = 0.9, eta = 0.02.
set terminal tikz tex size 5in,2.6in
set output outfile
set logscale y
set format y '$10^{%L}$'
set xrange [0:150]
set yrange [1e-14:1e2]
set xtics 25
set ytics 1e-14, 1e2, 1e2
set xlabel 'step $t$'
set ylabel 'loss $f(\theta_t)$'
set key outside right top Left reverse
plot f('ravine-loss.tsv') using 'step':'gd' with lines lt 2 lw 1.2 title 'gradient descent', \
     '' using 'step':'hb' with lines lt 1 lw 1.2 title 'heavy ball, tuned', \
     '' using 'step':'hb09' with lines lt 7 dt 2 lw 1.2 title 'heavy ball, $\mu=0.9$', \
     '' using 'step':'nag09' with lines lt 5 dt 4 lw 1.2 title 'Nesterov, $\mu=0.9$', \
     '' using 'step':'nag' with lines lt 4 dt 3 lw 1.2 title 'Nesterov, tuned'
