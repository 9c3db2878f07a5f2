# figures/06-precision-scale.gp -- the dynamic loss scale (PyTorch's
# GradScaler rule) of simulated fp16 training against the step; the largest
# scale under which each step's gradient would not have overflowed fp16
# (thin); and the skipped steps (dots, at the scale that overflowed).
# Columns of scale.tsv: step, scale, safe, skipped.
set logscale y 2
set format y '$2^{%L}$'
set yrange [2**13:2**21]
set xlabel 'step'
set ylabel 'loss scale $S$'
set key bottom right horizontal Left reverse samplen 1.5
plot f('scale.tsv') using 'step':'safe' with lines lt 6 lw 0.3 title 'largest safe scale', \
     '' using 'step':'scale' with steps lt 1 lw 1.5 title 'dynamic scale', \
     '' using 'step':(column('skipped') > 0 ? 2 * column('scale') : NaN) \
        with points lt 2 pt 7 ps 0.9 title 'skipped step'
