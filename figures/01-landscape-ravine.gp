# figures/01-landscape-ravine.gp -- contours of the ravine (20 x^2 + y^2)/2,
# drawn to scale and labelled with their values, with two gradient-descent
# paths from (1, 1).
# The contours are extracted from the grid into a table first; that table is
# space-separated and has no header, hence the datafile settings below.
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
set yrange [-0.3:1.2]
set xtics 0.4
set ytics 0.4
set grid front
unset grid
set xlabel '$x$'
set ylabel '$y$'
set key outside right top
# each level's value is written where its contour crosses y = -0.15, x < 0
$levels << EOD
0.3
1.5
3
6
10.5
EOD
set style textbox opaque noborder margins 0.5,0.5
plot $contours using 1:2 with lines lc rgb '#a0a0a0' lw 0.8 notitle, \
     $levels using (-sqrt((2*$1 - 0.0225)/20)):(-0.15):(sprintf('$%g$', $1)) \
       with labels boxed tc rgb '#606060' font ',7' notitle, \
     f('ravine-zigzag.tsv') using 'x':'y' with linespoints lt 2 lw 1.2 pt 7 ps 0.35 \
       title '$\eta=0.095$', \
     f('ravine-smooth.tsv') using 'x':'y' with linespoints lt 1 lw 1.2 pt 7 ps 0.35 \
       title '$\eta=0.03$', \
     '+' using (0):(0) every ::0::0 with points lt 8 pt 2 ps 0.8 title 'minimum'
