# figures/02-momentum-noise.gp -- test loss of the MLP after the noisy
# experiment's steps against the effective rate eta/(1-mu), SGD and the heavy
# ball (mu = 0.9), mean and standard deviation over seeds (noise.tsv).
set terminal tikz tex size 5in,2.5in
set logscale x
set format x '$%g$'
set xlabel 'effective rate $\eta/(1-\mu)$'
set ylabel 'test loss'
set xrange [0.02:1.5]
set yrange [0.4:2.6]
set ytics 0.4
set xtics (0.03, 0.1, 0.3, 1)
set key at graph 0.03, graph 0.75 left top Left reverse samplen 2.5
set arrow from 0.02, log(10) to 1.5, log(10) nohead lt 8 lw 0.6 dt 3
plot f('noise.tsv') using 'eff':'sgd_mean':'sgd_sd' with yerrorlines lt 2 pt 7 ps 0.6 title 'SGD, $\mu=0$', \
     '' using 'eff':'mom_mean':'mom_sd' with yerrorlines lt 1 dt 2 pt 5 ps 0.6 title 'heavy ball, $\mu=0.9$'
