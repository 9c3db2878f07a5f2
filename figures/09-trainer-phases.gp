# figures/09-trainer-phases.gp -- median time of each phase of a training step of the
# default network (784-1024-512-10, batch 128) on the build machine.
set terminal tikz tex size 4.6in,2.2in
set style fill solid 0.8 border -1
set boxwidth 0.6
set ylabel 'milliseconds per step'
set yrange [0:*]
set grid ytics noxtics
set xtics scale 0
set xrange [-0.6:3.6]
plot f('phases.tsv') using 'phase':'ms':xtic(3) with boxes lt 1
