# figures/06-precision-flow.gp -- one step of mixed-precision training as a
# diagram: boxes (flow-nodes.tsv: centre, kind, two lines of text) and arrows
# (flow-edges.tsv: cut at the boxes' edges, with an optional label), as the
# program writes them; the loss scaler's numbers are the library's defaults.
set terminal tikz tex size 5.4in,2.5in fontscale 0.85
set xrange [0:14.05]
set yrange [0.3:5.7]
set size ratio -1
unset border
unset tics
unset grid
bw = 3.1
bh = 1.2
set style fill solid 1 border lc rgb '#404040'
set key at 14.05,0.3 right bottom Left reverse samplen 1.5 spacing 1.3 width -2
plot f('flow-nodes.tsv') using (column('kind') == 0 ? column('x') : NaN):'y':(bw/2):(bh/2) \
       with boxxyerror fc rgb '#aed6f1' lw 0.8 title 'fp32', \
     '' using (column('kind') == 1 ? column('x') : NaN):'y':(bw/2):(bh/2) \
       with boxxyerror fc rgb '#f5cba7' lw 0.8 title 'fp16 or bf16', \
     '' using (column('kind') == 2 ? column('x') : NaN):'y':(bw/2):(bh/2) \
       with boxxyerror fc rgb '#eeeeee' lw 0.8 title 'the loss scaler', \
     '' using 'x':(column('y') + 0.22):'line1' with labels font ',7' notitle, \
     '' using 'x':(column('y') - 0.22):'line2' with labels font ',7' notitle, \
     f('flow-edges.tsv') using 'x1':'y1':(column('x2') - column('x1')):(column('y2') - column('y1')) \
       with vectors lt 8 lw 1.2 head filled size 0.18,20 notitle, \
     '' using 'lx':'ly':(strcol('label') eq '-' ? '' : strcol('label')) with labels font ',8' notitle
