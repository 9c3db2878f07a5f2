# figures/11-beyond-singular.gp -- singular values of a real gradient of W1,
# normalized, before and after five Newton-Schulz steps (singular.tsv).
set terminal tikz tex size 5in,2.6in
set logscale y
set yrange [1e-4:3]
set format y '$10^{%L}$'
set xlabel 'index (largest first)'
set ylabel 'singular value'
set key outside right top Left reverse samplen 2
plot f('singular.tsv') using 'index':(column('before') > 1e-4 ? column('before') : 1e-4) \
       with points lt 2 pt 6 ps 0.7 title 'gradient', \
     f('singular.tsv') using 'index':(column('after') > 1e-4 ? column('after') : 1e-4) \
       with points lt 1 pt 5 ps 0.6 title 'after NS$_5$'
