# figures/08-regularization-early.gp -- early stopping: the loss on the
# training subset and on the validation split after each epoch, for the
# chapter's network (overfits: the curves part) and for a network of three
# hidden units, the tiny network (underfits: both stay high).  The vertical line marks the epoch
# of the best validation loss, whose weights early stopping keeps.
stats f('early.tsv') using 'val' nooutput
best = STATS_index_min
set xlabel 'epoch'
set ylabel 'mean cross-entropy'
set yrange [0:2.6]
set xrange [0:*]
set key outside right top Left reverse samplen 2 width -2
set arrow from best, graph 0 to best, graph 1 nohead lt 6 lw 1 dt 3
set label 'best' at best, graph 0.95 offset 0.5,0
plot f('early.tsv') using 'epoch':'train' with lines lt 1 title 'training', \
     f('early.tsv') using 'epoch':'val' with lines lt 2 dt 2 title 'validation', \
     f('early.tsv') using 'epoch':'tiny_train' with lines lt 3 dt 4 title 'training, tiny network', \
     f('early.tsv') using 'epoch':'tiny_val' with lines lt 4 dt 3 title 'validation, tiny network'
