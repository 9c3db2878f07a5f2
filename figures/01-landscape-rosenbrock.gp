# figures/01-landscape-rosenbrock.gp -- Rosenbrock's function
# (1 - x)^2 + 100 (y - x^2)^2 with log-spaced contours, and the path of
# gradient descent (eta = 0.001) from (-1.2, 1), labelled with the step
# number at a few log-spaced steps (100 below its dot, the rest above, so
# that 10 and 100, close together, do not overprint); the cross is the minimum (1, 1).
set table $contours
set contour base
unset surface
set view map
set cntrparam levels discrete 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300
splot f('rosenbrock-grid.tsv') using 'x':'y':'f' with lines
unset table
unset contour
set datafile separator whitespace
set datafile nocolumnheaders
set size ratio -1
set xrange [-1.5:1.5]
set yrange [-0.5:1.5]
set xtics 0.5
set ytics 0.5
unset grid
set xlabel '$x$'
set ylabel '$y$'
marked(t) = t == 10 || t == 100 || t == 300 || t == 1000 || t == 3000 || t == 10000
plot $contours using 1:2 with lines lc rgb '#b0b0b0' lw 0.6, \
     f('rosenbrock-path.tsv') using 'x':'y' with lines lt 1 lw 1.2, \
     '' using 'x':(marked(int(column('step'))) ? column('y') : NaN) \
       with points lt 2 pt 7 ps 0.5, \
     '' using 'x':(marked(int(column('step'))) && int(column('step')) != 100 ? column('y') : NaN):(sprintf('$%d$', int(column('step')))) \
       with labels right offset -0.6,0.5 font ',8', \
     '' using 'x':(int(column('step')) == 100 ? column('y') : NaN):(sprintf('$%d$', int(column('step')))) \
       with labels right offset -0.6,-0.5 font ',8', \
     '+' using (1):(1) every ::0::0 with points lt 8 pt 2 ps 0.9
