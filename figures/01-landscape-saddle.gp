# figures/01-landscape-saddle.gp -- the saddle (x^2 - y^2)/2 and gradient
# descent (eta = 0.1) from (1, y0), y0 = 1e-2, 1e-5, 1e-10.  Left: the paths
# on the contour map (they overlap: all run into the saddle, then out along
# y).  Right: |y| against step, where the wait shows as a delay.
set table $contours
set contour base
unset surface
set view map
set cntrparam levels discrete -0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6
splot f('saddle-grid.tsv') using 'x':'y':'f' with lines
unset table
unset contour
set datafile separator whitespace
set datafile nocolumnheaders
set terminal tikz tex size 5in,3in
set output outfile
set multiplot
set size 0.44,1
set origin 0,0
set size ratio -1
set xrange [-1.2:1.2]
set yrange [-1.2:1.2]
set xtics 1
set ytics 1
unset grid
set xlabel '$x$'
set ylabel '$y$'
plot $contours using 1:2 with lines lc rgb '#b0b0b0' lw 0.6, \
     f('saddle-2.tsv') using 'x':'y' with linespoints lt 1 lw 1 pt 7 ps 0.3, \
     f('saddle-5.tsv') using 'x':'y' with linespoints lt 2 dt 2 lw 1 pt 5 ps 0.3, \
     f('saddle-10.tsv') using 'x':'y' with linespoints lt 3 dt 3 lw 1 pt 9 ps 0.3
set size noratio
set size 0.56,1
set origin 0.44,0
set grid
set logscale y
set format y '$10^{%L}$'
set xrange [0:250]
set yrange [1e-12:1e5]
set xtics 50
set ytics 1e-12, 1e3, 1
set mytics 1
set xlabel 'step $t$'
set ylabel '$\vert y_t\vert$, $x_t$'
set key top right Left reverse maxrows 2 width 1 samplen 1.5
plot f('saddle-2.tsv') using 'step':(abs(column('y'))) with lines lt 1 title '$y_0=10^{-2}$', \
     f('saddle-5.tsv') using 'step':(abs(column('y'))) with lines lt 2 dt 2 title '$y_0=10^{-5}$', \
     f('saddle-10.tsv') using 'step':(abs(column('y'))) with lines lt 3 dt 3 title '$y_0=10^{-10}$', \
     f('saddle-10.tsv') using 'step':'x' with lines lt 6 dt 4 title '$x_t$'
unset multiplot
