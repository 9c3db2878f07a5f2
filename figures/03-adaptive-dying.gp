# figures/03-adaptive-dying.gp -- median effective step, in units of the
# learning rate, against the step.  Left: coordinates whose gradients are
# N(0,1) noise (dying-noise.tsv); right: a 784-128-10 network on
# Fashion-MNIST (dying-mlp.tsv).
set multiplot layout 1,2
set logscale xy
set format x '$10^{%L}$'
set format y '$10^{%L}$'
set xlabel 'step $t$'
set ylabel 'effective step / $\eta$'
set xrange [1:10000]
set yrange [1e-9:1e2]
set ytics 1e-8, 100, 1e2
set key bottom left Left reverse samplen 2.5 spacing 1.15 opaque
plot f('dying-noise.tsv') using 'step':'adagrad' with lines lt 1 title 'Adagrad', \
     '' using 'step':'decay' with lines lt 2 dt 4 title 'Adagrad, $\delta=0.01$', \
     '' using 'step':'init' with lines lt 3 dt 2 title 'Adagrad, $s_0=10$', \
     '' using 'step':'rmsprop' with lines lt 4 dt 5 title 'RMSprop', \
     '' using 'step':'adam' with lines lt 5 dt 3 title 'Adam', \
     '' using 'step':'theory' with lines lt 8 lw 1 dt 2 title '$1/\sqrt t$'
set xrange [1:600]
set yrange [10:10000]
set ytics 10, 10, 10000
set key top right Left reverse
plot f('dying-mlp.tsv') using 'step':'adagrad' with lines lt 1 title 'Adagrad', \
     '' using 'step':'rmsprop' with lines lt 4 dt 5 title 'RMSprop', \
     '' using 'step':'adam' with lines lt 5 dt 3 title 'Adam'
unset multiplot
