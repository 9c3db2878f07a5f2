# figures/06-precision-sums.gp -- running sums of uniform random numbers in
# [0,1) accumulated one at a time in fp32, fp16 and bf16, and pairwise in
# fp16, against the number of terms.  Left: the sums (log-log); right:
# their relative error (points where it is exactly zero, or where the
# pairwise sum has overflowed, are left out).  Columns of sums.tsv: n,
# exact, fp32, fp16, bf16, fp16pair.
set multiplot layout 1,2
set logscale xy 2
set format x '$2^{%L}$'
set format y '$2^{%L}$'
set xrange [1:2**20]
set xtics 1, 2**5
set yrange [0.25:2**20]
set ytics 1, 2**4
set xlabel 'terms $n$'
set ylabel 'sum'
set key at graph 0.98, graph 0.04 right bottom Left reverse width -8
plot f('sums.tsv') using 'n':'exact' with lines lt 6 lw 4 title 'exact', \
     '' using 'n':'fp32' with lines lt 1 lw 1.2 title 'fp32', \
     '' using 'n':'fp16' with lines lt 2 title 'fp16', \
     '' using 'n':'bf16' with lines lt 3 title 'bf16', \
     '' using 'n':'fp16pair' with lines lt 4 dt 2 title 'fp16, pairwise'
set logscale y 10
set format y '$10^{%L}$'
set yrange [1e-8:10]
set ytics 1e-8, 100, 1
set ylabel 'relative error'
unset key
err(c) = abs(column(c) - column('exact')) / column('exact')
plot f('sums.tsv') using 'n':(err('fp32')) with linespoints lt 1 pt 7 ps 0.3 lw 1.2, \
     '' using 'n':(err('fp16')) with lines lt 2, \
     '' using 'n':(err('bf16')) with lines lt 3, \
     '' using 'n':(err('fp16pair')) with linespoints lt 4 dt 2 pt 7 ps 0.3
unset multiplot
