# figures/03-adaptive-ravine.gp -- Adam (lr 0.01) on the ravine
# (20 x^2 + y^2)/2 from (1, 1), with SGD's zig-zag (eta 0.095) for contrast
# (left), and on the same ravine turned by 45 degrees from (0, sqrt 2)
# (right).  The contours are extracted from the grids first.
set table $c1
set contour base
unset surface
set view map
set cntrparam levels discrete 0.02, 0.1, 0.3, 0.7, 1.5, 3, 6, 10.5, 16
splot f('ravine-grid.tsv') using 'x':'y':'f' with lines
unset table
set table $c2
splot f('rotated-grid.tsv') using 'x':'y':'f' with lines
unset table
unset contour
set terminal tikz tex size 5.6in,2.5in
set output outfile
set datafile separator whitespace
set datafile nocolumnheaders
set multiplot layout 1,2
set size ratio -1
set xrange [-1.5:1.5]
set yrange [-0.5:1.6]
set xtics 0.5
set ytics 0.5
unset grid
set xlabel '$x$'
set ylabel '$y$'
set key top left Left reverse samplen 1.5 spacing 1 opaque
plot $c1 using 1:2 with lines lc rgb '#b0b0b0' lw 0.6 notitle, \
     f('ravine-sgd.tsv') using 'x':'y' with linespoints lt 2 lw 0.8 pt 7 ps 0.25 title 'SGD', \
     f('ravine-adam.tsv') using 'x':'y' every 10 with points lt 1 pt 6 ps 0.45 title 'Adam'
unset ylabel
plot $c2 using 1:2 with lines lc rgb '#b0b0b0' lw 0.6 notitle, \
     f('rotated-adam.tsv') using 'x':'y' with lines lt 1 lw 0.6 notitle, \
     '' using 'x':'y' every 10 with points lt 1 pt 6 ps 0.45 title 'Adam'
unset multiplot
