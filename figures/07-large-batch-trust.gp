# figures/07-large-batch-trust.gp -- the trust ratio of each tensor of the
# 784-128-64-10 network at every step (trust.tsv): left LARS,
# |w|/(|g| + wd |w|); right LAMB, |w|/|u|.  Weights solid, biases dashed.
set terminal tikz tex size 5in,2.6in
set multiplot layout 1,2
set logscale y
set format y '$10^{%L}$'
set xlabel 'step'
set key top right samplen 1.5 maxrows 3 width -2 font ',8'
set yrange [0.01:100]
set ylabel 'trust ratio'
set title 'LARS: $\Vert w\Vert/(\Vert g\Vert+\beta\Vert w\Vert)$'
plot f('trust.tsv') using (strcol(1) eq 'lars' ? column('step') : NaN):'W0' with lines lt 1 title '$W_0$', \
     '' using (strcol(1) eq 'lars' ? column('step') : NaN):'W1' with lines lt 2 title '$W_1$', \
     '' using (strcol(1) eq 'lars' ? column('step') : NaN):'W2' with lines lt 3 title '$W_2$', \
     '' using (strcol(1) eq 'lars' ? column('step') : NaN):'b0' with lines lt 1 dt 2 lw 1 title '$b_0$', \
     '' using (strcol(1) eq 'lars' ? column('step') : NaN):'b1' with lines lt 2 dt 2 lw 1 title '$b_1$', \
     '' using (strcol(1) eq 'lars' ? column('step') : NaN):'b2' with lines lt 3 dt 2 lw 1 title '$b_2$'
unset key
set ylabel ''
set title 'LAMB: $\Vert w\Vert/\Vert u\Vert$'
plot f('trust.tsv') using (strcol(1) eq 'lamb' ? column('step') : NaN):'W0' with lines lt 1, \
     '' using (strcol(1) eq 'lamb' ? column('step') : NaN):'W1' with lines lt 2, \
     '' using (strcol(1) eq 'lamb' ? column('step') : NaN):'W2' with lines lt 3, \
     '' using (strcol(1) eq 'lamb' ? column('step') : NaN):'b0' with lines lt 1 dt 2 lw 1, \
     '' using (strcol(1) eq 'lamb' ? column('step') : NaN):'b1' with lines lt 2 dt 2 lw 1, \
     '' using (strcol(1) eq 'lamb' ? column('step') : NaN):'b2' with lines lt 3 dt 2 lw 1
unset multiplot
