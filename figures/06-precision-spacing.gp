# figures/06-precision-spacing.gp -- relative spacing of the representable
# numbers of fp32, fp16 and bf16 against magnitude (log-log, base 2).  Left:
# the whole range of a float; right: the range of fp16, where the sawtooth
# between 2^-p and 2^(1-p) can be seen.  Columns of spacing.tsv: x, fp32,
# fp16, bf16 (NaN where the format rounds x to zero or to infinity).
set multiplot layout 1,2
set logscale xy 2
set format x '$2^{%L}$'
set format y '$2^{%L}$'
set yrange [2**-25:2**1]
set ytics 2**-24, 2**4, 1
set xlabel 'magnitude $\vert x\vert$'
set ylabel 'relative spacing'
set key off
set xrange [2**-150:2**128]
set xtics 2**-128, 2**64
plot f('spacing.tsv') using 'x':'fp32' with lines lt 1 lw 1, \
     '' using 'x':'bf16' with lines lt 3 lw 1, \
     '' using 'x':'fp16' with lines lt 2 lw 1
set xrange [2**-27:2**19]
set xtics 2**-24, 2**8
unset ylabel
set key at graph 0.98, graph 0.45 right top Left reverse
plot f('spacing.tsv') using 'x':'bf16' with lines lt 3 lw 1 title 'bf16', \
     '' using 'x':'fp16' with lines lt 2 lw 1 title 'fp16', \
     '' using 'x':'fp32' with lines lt 1 lw 1 title 'fp32'
unset multiplot
