# figures/04-schedules-decay.gp -- SGD with momentum 0.9, peak rate 0.1, two
# epochs: cosine annealing against step decay (x0.1 every third of the run).
# Left: the rates.  Right: the mini-batch loss, mean over the seeds, smoothed.
set multiplot layout 1,2 margins 0.1,0.98,0.16,0.95 spacing 0.12,0
set xlabel 'step $t$'
set ylabel 'rate $\eta_t$'
set xrange [0:936]
set xtics 0, 200, 936
set yrange [0:0.11]
set ytics 0, 0.02, 0.1
set format y '%.2f'
set key top right Left reverse samplen 1.5
plot f('decay-cosine.tsv') using 'step':'lr' with lines lt 1 title 'cosine', \
     f('decay-step.tsv') using 'step':'lr' with lines lt 2 title 'step'
set ylabel 'mini-batch loss (smoothed)'
set yrange [0.25:0.75]
set ytics 0.3, 0.1, 0.7
set format y '%.1f'
plot f('decay-cosine.tsv') using 'step':'smooth' with lines lt 1 title 'cosine', \
     f('decay-step.tsv') using 'step':'smooth' with lines lt 2 title 'step'
unset multiplot
