# figures/05-clipping-geometry.gp -- eight gradients in the plane (geometry.tsv),
# clipped at 1 by norm (scaled onto the unit circle, direction kept) and by
# value (clamped into the square [-1,1]^2, direction turned).
set terminal tikz tex size 4.8in,3.6in
set size ratio -1
set xrange [-3.7:3.6]
set yrange [-3.1:3.3]
set xtics 1
set ytics 1
unset grid
set xlabel 'gradient, first coordinate $g_1$'
set ylabel 'second coordinate $g_2$'
set object 1 circle at 0,0 size 1 fs empty border lc rgb '#1f5fa8' lw 1 dt 1 front
set object 2 rect from -1,-1 to 1,1 fs empty border lc rgb '#c0392b' lw 1 dt 2 front
set key outside right top Left reverse samplen 2.5 spacing 1.3
plot f('geometry.tsv') using (0):(0):'gx':'gy' with vectors lc rgb '#909090' lw 1 dt 3 \
       head filled size 0.12,20 title 'gradient $g$', \
     '' using (0):(0):'nx':'ny' with vectors lt 1 lw 2 head filled size 0.12,20 \
       title 'clipped by norm', \
     '' using (0):(0):'vx':'vy' with vectors lt 2 lw 1.5 dt 2 head empty size 0.12,20 \
       title 'clipped by value', \
     '' using (1.12*column('gx')):(1.12*column('gy')):(column('turn_value') > 0 ? \
       sprintf('$%.0f^{\\circ}$', column('turn_value')) : '') with labels notitle
