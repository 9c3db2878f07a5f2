@q C-reading.w -- Appendix C: further reading @>
@* Further reading.
The chapters cite their sources in passing; this appendix collects the
works they cite, and only those, grouped by the chapter that leans on
them, in the order in which it brings them up.  A work cited in several
chapters is described once, where it matters most.  Each entry gives the
authors, the year, the title and, where it is known, the venue; then what
in the work repays reading, and what this book takes from it and where.
The chapters measure these works' claims on a small network; the works
are where the claims were made at full scale, with their evidence and
with conditions that the folklore has often lost.  One source is left
out because it is everywhere: PyTorch~1.13, whose documentation, and code
where the documentation is silent, defines ``the same as PyTorch''.
\par\smallskip
\gdef\readingentry{\par\smallskip\noindent\hangindent1.5em\hangafter1 }

@*1 Chapter 1: the landscape and plain SGD.
\readingentry Y.~Dauphin et~al., 2014.  {\it Identifying and attacking the saddle
point problem in high-dimensional non-convex optimization\/}, NeurIPS
2014.  Read the argument, from random-matrix models and from measurements
on small networks, that saddles rather than poor local minima are what
slow training.  It is the claim that the saddle of ``Paths on contour
maps'' is set against: there the escape time grew only like
$\ln(1/y_0)$.

\readingentry C.~Jin et~al., 2017.  {\it How to escape saddle points
efficiently\/}, ICML 2017.  The main theorem: gradient descent with
occasional random perturbations escapes strict saddles, at a cost that
depends on the dimension only polylogarithmically.  Chapter~1 cites it
for the statement that perturbed variants provably escape.

\readingentry S.~McCandlish et~al., 2018.  {\it An
empirical model of large-batch training\/}, arXiv:1812.06162.  The
gradient noise scale, why it predicts a {\it critical batch size\/}
beyond which larger batches stop paying, and measurements of its growth
during training.  ``Stochastic gradients'' measures the same ratio
$\sigma^2/\Vert g\Vert^2$; ``Batch size on a fixed budget'' explains its
diminishing returns with it.

@ The works behind ``Flat and sharp minima'', which measures none of this itself.
\readingentry S.~Hochreiter and J.~Schmidhuber, 1997.  {\it Flat minima\/},
{\it Neural Computation\/} 9.  The origin of the idea that a minimum in a
wide flat region generalizes better; read it for the argument itself,
which the folklore repeats without its conditions.

\readingentry N.~S.~Keskar et~al., 2017.  {\it On large-batch training for deep
learning: generalization gap and sharp minima\/}, ICLR 2017.  The
experiments that found large batches, run with small-batch settings,
generalizing worse, and the sharpness measure offered as the reason.

\readingentry E.~Hoffer, I.~Hubara and D.~Soudry, 2017.  {\it Train longer,
generalize better: closing the generalization gap in large batch training
of neural networks\/}, NeurIPS 2017.  Read it beside Keskar et~al.: much
of their gap closes when the large-batch runs get more steps and an
adapted learning rate.  (Goyal et~al., the other half of that answer,
are under Chapter~7.)

\readingentry J.~Cohen et~al., 2021.  {\it Gradient descent on neural networks
typically occurs at the edge of stability\/}, ICLR 2021.  The full-batch
runs in which the sharpness $\lambda_{\max}$ climbs to $2/\eta$ and hovers
there while the loss keeps falling, unevenly.  It is the sequel to ``The
stability limit'': the bound $\eta<2/\lambda_{\max}$ derived there on a
quadratic turns out to shape the minima that real networks reach.

\readingentry L.~Dinh et~al., 2017.  {\it Sharp minima can generalize for deep
nets\/}, ICML 2017.  The short argument that a reparametrization which
leaves a network's function unchanged can make a flat minimum as sharp
as one likes, so that sharpness alone cannot be the cause.

\readingentry Y.~Jiang et~al., 2020.  {\it Fantastic generalization measures and
where to find them\/}, ICLR 2020.  A large comparison of measures that
claim to predict generalization, sharpness-based ones among them, over
many networks trained with controlled changes of their hyperparameters.

\readingentry M.~Andriushchenko et~al., 2023.  {\it A modern look at the
relationship between sharpness and generalization\/}, ICML 2023.  The same
question asked of modern architectures and training settings, where the
correlation is weak.

\readingentry P.~Foret et~al., 2021.  {\it Sharpness-aware minimization for
efficiently improving generalization\/}, ICLR 2021.  The min-max objective
and the one-extra-gradient approximation that make SAM cheap; the method
that seeks flat regions and, as Chapter~1 notes, often helps in practice
whatever the theory.

@*1 Chapter 2: momentum and Nesterov.
\readingentry B.~T.~Polyak, 1964.  {\it Some methods of speeding up the
convergence of iteration methods\/}, {\it USSR Computational Mathematics
and Mathematical Physics\/} 4(5).  The heavy-ball method and its faster
rate near a minimum: the ancestor of ``Heavy-ball momentum'' and of the $\sqrt\kappa$
tuning in ``From $\kappa$ to $\sqrt\kappa$''.

\readingentry Y.~Nesterov, 1983.  {\it A method for solving the convex programming
problem with convergence rate $O(1/k^2)$\/}, {\it Soviet Mathematics
Doklady\/} 27.  A short note that gives the method and the rate of its
title; the chapter's part ``Nesterov's method'' starts from it.

\readingentry I.~Sutskever, J.~Martens, G.~Dahl and G.~Hinton, 2013.  {\it On the
importance of initialization and momentum in deep learning\/}, ICML 2013.
Read the section that writes Nesterov's method as momentum with the
gradient taken at a look-ahead point, and the experiments in which
well-scheduled momentum trains deep networks far better than plain SGD.
Chapter~2 proves its look-ahead form equal to PyTorch's.

\readingentry Y.~Bengio, N.~Boulanger-Lewandowski and R.~Pascanu, 2013.  {\it
Advances in optimizing recurrent networks\/}, ICASSP 2013.  The
reformulation of Nesterov's step that takes the gradient where the
parameters are, which is the form that PyTorch implements.

\readingentry A.~Karpathy et~al.  CS231n course notes, {\it Neural networks
part~3: learning and evaluation\/}, Stanford, 2015 on.  The section on
parameter updates writes momentum as a velocity with the rate inside;
``The learning rate outside the buffer'' measures what that form does
under a schedule.

\readingentry L.~Lessard, B.~Recht and A.~Packard, 2016.  {\it Analysis and design
of optimization algorithms via integral quadratic constraints\/}, {\it
SIAM Journal on Optimization\/} 26(1).  Read for the example of a smooth,
strongly convex function on which the heavy ball, tuned as for a
quadratic, fails to converge; Chapter~2 cites it to fence in its
$\sqrt\kappa$ result.

\readingentry R.~Kidambi, P.~Netrapalli, P.~Jain and S.~Kakade, 2018.  {\it On
the insufficiency of existing momentum schemes for stochastic
optimization\/}, ICLR 2018.  Noisy least-squares problems on which the
heavy ball and Nesterov's method, at their best settings, do no better
than SGD: the caveat that the chapter's exact-gradient experiments do not
test.

\readingentry G.~Goh, 2017.  {\it Why momentum really works\/}, {\it Distill}.
The ravine analysis of this chapter, drawn with interactive figures in
which $\eta$ and $\mu$ can be dragged.

@*1 Chapter 3: adaptive methods.
\readingentry J.~Duchi, E.~Hazan and Y.~Singer, 2011.  {\it Adaptive subgradient
methods for online learning and stochastic optimization\/}, {\it JMLR\/}
12.  Adagrad.  Read the diagonal form of the algorithm and the
statement of its $\sqrt T$ regret bound: the effective step that dies like
$1/\sqrt t$ is what the bound rests on, and ``Adagrad'' shows why it
suits convex problems with sparse features better than long runs.

\readingentry T.~Tieleman and G.~Hinton, 2012.  Lecture 6.5, {\it RMSprop: divide
the gradient by a running average of its recent magnitude\/}, {\it Neural
Networks for Machine Learning}, Coursera.  A lecture, never a paper: the
only primary source for RMSprop, and short.

\readingentry A.~Graves, 2013.  {\it Generating sequences with recurrent neural
networks\/}, arXiv:1308.0850.  A paper about sequence models that, along
the way, gives the {\it centered\/} variant of RMSprop, which divides by
an estimate of the standard deviation; PyTorch's \.{centered} flag is it.

\readingentry D.~P.~Kingma and J.~Ba, 2015.  {\it Adam: a method for stochastic
optimization\/}, ICLR 2015.  Read Algorithm~1, the discussion of the
update rule with its bound on the size of a step, and the section on
initialization bias correction.  ``Adam'' derives the same corrections
and measures the bound $(1-\beta_1)/\sqrt{1-\beta_2}\,\eta$.

\readingentry S.~J.~Reddi, S.~Kale and S.~Kumar, 2018.  {\it On the convergence of
Adam and beyond\/}, ICLR 2018.  The convex example on which Adam fails to
converge, and AMSGrad, the fix.  Compare its algorithm with PyTorch's
\.{amsgrad}, which takes the maximum of the raw $v$, as ``Adam'' points out.

\readingentry I.~Loshchilov and F.~Hutter, 2019.  {\it Decoupled weight decay
regularization\/}, ICLR 2019.  The paper behind AdamW.  Its first two
algorithms set $L_2$ regularization and decoupled decay side by side, for
SGD with momentum and for Adam; read them before ``Weight decay: Adam with
$L_2$ against AdamW'', noting that the paper scales the decay by the
schedule's factor, PyTorch by the rate.

\readingentry A.~C.~Wilson, R.~Roelofs, M.~Stern, N.~Srebro and B.~Recht, 2017.
{\it The marginal value of adaptive gradient methods in machine
learning\/}, NeurIPS 2017.  The source of ``Adam generalizes worse than
SGD''.  Read its tuning protocol as closely as its results; the claim is
the starting point of ``Generalization: momentum against Adam''.

\readingentry D.~Choi, C.~J.~Shallue, Z.~Nado, J.~Lee, C.~J.~Maddison and
G.~E.~Dahl, 2019.  {\it On empirical comparisons of optimizers for deep
learning\/}, arXiv:1910.05446.  The answer to Wilson et~al.: rankings of
optimizers follow from how their hyperparameters are tuned, and with
enough tuning Adam did no worse than momentum.  Chapter~3's comparison
tunes each method's rate on held-out data because of it.

@*1 Chapter 4: learning-rate schedules.
For gradual warmup, see Goyal et~al., under Chapter~7.
\readingentry I.~Loshchilov and F.~Hutter, 2017.  {\it SGDR: stochastic gradient
descent with warm restarts\/}, ICLR 2017.  The cosine schedule and its
restarts, with periods that may grow after each restart: the formulas
behind \.{CosineAnnealingLR} and its warm-restart sibling in ``Cosine
annealing, warmup and warm restarts''.

\readingentry L.~N.~Smith, 2017.  {\it Cyclical learning rates for training neural
networks\/}, WACV 2017.  The triangular policy of ``Cycles'', and the short
run with a rising rate from which the paper reads the bounds of the
cycle: the {\it range test\/} of ``The learning-rate range test''.

\readingentry L.~N.~Smith and N.~Topin, 2019.  {\it Super-convergence: very fast
training of neural networks using large learning rates\/}, SPIE 11006.
The one-cycle policy and the claim, for residual networks on CIFAR-10,
of training in a fraction of the usual steps, with the authors'
explanation that large rates also regularize.  ``One cycle on a short
budget'' tests the claim on a small perceptron and does not reproduce it.

\readingentry J.~Ma and D.~Yarats, 2021.  {\it On the adequacy of untuned warmup
for adaptive optimization\/}, AAAI 2021.  What warmup does for Adam, and the
rule of thumb of a linear warmup over $2/(1-\beta_2)$ steps, which
``Warmup'' quotes and which its one-epoch runs are too short to test.

@*1 Chapter 5: gradient clipping.
\readingentry R.~Pascanu, T.~Mikolov and Y.~Bengio, 2013.  {\it On the difficulty
of training recurrent neural networks\/}, ICML 2013.  The analysis of
exploding and vanishing gradients in recurrent networks, the picture of a
steep cliff in the loss that throws the weights far, and the algorithm
that rescales the gradient when its norm passes a threshold: clipping by
norm, the subject of Chapter~5.

\readingentry P.~Seetharaman, G.~Wichern, B.~Pardo and J.~Le~Roux, 2020.  {\it
AutoClip: adaptive gradient clipping for source separation networks\/},
IEEE MLSP 2020.  A threshold set at a percentile of the gradient norms
seen so far, so that it follows their drift: the adaptive version of the
recipe of ``Choosing the threshold'', not measured in this book.

@*1 Chapter 6: low precision.
\readingentry IEEE Standard for Floating-Point Arithmetic, IEEE Std 754-2008.
The definition of binary16 and of rounding to nearest with ties to even,
the rules that ``Two formats of sixteen bits'' and ``Rounding at the
edges'' build bit for bit.

\readingentry P.~Micikevicius et~al., 2018.  {\it Mixed precision training\/},
ICLR 2018.  The recipe of Chapter~6 in its original form: an fp32 master
copy of the weights, loss scaling, and accumulation in fp32.  Read the
histogram of the activation gradients of an SSD detector, many of them
below fp16's range, and compare it with the much tamer histogram of
``Gradients in half precision''.

\readingentry D.~Kalamkar et~al., 2019.  {\it A study of BFLOAT16 for deep
learning training\/}, arXiv:1905.12322.  The case for bf16: the range of
fp32, hence training at fp32's accuracy with unchanged hyperparameters,
across many kinds of network; and the rounding from fp32 to bf16.  The
chapter's bf16 run, with no loss scale, is a small instance.

\readingentry N.~J.~Higham, 1993.  {\it The accuracy of floating point
summation\/}, {\it SIAM Journal on Scientific Computing\/} 14.  Error
bounds for recursive, pairwise and other orders of summation: the theory
behind ``Sums in low precision'', where a 16-bit running sum stalls and
a pairwise sum holds out until it overflows.

\readingentry PyTorch~1.13, \.{torch.cuda.amp.GradScaler} and its kernel
\.{\_amp\_update\_scale\_}.  The dynamic rule of ``Loss scaling'': halve
the scale on an overflow and skip the step, double it after a run of
clean steps.  (Since PyTorch~2.3 the class is \.{torch.amp.GradScaler},
with the same rule.)

@*1 Chapter 7: large batches.
\readingentry P.~Goyal et~al., 2017.  {\it Accurate, large minibatch SGD: training
ImageNet in 1 hour\/}, arXiv:1706.02677.  Read the argument for the linear
scaling rule and its assumption, the gradual warmup, and the results in
which ResNet-50 keeps its accuracy up to batches of 8192.  ``The linear
scaling rule'' repeats the argument and finds the same shape; Chapter~4
measures the warmup; Chapter~1 cites it on the generalization gap.

\readingentry Y.~You, I.~Gitman and B.~Ginsburg, 2017.  {\it Large batch training
of convolutional networks\/}, arXiv:1708.03888.  LARS: read Algorithm~1
and the local learning rate of its eq.~6, which the library follows
exactly, denominator included.

\readingentry Y.~You et~al., 2020.  {\it Large batch optimization for deep
learning: training BERT in 76 minutes\/}, ICLR 2020.  LAMB, the trust
ratio applied to Adam.  Read Algorithm~2 of the final version, whose bias
corrections the library keeps and some implementations drop.

\readingentry X.~Chen et~al., 2023.  {\it Symbolic discovery of optimization
algorithms\/}, NeurIPS 2023.  Lion, found by a search over programs.
Read Algorithm~2, and the advice on hyperparameters: a rate 3 to 10 times
smaller than AdamW's and a decay as many times larger, which ``Lion
against AdamW'' explains by the size of a sign update.

\readingentry P.~Izmailov, D.~Podoprikhin, T.~Garipov, D.~Vetrov and A.~G.~Wilson,
2018.  {\it Averaging weights leads to wider optima and better
generalization\/}, UAI 2018.  Stochastic weight averaging, and the
reported gains that ``Averaging the weights'' puts to the test.

\readingentry S.~Rajbhandari, J.~Rasley, O.~Ruwase and Y.~He, 2020.  {\it ZeRO:
memory optimizations toward training trillion parameter models\/}, SC20.
Read the stages of sharding; stage~1, the optimizer state divided among
the ranks, is what ``Many processes, one result'' implements.

\readingentry P.~Patarasuk and X.~Yuan, 2009.  {\it Bandwidth optimal all-reduce
algorithms for clusters of workstations\/}, {\it Journal of Parallel and
Distributed Computing\/} 69(2).  The lower bound on the data an
all-reduce must move, and the ring algorithm that meets it: the cost
model of ``What the communication costs''.

@*1 Chapter 8: regularization, initialization and debugging.
\readingentry K.~He, X.~Zhang, S.~Ren and J.~Sun, 2015.  {\it Delving deep into
rectifiers: surpassing human-level performance on ImageNet
classification\/}, ICCV 2015.  Read the derivation of the initialization
for rectifier networks, forward and backward, which gives
$\sigma^2=2/n$: the library's default (Appendix~A) and the subject of
``Initialization''.

\readingentry X.~Glorot and Y.~Bengio, 2010.  {\it Understanding the difficulty of
training deep feedforward neural networks\/}, AISTATS 2010.  The variance
argument for symmetric activations and its compromise between fan-in and
fan-out, which, ``Initialization'' shows, halves the signal at every
layer of a rectifier network.

\readingentry C.~Szegedy et~al., 2016.  {\it Rethinking the Inception architecture
for computer vision\/}, CVPR 2016.  A paper about architecture whose
short section on label smoothing introduced the idea; ``Label smoothing''
derives the loss and matches PyTorch's.

\readingentry C.~Guo, G.~Pleiss, Y.~Sun and K.~Q.~Weinberger, 2017.  {\it On
calibration of modern neural networks\/}, ICML 2017.  The expected
calibration error and reliability diagrams, with the 15 bins that
``Calibration'' uses, and the finding that modern networks are
overconfident.

\readingentry N.~Srivastava, G.~Hinton, A.~Krizhevsky, I.~Sutskever and
R.~Salakhutdinov, 2014.  {\it Dropout: a simple way to prevent neural
networks from overfitting\/}, {\it JMLR\/} 15.  The method and its
motivation; note that it scales the weights at test time, where PyTorch
scales the survivors during training, the same in expectation.

\readingentry A.~Karpathy, 2019.  {\it A recipe for training neural networks\/},
a post on his blog.  A practitioner's order of cheap checks, from the
loss at initialization to overfitting one batch, that ``The debugging
ladder'' turns into experiments with planted bugs.

@*1 Chapter 9: the trainer.
\readingentry K.~Goto and R.~A.~van de Geijn, 2008.  {\it Anatomy of
high-performance matrix multiplication\/}, {\it ACM Transactions on
Mathematical Software\/} 34(3).  The layering of a fast matrix product
into a micro-kernel, packing and blocking for each level of cache, with
the reasoning that sets the block sizes: the design of ``A fast matrix
product''.

\readingentry F.~G.~Van~Zee and R.~A.~van de Geijn, 2015.  {\it BLIS: a framework
for rapidly instantiating BLAS functionality\/}, {\it ACM Transactions on
Mathematical Software\/} 41(3).  The same design with all but the
micro-kernel in portable C; the clearest modern account, and the same
split that the chapter makes between its blocked product and its kernels.

\readingentry S.~Williams, A.~Waterman and D.~Patterson, 2009.  {\it Roofline: an
insightful visual performance model for multicore architectures\/}, {\it
Communications of the ACM\/} 52(4).  Arithmetic intensity and the bound
$\min(P,\,I\cdot W)$, which ``Measuring the machine'' applies to the three
products and the AdamW step.

\readingentry Intel, {\it Intel 64 and IA-32 Architectures Software Developer's
Manual}.  The entry for \.{vdpbf16ps}, which defines the order of its
additions and its flushing of subnormals term by term; the scalar kernel
of ``Products in bfloat16'' copies that definition, and the tests hold
the instruction to it.

@*1 Chapter 11: after AdamW.
\readingentry G.~E.~Dahl et~al., 2023.  {\it Benchmarking neural network
training algorithms\/}, arXiv:2306.07179.  The AlgoPerf benchmark: why
comparisons of optimizers so often mislead, and its rules for a fair
one---a fixed budget, tuning on held-out data, scores from fresh runs.
The protocol that opens Chapter~11 is a small copy of those rules.

\readingentry K.~Jordan et~al., 2024.  {\it Muon: an optimizer for hidden
layers in neural networks\/}, blog post, kellerjordan.github.io.  The
method as its authors describe it: momentum orthogonalized by a
Newton--Schulz iteration with the coefficients $(3.4445,-4.7750,2.0315)$,
chosen to push small singular values up fast rather than to converge,
applied to the 2-D hidden weights only, and the speed-run evidence for
it.  ``What five steps of Newton--Schulz do'' measures that map.  The
semantics the library follows are those of PyTorch's
\.{torch.optim.Muon} (PyTorch~2.9 and later), whose documentation
describes its learning-rate adjustment for the shape of a matrix.

\readingentry A.~H\"agele et~al., 2024.  {\it Scaling laws and
compute-optimal training beyond fixed training durations\/}, NeurIPS
2024.  Warmup--stable--decay with cooldowns branched from one
constant-rate run, and the claim that a cooldown of 10--20\% matches
cosine at the same length, which ``Warmup--stable--decay, branched'' tests.

\readingentry S.~Bergsma et~al., 2025.  {\it Straight to zero: why
linearly decaying the learning rate to zero works best for LLMs\/},
ICLR 2025.  The argument, from the view of AdamW's weights as an average
of past updates, that a linear decay all the way to zero beats the
usual cosine to a tenth of the peak; the second claim of the same part.

\readingentry A.~Defazio et~al., 2024.  {\it The road less scheduled\/},
NeurIPS 2024.  Schedule-free training: three sequences, a constant rate
for one, a weighted average for the point that is evaluated, and the
gradient taken between them.  Read it with the reference implementation
(facebookresearch/schedule\_free), whose choices---the warmup and the
bias correction folded into the rate, the weights of the average---the
library follows and the chapter writes down.

\readingentry T.~Dettmers, M.~Lewis, S.~Shleifer and L.~Zettlemoyer,
2022.  {\it 8-bit optimizers via block-wise quantization\/}, ICLR 2022.
Adam's two moments kept in one byte each: dynamic (non-linear)
quantization maps, block-wise absolute maxima, and the stable embedding
layer the authors found necessary.  ``Eight-bit optimizer state'' builds
the first two, finds its runs diverging, and says which of the paper's
other choices it did not reproduce.

@*1 Appendix A: the toolkit.
\readingentry M.~E.~O'Neill, 2014.  {\it PCG: a family of simple fast
space-efficient statistically good algorithms for random number
generation}.  The generator of ``Random numbers'': read the parts on the
XSH~RR output function and on streams, which let each chapter give its
shuffler, initializer and dropout masks sequences that never overlap.

\readingentry H.~Xiao, K.~Rasul and R.~Vollgraf, 2017.  {\it Fashion-MNIST: a novel
image dataset for benchmarking machine learning algorithms\/},
arXiv:1708.07747.  The data set of every real experiment in this book:
how the pictures were made, and why it keeps MNIST's format and split.
He et~al.'s initialization, which the network of part~3 uses, is under
Chapter~8.
