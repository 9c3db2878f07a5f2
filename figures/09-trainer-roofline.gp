# figures/09-trainer-roofline.gp -- the roofline of the build machine (measured FMA
# peak and the bandwidth of the AdamW access pattern) with the three matrix products
# on each kernel path and the fused AdamW step.
set terminal tikz tex size 4.8in,3in
set logscale xy
set format x '$10^{%L}$'
set format y '$10^{%L}$'
set xlabel 'arithmetic intensity (FLOP per byte)'
set ylabel 'GFLOP/s'
set xrange [0.1:1000]
set yrange [0.3:20000]
set key top left Left reverse samplen 1.5 box opaque
plot f('roofline.tsv') using 'intensity':'bound' with lines lt 6 title 'roofline: $\min(P, I\cdot W)$', \
     f('kernels.tsv') using (strcol(2) eq 'avx512' ? column(3) : NaN):4 with points lt 1 pt 7 ps 1 title 'products, AVX-512', \
     f('kernels.tsv') using (strcol(2) eq 'avx2' ? column(3) : NaN):4 with points lt 2 pt 5 ps 1 title 'products, AVX2', \
     f('kernels.tsv') using (strcol(2) eq 'scalar' ? column(3) : NaN):4 with points lt 4 pt 9 ps 1 title 'products, scalar', \
     f('kernels.tsv') using (strcol(2) eq 'fused' ? column(3) : NaN):4 with points lt 3 pt 13 ps 1.2 title 'AdamW step (fused)'
