# figures/09-trainer-epochs.gp -- the trainer's log: training and test loss (left)
# and test accuracy (right) after each epoch of the build's run, the same run
# with its matrix products in bf16 beside it (bf16.tsv).
set terminal tikz tex size 5in,2.4in
set multiplot layout 1,2
set xlabel 'epoch'
set ylabel 'loss'
set xtics 1
set key top right
plot f('epochs.tsv') using 'epoch':'train_loss' with linespoints lt 1 pt 7 ps 0.6 title 'training', \
     f('epochs.tsv') using 'epoch':'test_loss' with linespoints lt 2 dt 2 pt 5 ps 0.6 title 'test'
set ylabel 'test accuracy (\%)'
set key bottom right
plot f('epochs.tsv') using 'epoch':(100*column('test_acc')) with linespoints lt 3 pt 7 ps 0.6 title 'fp32', \
     f('bf16.tsv') using 'epoch':(100*column('test_acc')) with linespoints lt 4 dt 3 pt 4 ps 0.6 title 'bf16'
unset multiplot
