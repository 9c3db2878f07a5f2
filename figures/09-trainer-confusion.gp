# figures/09-trainer-confusion.gp -- the confusion matrix on the test set: row = the
# true class, column = the predicted one, shade = the fraction of the row; the
# numbers are percentages of the row.
set terminal tikz tex size 4.6in,3.6in
set xrange [-0.5:9.5]
set yrange [9.5:-0.5]
set xtics ('T-shirt' 0, 'Trouser' 1, 'Pullover' 2, 'Dress' 3, 'Coat' 4, 'Sandal' 5, 'Shirt' 6, 'Sneaker' 7, 'Bag' 8, 'Boot' 9) rotate by 45 right
set ytics ('T-shirt' 0, 'Trouser' 1, 'Pullover' 2, 'Dress' 3, 'Coat' 4, 'Sandal' 5, 'Shirt' 6, 'Sneaker' 7, 'Bag' 8, 'Boot' 9)
set xlabel 'predicted class'
set ylabel 'true class'
set grid noxtics noytics
set border 15
set tics scale 0
unset colorbox
set palette defined (0 '#ffffff', 0.15 '#c6dbef', 1 '#08306b')
set cbrange [0:1]
plot f('confusion.tsv') using 2:1:4 with image, \
     f('confusion.tsv') using 2:1:(column('fraction') >= 0.005 && column('fraction') < 0.5 ? sprintf('%.0f', 100*column('fraction')) : '') \
       with labels tc rgb '#000000', \
     f('confusion.tsv') using 2:1:(column('fraction') >= 0.5 ? sprintf('%.0f', 100*column('fraction')) : '') \
       with labels tc rgb '#ffffff'
