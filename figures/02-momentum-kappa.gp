# figures/02-momentum-kappa.gp -- steps until the loss has fallen by 1e10 on
# (kappa x^2 + y^2)/2 against kappa: gradient descent, tuned heavy ball and
# tuned Nesterov; points measured, lines the theory's ln(eps)/(2 ln rho).
set logscale xy
set format x '$10^{%L}$'
set format y '$10^{%L}$'
set xlabel 'condition number $\kappa$'
set ylabel 'steps to reduce the loss by $10^{10}$'
set xrange [8:1.25e4]
set yrange [10:1e5]
set key top left Left reverse
plot f('kappa.tsv') using 'kappa':'gd' with points lt 2 pt 7 ps 0.5 title 'gradient descent', \
     '' using 'kappa':'gd_theory' with lines lt 2 lw 0.8 notitle, \
     '' using 'kappa':'hb' with points lt 1 pt 5 ps 0.5 title 'heavy ball, tuned', \
     '' using 'kappa':'hb_theory' with lines lt 1 dt 2 lw 0.8 notitle, \
     '' using 'kappa':'nag' with points lt 4 pt 9 ps 0.6 title 'Nesterov, tuned', \
     '' using 'kappa':'nag_theory' with lines lt 4 dt 4 lw 0.8 notitle
