# figures/04-schedules-onecycle.gp -- left: a quarter of the budget, one-cycle
# at peaks 0.1 and 0.3 and cosine annealing at 0.1 (mini-batch loss, mean over
# the seeds, smoothed); the grey line is where cosine annealing over the full
# budget ends.  Right: one-cycle over the full budget, stepped after every
# batch and once per epoch; the rates on the right axis.
stats f('decay-cosine.tsv') using 'smooth' nooutput
n = STATS_records
stats f('decay-cosine.tsv') every ::(n-1)::(n-1) using 'smooth' nooutput
full_end = STATS_max
set multiplot
set size 0.48,1
set origin 0,0
set bmargin 3
set xlabel 'step $t$'
set ylabel 'mini-batch loss (smoothed)'
stats f('short-cosine.tsv') using 'step' nooutput
set xrange [0:STATS_max]
set xtics 0, 50
set yrange [0.25:1.25]
set ytics 0.3, 0.1, 1.2
set format y '%.1f'
set key top right Left reverse samplen 1.5
set arrow 1 from graph 0, first full_end to graph 1, first full_end nohead lc rgb '#999999' lw 1.5 dt 2
set label 1 'full budget, cosine' at graph 0.03, first full_end - 0.04 left textcolor rgb '#777777'
plot f('short-onecycle.tsv') using 'step':'smooth' with lines lt 1 title 'one-cycle 0.1', \
     f('short-onecycle-hi.tsv') using 'step':'smooth' with lines lt 2 title 'one-cycle 0.3', \
     f('short-cosine.tsv') using 'step':'smooth' with lines lt 3 title 'cosine 0.1'
unset arrow 1
unset label 1
set size 0.52,1
set origin 0.48,0
set rmargin 7
set border 11
set xrange [*:*]
set yrange [*:*]
stats f('bug-batch.tsv') using 'step' nooutput
set xrange [0:STATS_max]
set xtics 0, 200
set y2range [0:0.15]
set y2tics 0, 0.05, 0.1 nomirror
set y2label 'rate $\eta_t$' offset -1,0
set ylabel ''
set yrange [0.25:1.25]
plot f('bug-batch.tsv') using 'step':'smooth' with lines lt 1 title 'per batch', \
     f('bug-epoch.tsv') using 'step':'smooth' with lines lt 2 title 'per epoch', \
     f('bug-batch.tsv') using 'step':'lr' axes x1y2 with lines lt 1 lw 1.2 dt 2 notitle, \
     f('bug-epoch.tsv') using 'step':'lr' axes x1y2 with lines lt 2 lw 1.2 dt 2 notitle
unset multiplot
