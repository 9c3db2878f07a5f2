# figures/02-momentum-schedule.gp -- momentum 0.9 on a constant slope, lr 0.1
# for 50 steps then 0.01: the step taken by PyTorch's form (lr outside the
# buffer) and by the velocity form (lr inside).
set terminal tikz tex size 5in,2.3in
set output outfile
set logscale y
set format y '$%g$'
set xlabel 'step $t$'
set ylabel 'step taken'
set xrange [0:100]
set yrange [0.05:4]
set xtics 10
set ytics (0.05, 0.1, 0.2, 0.5, 1, 2)
set arrow from 50.5, 0.05 to 50.5, 4 nohead lt 6 lw 0.6 dt 2
set label '$\eta=0.1$' at 25, 0.3 center
set label '$\eta=0.01$' at 80, 0.5 center
set key at 49, 3.9 right top Left reverse
plot f('schedule.tsv') using 'step':'step_velocity' with lines lt 2 \
       title 'velocity form, $v\gets\mu v+\eta g$', \
     '' using 'step':'step_torch' with lines lt 1 title 'PyTorch, $\eta b$'
