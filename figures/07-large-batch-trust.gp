# figures/07-large-batch-trust.gp -- the trust ratio of each tensor of the
# 784-128-64-10 network at every step (trust.tsv): left LARS,
# |w|/(|g| + wd |w|); right LAMB, |w|/|u|.  Weights solid, biases dashed.
set terminal tikz tex size 5in,2.6in
set multiplot layout 1,2
set logscale y
set format y '$10^{%L}$'
set xlabel 'step'
set yrange [0.01:10000]
set ylabel 'trust ratio'
set title 'LARS: $\Vert w\Vert/(\Vert g\Vert+\beta\Vert w\Vert)$'
L(k) = strcol(1) eq k ? column('step') : NaN
plot for [c in 'W0 W1 W2'] f('trust.tsv') using (L('lars')):c with lines lt (c[2:2]+1), \
     for [c in 'b0 b1 b2'] f('trust.tsv') using (L('lars')):c with lines lt (c[2:2]+1) dt 2 lw 1
set ylabel ''
set title 'LAMB: $\Vert w\Vert/\Vert u\Vert$'
set key top right Left reverse maxrows 3 samplen 1.5 width 1
plot for [c in 'W0 W1 W2'] f('trust.tsv') using (L('lamb')):c with lines lt (c[2:2]+1) \
       title sprintf('$W_%s$', c[2:2]), \
     for [c in 'b0 b1 b2'] f('trust.tsv') using (L('lamb')):c with lines lt (c[2:2]+1) dt 2 lw 1 \
       title sprintf('$b_%s$', c[2:2])
unset multiplot
