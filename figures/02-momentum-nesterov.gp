# figures/02-momentum-nesterov.gp -- Sutskever's and PyTorch's Nesterov on a
# random 10-dimensional quadratic: relative differences between the iterates
# against the step.  Dashed: t times the unit roundoff of double and float.
set logscale xy
set format x '$10^{%L}$'
set format y '$10^{%L}$'
set xlabel 'step $t$'
set ylabel 'relative difference'
set xrange [1:1000]
set yrange [1e-17:10]
set ytics 1e-16, 1e4, 1
set key outside right top Left reverse width -2 spacing 1.3
plot f('nesterov.tsv') using 'step':'raw' with lines lt 6 title '$p_t$ vs.\ $\theta_t$', \
     '' using 'step':'float' with lines lt 2 title 'library vs.\ double', \
     '' using 'step':'double' with lines lt 1 title '$p_t$ vs.\ $\theta_t+\mu v_t$', \
     x * 2**-24 with lines lt 2 lw 0.8 dt 2 title '$t\cdot2^{-24}$', \
     x * 2**-53 with lines lt 1 lw 0.8 dt 2 title '$t\cdot2^{-53}$'
