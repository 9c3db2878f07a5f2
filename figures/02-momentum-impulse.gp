# figures/02-momentum-impulse.gp -- the impulse response of the momentum
# buffer: SGD with lr 1 fed the gradient 1 on step 1, then 0.  Columns of
# impulse.tsv: step, then the buffer b_t for mu = 0, 0.5, 0.9, 0.99 (2-5),
# then the distance travelled for the same momenta (6-9).
set multiplot layout 1,2
set xlabel 'step $t$'
set ylabel 'step taken, $b_t$'
set xrange [0:30]
set yrange [0:1.05]
set xtics 10
set ytics 0.2
set key at 29, 0.7 right Left reverse samplen 1.5
plot f('impulse.tsv') using 'step':3 with linespoints lt 1 pt 7 ps 0.3 title '$\mu=0.5$', \
     '' using 'step':4 with linespoints lt 2 pt 7 ps 0.3 title '$\mu=0.9$', \
     '' using 'step':5 with linespoints lt 3 pt 7 ps 0.3 title '$\mu=0.99$', \
     '' using 'step':2 with linespoints lt 6 pt 7 ps 0.3 title '$\mu=0$'
set logscale xy
set format x '$10^{%L}$'
set format y '$10^{%L}$'
set xrange [1:1000]
set yrange [0.7:200]
set xtics 10
set ytics 10
set ylabel 'distance travelled'
unset key
plot f('impulse.tsv') using 'step':7 with lines lt 1, \
     '' using 'step':8 with lines lt 2, \
     '' using 'step':9 with lines lt 3, \
     '' using 'step':6 with lines lt 6, \
     2 with lines lt 1 lw 0.8 dt 2, 10 with lines lt 2 lw 0.8 dt 2, \
     100 with lines lt 3 lw 0.8 dt 2, 1 with lines lt 6 lw 0.8 dt 2
unset multiplot
