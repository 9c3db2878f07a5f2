# figures/11-beyond-muon.gp -- validation loss of tuned AdamW and Muon over the
# steps, mean over the fresh seeds (muon.tsv).
set terminal tikz tex size 5in,2.6in
set xlabel 'step'
set ylabel 'validation loss'
set key outside right top Left reverse samplen 2
stats f('muon.tsv') using 'adamw' nooutput
last = 0
stats f('muon.tsv') using (last = column('adamw')) nooutput
set arrow 1 from graph 0, first last to graph 1, first last nohead dt 3 lc rgb '#555555'
plot f('muon.tsv') using 'step':'adamw' with linespoints lt 2 dt 2 pt 5 ps 0.5 title 'AdamW', \
     f('muon.tsv') using 'step':'muon' with linespoints lt 1 pt 7 ps 0.5 title 'Muon'
