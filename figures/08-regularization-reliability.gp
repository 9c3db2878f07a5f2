# figures/08-regularization-reliability.gp -- reliability diagram of the first
# seed of the smoothing experiment: the accuracy of the test images in each
# confidence bin against the bin's mean confidence, trained without (eps = 0)
# and with label smoothing (eps = 0.1); the diagonal is perfect calibration.
# Right: how many images fall in each bin.
set terminal tikz tex size 5in,2.5in
set multiplot
set size 0.55,1
set origin 0,0
set xrange [0:1]
set yrange [0:1]
set xtics 0.2
set ytics 0.2
set size ratio -1
set xlabel 'confidence (mean of the bin)'
set ylabel 'accuracy in the bin'
set key top left Left reverse samplen 1.5
plot x with lines lt 6 lw 1 dt 3 title 'calibrated', \
     f('reliability.tsv') using 'conf0':'acc0' with linespoints lt 2 pt 7 ps 0.5 title '$\varepsilon=0$', \
     f('reliability.tsv') using 'conf1':'acc1' with linespoints lt 1 dt 2 pt 5 ps 0.5 title '$\varepsilon=0.1$'
set size noratio
set size 0.45,1
set origin 0.55,0
set autoscale y
set yrange [0:*]
set ytics auto
set xrange [0:1]
set xlabel 'confidence bin'
set ylabel 'test images'
set style fill solid 0.4 border
set boxwidth 0.028
set key top left Left reverse samplen 1.5
plot f('reliability.tsv') using ((column('lo')+column('hi'))/2 - 0.016):'n0' with boxes lt 2 title '$\varepsilon=0$', \
     f('reliability.tsv') using ((column('lo')+column('hi'))/2 + 0.016):'n1' with boxes lt 1 fs pattern 4 title '$\varepsilon=0.1$'
unset multiplot
