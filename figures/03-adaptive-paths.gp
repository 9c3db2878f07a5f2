# figures/03-adaptive-paths.gp -- five optimizers of the library, 1000 steps each
# from (-1.2, 1) on Rosenbrock's function (1 - x)^2 + 100 (y - x^2)^2
# (paths-*.tsv), over its contours (paths-grid.tsv); the cross is the minimum.
set table $contours
set contour base
unset surface
set view map
set cntrparam levels discrete 0.1, 1, 3, 10, 30, 100, 300
splot f('paths-grid.tsv') using 'x':'y':'f' with lines
unset table
unset contour
set terminal tikz tex size 5.2in,3.3in
set output outfile
set datafile separator whitespace
set datafile nocolumnheaders
set size ratio -1
set xrange [-1.5:1.5]
set yrange [-0.5:2]
set xtics 0.5
set ytics 0.5
unset grid
set xlabel '$x$'
set ylabel '$y$'
set key outside right top Left reverse samplen 2.5 spacing 1.3
plot $contours using 1:2 with lines lc rgb '#b0b0b0' lw 0.6 notitle, \
     f('paths-sgd.tsv') using 'x':'y' with linespoints lt 2 lw 1 dt 1 pt 7 ps 0.6 pi 100 title 'SGD', \
     f('paths-momentum.tsv') using 'x':'y' with linespoints lt 1 lw 1 dt 2 pt 5 ps 0.6 pi 100 title 'momentum', \
     f('paths-adagrad.tsv') using 'x':'y' with linespoints lt 3 lw 1 dt 3 pt 9 ps 0.7 pi 100 title 'Adagrad', \
     f('paths-rmsprop.tsv') using 'x':'y' with linespoints lt 5 lw 1 dt 4 pt 11 ps 0.7 pi 100 title 'RMSprop', \
     f('paths-adam.tsv') using 'x':'y' with linespoints lt 4 lw 1 dt 5 pt 13 ps 0.7 pi 100 title 'Adam', \
     '+' using (1):(1) every ::0::0 with points lt 8 pt 2 ps 1 lw 2 title 'minimum'
