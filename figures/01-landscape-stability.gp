# figures/01-landscape-stability.gp -- gradient descent on the ravine
# (20 x^2 + y^2)/2 from (1, 1): loss against step for six step sizes around
# the stability limit 0.1.  Columns of stability-loss.tsv: step, then one per
# step size, in the order of stab_eta in chapters/01-landscape.w:
#   2: 0.02  3: 0.05  4: 0.09  5: 2/21  6: 0.099  7: 0.1  8: 0.101  9: 0.11
set logscale y
set format y '$10^{%L}$'
set xlabel 'step $t$'
set ylabel 'loss $f(\theta_t)$'
set xrange [0:100]
set yrange [1e-6:1e6]
set ytics 1e-6, 100, 1e6
set key outside right top Left reverse
plot f('stability-loss.tsv') using 'step':3 with lines lt 1 title '$\eta=0.05$', \
     '' using 'step':4 with lines lt 3 title '$\eta=0.09$', \
     '' using 'step':6 with lines lt 4 title '$\eta=0.099$', \
     '' using 'step':7 with lines lt 6 title '$\eta=0.1$', \
     '' using 'step':8 with lines lt 5 title '$\eta=0.101$', \
     '' using 'step':9 with lines lt 2 title '$\eta=0.11$'
