@q D-teaching.w -- Appendix D: teaching with Descent (for instructors) @>
@* Teaching with Descent.
This appendix is for instructors.  Every chapter of the book can be
assigned as a lab: the student reads the chapter, whose prose derives
every formula, and writes the few lines of code that the chapter marks
as the heart of the matter; a machine then says whether those lines are
right, by the same tests that check the book's own code and by a
comparison with PyTorch on cases the student has never seen.  Nothing
here needs more than the source tree and the commands of the Preface.

@*1 Assigning a lab.
A lab is a chapter with holes in its code.  The book's webs mark each hole
with a {\it solution block\/}: two control comments around a few lines of
code, the first naming the hole and giving a {\it stub}, one line of
\CEE/ that compiles and does nothing useful (it returns zero, or leaves
its output alone).  The comments are invisible in this book and change
nothing in the program; they only tell \.{tools/student} what to take out.

The file \.{labs/NN.json} (\.{01}, \.{07}, \.{A3}, \dots) describes lab
\.{NN}: its title, its chapter, and for every hole its name, a sentence
saying what the code computes, the Criterion tests that cover it (as
\.{suite::test}, the names that \.{build/bin/test\_descent --list}
prints), the reference files of PyTorch's numbers (\.{tests/ref/NAME.txt},
checked through \.{build/bin/replay}) and the kinds of the live PyTorch
check that exercise it (the suites that
\.{tools/torch-check.py --only} takes).

To assign a lab, run in the source tree
$$\vbox{\halign{\.{#}\hfil\qquad&#\hfil\cr
make student&the student tree and the student book, in \.{build/student/}\cr
make grade LAB=NN&grade lab \.{NN} in a tree, results in \.{build/grade/}\cr}}$$
and hand out the directory \.{build/student/}: it is a complete source
tree of the book (the webs, the tests, the tools, the Makefile), with every
hole of every lab taken out, and with \.{build/student/book.pdf}, the
student book.  A course that assigns one lab at a time can hand out the
whole tree at once: the holes of later labs make only their own tests
fail, and a student who is curious about lab~9 while doing lab~7 can read
its chapter in the student book as well.

@*1 What the student receives.
In the student tree every solution block is replaced by its stub.  The
library, the chapter programs and the tests still compile with the
book's flags (\.{-Wall -Wextra -Werror}), so that the student's first
\.{make} succeeds, and the tests that cover a hole fail until the hole is
filled; all other tests pass.  The programs run, but a chapter program
that depends on an unfilled hole prints numbers that are wrong, which is
itself a lesson: the chapter's text quotes the right ones.

The student book is this book woven from the student tree.  Its prose,
figures and quoted numbers are those of the book, drawn by the reference
build (the figures are copied into the student tree, not drawn again from
the student's programs).  Where a hole is, the code shows a framed box
that says what to write and which tests check it, followed by the stub.
The box is the control text \.{@@t\\studentbox\{NAME\}@@>} that
\.{tools/student} puts in the web, which \.{ctangle} ignores and
\.{cweave} typesets; its words come from the lab files, through
\.{build/tex/labs.tex}, which \.{tools/labs-tex} writes from
\.{labs/*.json} at build time.  The list of the labs below comes from
the same file.

@*1 The labs.
Each lab below is named by its file, \.{labs/NN.json}, followed by its
chapter; each hole by its name, what it computes and the tests that must
pass once it is filled.  The list is generated from the lab files when the
book is built, so it is the list that the grader uses.
\labtable

@*1 Grading.
The grader is \.{tools/grade}, run by \.{make grade LAB=NN}.  It builds the
library and the tests in the tree it is given, runs the Criterion tests and
the reference files of the lab's holes, and writes
\.{build/grade/results.json} in the format that Gradescope's autograder
reads: a total \.{score} and, per test, its name, its status, its share of
the points and the first lines of what went wrong.  The file is the
result: the grader exits~0 whether tests fail or not, and non-zero only
when the tests could not be run (the student's code does not compile,
say), and then it says why on one line.

Credit is partial: each test is scored on its own, so a student who fills
one hole of three earns the points of that hole's tests, and a hole that
passes some of its tests (the plain case, not yet the edge cases) earns
some of its points.  Because the tests that cover a hole are exactly those
that its lab file lists, a hole can neither gain nor lose points through
another hole.  \.{tests/holes.sh} checks this: it builds one student tree
and checks that nothing fails that no lab lists and that every hole fails
some of its tests; with \.{--each} it builds the tree once per hole and
checks that the hole alone fails exactly the tests and reference files
that its lab lists.  Run it after every change to a hole or to a test.

The tests in the student tree can be read, and a determined student can
write code that passes them without computing the right thing.  The
{\it hidden\/} tests are the live comparison with PyTorch,
\.{tools/torch-check.py}: it draws fresh random cases from a seed that
the student does not know, runs them through the student's \.{replay}
and through PyTorch, and compares (the kinds it runs for a hole are the
lab file's \.{torch} list).  It needs PyTorch, which the grading machine
has and the student's need not have.

@*1 Varying a lab.
A lab can be varied without touching the grader.  The simplest variation
is in the exercises that end every chapter: each asks the student to
change a number or a line, predict what the chapter's program will print,
and run it; another seed (\.{--seed}), another learning rate or batch
size (\.{build/bin/NN-name --help} lists the knobs) gives every student
or every year a different set of predictions to make.

A new hole is a new solution block.  Pick the lines that carry the idea
(the update rule, not the loop around it), wrap them in
\.{@@q solution NAME: STUB @@>} and \.{@@q end solution @@>}, with a name
not used elsewhere in the book and a stub that compiles under the book's
warnings (cast the arguments it ignores to \.{(void)}).  Then find the
tests that the hole alone fails: add the hole to a lab file with an empty
list of tests and run \.{tests/holes.sh --each}, which writes the
failures of each hole to \.{build/holes/each-NAME}.  If no test fails, the
hole is not tested yet: write a Criterion test that checks what the code
computes (by hand, by an exact enumeration, or against PyTorch's numbers)
before assigning it.  Copy the failures into the lab file and run
\.{tests/holes.sh} again.  A hole's tests should fail for the reason the
hole is there, not because a stub returned zero somewhere far away; a
stub that keeps the code's structure (leaving an output unchanged, say)
makes for clearer failures than one that breaks everything downstream.

A harder lab leaves out more: a whole function instead of its loop, or
two holes in one computation (the loss and its gradient, Lab~08).  An
easier one gives more of the code back.  Either way the tests, the
reference files and the book's own code stay as they are, and
\.{make check} keeps proving that the book's code passes every test the
students are graded by.
