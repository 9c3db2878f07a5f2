# figures/02-momentum-ravine.gp -- Chapter 1's ravine (20 x^2 + y^2)/2,
# drawn to scale, with 40 steps from (1, 1) of gradient descent (eta = 2/21),
# the heavy ball and Nesterov's method (both mu = 0.9, eta = 0.02).
# The contours are extracted from the grid into a table first; that table is
# space-separated and has no header, hence the datafile settings below.
set terminal tikz tex size 5in,3.3in
set output outfile
set table $contours
set contour base
unset surface
set view map
set cntrparam levels discrete 0.02, 0.1, 0.3, 0.7, 1.5, 3, 6, 10.5, 16
splot f('ravine-grid.tsv') using 'x':'y':'f' with lines
unset table
unset contour
set datafile separator whitespace
set datafile nocolumnheaders
set size ratio -1
set xrange [-1.2:1.2]
set yrange [-0.7:1.1]
set xtics 0.4
set ytics 0.4
unset grid
set xlabel '$x$'
set ylabel '$y$'
set key right bottom Left reverse samplen 1.5 maxrows 2 width -2
plot $contours using 1:2 with lines lc rgb '#a0a0a0' lw 0.8 notitle, \
     f('ravine-gd.tsv') using 'x':'y' with linespoints lt 2 lw 1 pt 7 ps 0.3 \
       title 'gradient descent', \
     f('ravine-hb09.tsv') using 'x':'y' with linespoints lt 1 dt 2 lw 1 pt 5 ps 0.3 \
       title 'heavy ball', \
     f('ravine-nag09.tsv') using 'x':'y' with linespoints lt 5 dt 4 lw 1 pt 9 ps 0.35 \
       title 'Nesterov', \
     '+' using (0):(0) every ::0::0 with points lt 8 pt 2 ps 0.8 title 'minimum'
