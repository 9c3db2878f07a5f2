# figures/11-beyond-nsmap.gp -- Muon's Newton-Schulz map phi(x) = a x + b x^3 + c x^5
# applied one to five times on (0, 1] (nsmap.tsv).
set terminal tikz tex size 5in,2.6in
set xrange [0:1]
set yrange [0:1.4]
set xtics 0.2
set ytics 0.2
set xlabel 'singular value before, $x$'
set ylabel 'after $k$ steps'
set key outside right top Left reverse samplen 2
set object 1 rect from 0,0.7 to 1,1.2 fc rgb '#eeeeee' fs solid noborder behind
plot f('nsmap.tsv') using 'x':'k1' with lines lt 6 dt 3 title '$k=1$', \
     f('nsmap.tsv') using 'x':'k2' with lines lt 5 dt 4 title '$k=2$', \
     f('nsmap.tsv') using 'x':'k3' with lines lt 3 dt 2 title '$k=3$', \
     f('nsmap.tsv') using 'x':'k5' with lines lt 1 title '$k=5$'
