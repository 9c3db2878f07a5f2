# figures/02-momentum-stability.gp -- heavy-ball momentum on one direction of a
# quadratic: the rate rho (spectral radius of the 2x2 iteration matrix) over
# (eta lambda, mu), white where rho >= 1; the edge eta lambda = 2(1 + mu), the
# band of complex roots (1 -+ sqrt mu)^2, and gradient descent's limit at mu = 0.
set terminal tikz tex size 5in,3in
set xrange [0:4.4]
set yrange [0:1]
set xtics 0.5
set ytics 0.2
set xlabel 'step times curvature, $\eta\lambda$'
set ylabel 'momentum $\mu$'
set grid noxtics noytics
set border 15 front
set tics front
set cbrange [0:1]
set cbtics 0.2
set label 1 'rate $\rho$' at graph 1.06,1.08 center
set colorbox user origin graph 1.04,0 size graph 0.04,1 noborder
set palette defined (0 '#08306b', 0.5 '#4f8fc6', 0.85 '#c6dbef', 1 '#ffffff')
set key at graph 1,0.02 right bottom Left reverse samplen 1.5 spacing 1.2
plot f('stability.tsv') using 'h':'mu':(column('rho') < 1 ? column('rho') : 1) with image, \
     f('stability-edges.tsv') using 'edge':'mu' with lines lt 8 lw 2 \
       title '$\eta\lambda=2(1+\mu)$', \
     '' using 'band_lo':'mu' with lines lt 2 lw 1.5 dt 2 \
       title '$(1\pm\sqrt\mu)^2$', \
     '' using 'band_hi':'mu' with lines lt 2 lw 1.5 dt 2 notitle, \
     '+' using (2):(0) every ::0::0 with points lt 8 pt 6 ps 1.5 lw 2 \
       title 'gradient descent'
