# figures/03-adaptive-decay.gp -- decay received per step, divided by
# AdamW's nominal lr*lambda*theta, against the gradient scale sigma
# (decay-toy.tsv), for Adam with L2 (points), AdamW (crosses) and the
# prediction 1/sqrt(sigma^2 + lambda^2) (lines), at two values of lambda.
set logscale xy
set format x '$10^{%L}$'
set format y '$10^{%L}$'
set xlabel 'gradient scale $\sigma$'
set ylabel 'decay / $\eta\lambda\theta$'
set xrange [5e-6:20]
set yrange [0.03:3e4]
set xtics 1e-5, 10, 10
set ytics 0.1, 10, 1e4
set key outside right top Left reverse samplen 2 spacing 1.2
plot f('decay-toy.tsv') using 'sigma':'theoryA' with lines lt 1 lw 1 title '$\lambda=10^{-2}$, theory', \
     '' using 'sigma':'ltwoA' with points lt 1 pt 7 ps 0.5 title 'Adam with $L_2$', \
     '' using 'sigma':'adamwA' with points lt 1 pt 2 ps 1.1 lw 1.5 title 'AdamW', \
     '' using 'sigma':'theoryB' with lines lt 2 dt 2 lw 1 title '$\lambda=10^{-4}$, theory', \
     '' using 'sigma':'ltwoB' with points lt 2 pt 5 ps 0.5 title 'Adam with $L_2$', \
     '' using 'sigma':'adamwB' with points lt 2 pt 3 ps 1.1 lw 1.5 title 'AdamW'
