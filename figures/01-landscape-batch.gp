# figures/01-landscape-batch.gp -- softmax regression trained by SGD at five
# batch sizes: test loss against examples seen (left) and against steps (right).
set multiplot layout 1,2
set logscale x 2
set format x '$2^{%L}$'
set ylabel 'test loss'
set yrange [0.4:1.6]
set ytics 0.2
set key off
set xlabel 'examples seen'
set xrange [2**8:2**17]
set xtics 2**8, 4
plot for [B in "8 32 128 512 2048"] f('batch-'.B.'.tsv') using 'samples':'loss' \
     with linespoints pt 7 ps 0.35 lw 1.2 title '$B='.B.'$'
set xlabel 'steps'
set xrange [2**5:2**14]
set xtics 2**5, 4
unset ylabel
set key top right
plot for [B in "8 32 128 512 2048"] f('batch-'.B.'.tsv') using 'steps':'loss' \
     with linespoints pt 7 ps 0.35 lw 1.2 title '$B='.B.'$'
unset multiplot
