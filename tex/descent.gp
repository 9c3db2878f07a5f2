# tex/descent.gp -- the house style of every figure, loaded before the figure's
# own script:  gnuplot -e "datadir='...'; outfile='...'" tex/descent.gp figures/X.gp
# 'tikz tex' writes plain-TeX TikZ code, which tex/figwrap.tex turns into a
# tight PDF whose labels are set by TeX in the book's fonts (cmr10, cmmi10).
# A figure may set its own size with  set terminal tikz tex size W,H  again.
set terminal tikz tex size 5in,2.8in
set output outfile
set datafile separator tab
set datafile commentschars "#"
set datafile columnheaders
set key noautotitle
set border 3 lw 0.8
set tics nomirror out scale 0.6
set grid lw 0.4 lc rgb '#d0d0d0'
set key samplen 2 spacing 1.1
set linetype 1 lc rgb '#1f5fa8' lw 2
set linetype 2 lc rgb '#c0392b' lw 2
set linetype 3 lc rgb '#2e8b57' lw 2
set linetype 4 lc rgb '#8e44ad' lw 2
set linetype 5 lc rgb '#d68910' lw 2
set linetype 6 lc rgb '#555555' lw 2
set linetype 7 lc rgb '#17a2b8' lw 2
set linetype 8 lc rgb '#000000' lw 2
f(name) = datadir.'/'.name
