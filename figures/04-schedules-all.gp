# figures/04-schedules-all.gp -- every schedule of the library over 300 steps,
# base rate 1, as small multiples; the last column shows the momentum that the
# cyclic and one-cycle schedules move against the rate.  Columns of all.tsv:
# t, then one per curve (see figure_curves in chapters/04-schedules.w), the
# momentum of a cycling curve in the column NAMEMom after it.
set terminal tikz tex size 5in,5.6in
set output outfile
set multiplot layout 4,3 margins 0.09,0.98,0.07,0.96 spacing 0.07,0.085
set xrange [0:300]
set xtics 0, 100, 300 scale 0.5
set mxtics 2
set yrange [0:1.1]
set ytics 0, 0.5, 1 scale 0.5
set format x ''
set title offset 0,-0.7
# row 1
set ylabel 'rate'
set title '\tt step'
plot f('all.tsv') using 't':'step' with lines lt 1
unset ylabel
set title '\tt multistep'
plot f('all.tsv') using 't':'multistep' with lines lt 1
set title '\tt exponential'
plot f('all.tsv') using 't':'exponential' with lines lt 1
# row 2
set ylabel 'rate'
set title '\tt cosine'
plot f('all.tsv') using 't':'cosine' with lines lt 1
unset ylabel
set title '\tt warmup-cosine'
plot f('all.tsv') using 't':'warmupcosine' with lines lt 1
set title '\tt cosine-restarts'
plot f('all.tsv') using 't':'restarts' with lines lt 1
# row 3
set ylabel 'rate'
set title '\tt linear'
set label 1 'warmup' at 150, 0.88 center textcolor lt 1
set label 2 'decay' at 80, 0.45 center textcolor lt 2
plot f('all.tsv') using 't':'linearwarmup' with lines lt 1, \
     '' using 't':'lineardecay' with lines lt 2 dt 2
unset label
unset ylabel
set title '\tt cyclic'
plot f('all.tsv') using 't':'triangular' with lines lt 1, \
     '' using 't':'triangulartwo' with lines lt 2 dt 2, \
     '' using 't':'exprange' with lines lt 3 dt 3
set title '{\tt cyclic}: momentum'
set yrange [0.75:1]
set ytics 0.8, 0.1, 1
plot f('all.tsv') using 't':'triangularMom' with lines lt 1
# row 4
set format x '%g'
set xlabel 'step $t$'
set yrange [0:1.1]
set ytics 0, 0.5, 1
set ylabel 'rate'
set title '\tt onecycle'
set label 1 'cos' at 62, 0.12 center textcolor lt 1
set label 2 'linear' at 250, 0.48 center textcolor lt 2
plot f('all.tsv') using 't':'onecycle' with lines lt 1, \
     '' using 't':'onecyclelinear' with lines lt 2 dt 2
unset label
unset ylabel
set title '{\tt onecycle}, three phases'
plot f('all.tsv') using 't':'threephase' with lines lt 1
set title '{\tt onecycle}: momentum'
set yrange [0.8:1]
set ytics 0.8, 0.1, 1
set label 1 'two phases' at 200, 0.825 center textcolor lt 1
set label 2 'three' at 240, 0.965 center textcolor lt 2
plot f('all.tsv') using 't':'onecycleMom' with lines lt 1, \
     '' using 't':'threephaseMom' with lines lt 2 dt 2
unset multiplot
