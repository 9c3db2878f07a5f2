# figures/01-landscape-variance.gp -- mean squared error of the mini-batch
# gradient against the batch size B (log-log): measured points, sigma^2/B,
# and the without-replacement curve (sigma^2/B)(N-B)/(N-1).
stats f('variance-fit.tsv') using 'N' nooutput
N = STATS_max
stats f('variance-fit.tsv') using 'sigma2' nooutput
s2 = STATS_max
set logscale x 2
set logscale y
set format x '$2^{%L}$'
set format y '$10^{%L}$'
set xrange [0.7:1.3*N]
set xtics 1, 4
set xlabel 'batch size $B$'
set ylabel '$\Vert g_B-g\Vert^2$' offset -1.5,0
set lmargin 10
set key top right Left reverse
set samples 400
iid(B) = s2 / B
wor(B) = B < N ? s2 / B * (N - B) / (N - 1) : NaN
plot iid(x) with lines lt 6 lw 1 dt 2 title '$\sigma^2/B$', \
     wor(x) with lines lt 1 lw 1.2 title '$(\sigma^2/B)(N-B)/(N-1)$', \
     f('variance.tsv') using 'B':'measured' with points lt 2 pt 7 ps 0.6 title 'measured'
