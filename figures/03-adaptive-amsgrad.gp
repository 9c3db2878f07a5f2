# figures/03-adaptive-amsgrad.gp -- median effective step of Adam and
# AMSGrad on N(0,1) noise with one gradient of 100 at step 2000 (amsgrad.tsv).
set terminal tikz tex size 5in,2.2in
set output outfile
set xlabel 'step $t$'
set ylabel 'effective step / $\eta$'
set xrange [0:10000]
set yrange [0:1.4]
set ytics 0.2
set key top right Left reverse samplen 1.5
plot f('amsgrad.tsv') using 'step':'adam' with lines lt 1 title 'Adam', \
     '' using 'step':'amsgrad' with lines lt 2 title 'AMSGrad'
