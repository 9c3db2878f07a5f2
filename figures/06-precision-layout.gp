# figures/06-precision-layout.gp -- the bit fields of fp32, fp16 and bf16 to
# scale (layout.tsv: first bit from the left and width of each field, widths
# found from the library's rounding), with the bits of 0.1 in each
# (layout-bits.tsv), most significant bit on the left.  Each field is labelled
# with its name and width, the sign with s.
set terminal tikz tex size 5.4in,1.9in
set xrange [-0.2:32.2]
set yrange [-0.4:2.65]
unset grid
unset border
unset xtics
set ytics ('fp32' 2, 'fp16' 1, 'bf16' 0) scale 0
row(k) = 2 - k
is(name) = strcol('field') eq name
set style fill solid 1 border lc rgb '#404040'
plot f('layout.tsv') using ('sign' eq strcol('field') ? column('lo') + column('width') / 2.0 : NaN):(row(column('format'))):(column('width') / 2.0):(0.28) \
       with boxxyerror fc rgb '#f5cba7' lw 0.8, \
     '' using (is('exponent') ? column('lo') + column('width') / 2.0 : NaN):(row(column('format'))):(column('width') / 2.0):(0.28) \
       with boxxyerror fc rgb '#aed6f1' lw 0.8, \
     '' using (is('fraction') ? column('lo') + column('width') / 2.0 : NaN):(row(column('format'))):(column('width') / 2.0):(0.28) \
       with boxxyerror fc rgb '#d5f5e3' lw 0.8, \
     '' using (column('lo') + column('width') / 2.0):(row(column('format')) + 0.44): \
       (is('sign') ? '$s$' : sprintf('%s, %d bits', is('exponent') && column('width') < 8 ? 'exp.' : strcol('field'), column('width'))) \
       with labels font ',8', \
     f('layout-bits.tsv') using (column('pos') + 0.5):(row(column('format'))):(sprintf('$%d$', column('bit'))) \
       with labels font ',7'
