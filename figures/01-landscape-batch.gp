# figures/01-landscape-batch.gp -- softmax regression trained by SGD at five
# batch sizes: test loss against examples seen (left) and against steps (right).
set multiplot layout 1,2
set logscale x 2
set format x '$2^{%L}$'
set ylabel 'test loss'
set yrange [0.4:2.6]
set ytics 0.4
Bs = "8 32 128 512 2048"
pts = "7 5 9 11 13"
set key off
set xlabel 'examples seen'
set xrange [2**8:2**17]
set xtics 2**8, 4
plot for [i=1:5] f('batch-'.word(Bs,i).'.tsv') using 'samples':'loss' \
     with linespoints lt i dt i pt int(word(pts,i)) ps 0.45 lw 1.2 \
     title '$B='.word(Bs,i).'$'
set xlabel 'steps'
set xrange [2**5:2**14]
set xtics 2**5, 4
set key top right Left reverse
plot for [i=1:5] f('batch-'.word(Bs,i).'.tsv') using 'steps':'loss' \
     with linespoints lt i dt i pt int(word(pts,i)) ps 0.45 lw 1.2 \
     title '$B='.word(Bs,i).'$'
unset multiplot
