# figures/08-regularization-resume.gp -- the batch loss (running mean over 20
# steps) of the first seed's run straight through and of the run continued
# from the saved weights alone at the halfway point (its Adam moments reset,
# its schedule and sampler started again).  The run resumed from the full
# checkpoint is the straight run, bit for bit, and is not drawn separately.
set xlabel 'step'
set ylabel 'batch loss (mean of 20 steps)'
set key top right Left reverse samplen 2
set yrange [0.3:*]
plot f('resume.tsv') using 'step':'straight' with lines lt 1 title 'straight (= resumed from the checkpoint)', \
     f('resume.tsv') using 'step':'weights_only' with lines lt 2 dt 2 title 'from the weights alone'
