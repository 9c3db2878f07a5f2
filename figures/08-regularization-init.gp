# figures/08-regularization-init.gp -- a 20-layer MLP at initialization, one
# batch of test images: left, the rms of each layer's activations H_l (the
# logits at the top); right, the rms of the weight gradients dL/dW_l; one line
# per initialization scheme.
set terminal tikz tex size 5in,2.6in
set multiplot layout 1,2 margins 0.1,0.74,0.15,0.97 spacing 0.16
set logscale y
set format y '$10^{%L}$'
set xrange [0:20]
set xtics 5
set yrange [1e-25:1e20]
set ytics 1e-20,1e10,1e20
set mytics 10
set xlabel 'layer $l$'
set ylabel 'rms of $H_l$'
set key at screen 0.76, screen 0.9 left top vertical Left reverse samplen 1.5 spacing 1.3
ok(x) = (x > 0 && x < 1e38) ? x : NaN
plot f('init.tsv') using 'layer':(ok(column('he'))) with linespoints lt 1 pt 7 ps 0.4 title 'He', \
     f('init.tsv') using 'layer':(ok(column('xavier'))) with linespoints lt 3 dt 2 pt 5 ps 0.4 title 'Xavier', \
     f('init.tsv') using 'layer':(ok(column('torch'))) with linespoints lt 5 dt 4 pt 9 ps 0.5 title 'PyTorch default', \
     f('init.tsv') using 'layer':(ok(column('normal1'))) with linespoints lt 2 dt 3 pt 4 ps 0.4 title '$N(0,1)$', \
     f('init.tsv') using 'layer':(ok(column('normal001'))) with linespoints lt 4 dt 5 pt 6 ps 0.4 title '$N(0,0.01^2)$'
unset key
set xrange [0:19]
set ylabel 'rms of $\partial L/\partial W_l$' offset -0.8,0
plot f('init.tsv') using 'layer':(ok(column('ghe'))) with linespoints lt 1 pt 7 ps 0.4, \
     f('init.tsv') using 'layer':(ok(column('gxavier'))) with linespoints lt 3 dt 2 pt 5 ps 0.4, \
     f('init.tsv') using 'layer':(ok(column('gtorch'))) with linespoints lt 5 dt 4 pt 9 ps 0.5, \
     f('init.tsv') using 'layer':(ok(column('gnormal1'))) with linespoints lt 2 dt 3 pt 4 ps 0.4, \
     f('init.tsv') using 'layer':(ok(column('gnormal001'))) with linespoints lt 4 dt 5 pt 6 ps 0.4
unset multiplot
