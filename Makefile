# Makefile -- the one build of Descent.
#
#   make            library, chapter programs, their data, the figures, build/book.pdf
#   make check      every test: library (Criterion), programs, PyTorch reference
#                   vectors, a live comparison with PyTorch, and the suite again
#                   under AddressSanitizer + UndefinedBehaviorSanitizer
#   make lint       house rules for the webs and the typeset book
#   make refs       regenerate tests/ref/ with PyTorch (tools/make-refs.py)
#   make install PREFIX=/usr/local DESTDIR=
#   make clean
#
# Every chapter chapters/NN-name.w tangles *alone* into build/src: its main
# output NN-name.c is the chapter's program, and every @(file.c@> or
# @(file.h@> it writes is part of libdescent.  The book is woven once, from a
# master web that @i-includes every chapter in reading order.
SHELL    := /bin/bash
CC       := gcc
B        := build
VERSION  := 0.1
WARN     := -Wall -Wextra -Werror
CFLAGS   := -std=c17 -O2 -g -ffp-contract=off -fopenmp $(WARN)
CPPFLAGS := -I$(B)/src -D_DEFAULT_SOURCE -DDESCENT_VERSION='"$(VERSION)"'
DEPFLAGS := -MMD -MP
LDLIBS   := -lz -lm
# Two OpenMP programs sharing two cores crawl when idle threads spin (make -j2
# runs a chapter's program beside the tests): let them sleep. No result changes.
export OMP_WAIT_POLICY := passive
# quiet by default; make V=1 shows every command
Q        := $(if $(V),,@)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
TEXENV    = TEXINPUTS=.:$(CURDIR):$(CURDIR)/tex:$(CURDIR)/$(B)/fig:$(CURDIR)/$(B)/data:
CRIT      = $(shell pkg-config --cflags --libs criterion)

# --- Debian packages: installed (as root) or named (otherwise) before anything runs
ifeq ($(filter clean lint,$(MAKECMDGOALS)),)
DEPSET := $(if $(filter check grade student,$(MAKECMDGOALS)),check,build)
ifneq ($(shell tools/install-deps $(DEPSET) >&2 || echo missing),)
$(error missing Debian packages (see the apt-get line above))
endif
endif

# --- what there is
CHAPTERS  := $(sort $(wildcard chapters/*.w))
NUMBERED  := $(sort $(wildcard chapters/[0-9][0-9]-*.w))
NUMNAMES  := $(patsubst chapters/%.w,%,$(NUMBERED))
# their numbers, "1,2,...,": the book numbers a chapter by its file's name
CHAPNUMS  := ${shell ls chapters/[0-9][0-9]-*.w | sed 's|chapters/0*\([0-9]*\)-.*|\1|' | tr '\n' ','}
PROGWEBS  := ${shell grep -l '^@c' $(CHAPTERS)}
PROGNAMES := $(patsubst chapters/%.w,%,$(PROGWEBS))
# a program is named after its web; an appendix's loses its letter (B-replay -> replay)
binname    = $(shell echo $(1) | sed 's/^[A-Z][0-9]*-//')
PROGS     := $(foreach p,$(PROGNAMES),$(B)/bin/$(call binname,$(p)))
# only a web with program text (an unnamed @c part or an @(file@> output) is
# tangled: ctangle fails on a web of prose alone, such as the further reading
# of Appendix C, which is only woven into the book
CODEWEBS  := ${shell grep -lE '^@c|@\([^@]*@>=' $(CHAPTERS)}
STAMPS    := $(CODEWEBS:chapters/%.w=$(B)/stamp/%.tangled)
# files written by @(name@>= anywhere (braces: make would count the '(')
LIBNAMES  := ${shell sed -n 's/^.*@(\([^@]*\)@>=.*/\1/p' $(CHAPTERS) | sort -u}
# two files of the library are assembled by the build, not written by a web:
# descent.h, which includes every header the webs write, and opt-kinds.c, the
# table of optimizer kinds that the webs define (in reading order)
LIBSRCS   := $(addprefix $(B)/src/,$(filter %.c,$(LIBNAMES)) opt-kinds.c)
LIBHDRS   := $(addprefix $(B)/src/,$(filter %.h,$(LIBNAMES)) descent.h)
OPTKINDS  := ${shell sed -n 's/^const struct opt_kind \(opt_[a-z0-9_]*\) *=.*/\1/p' $(CHAPTERS)}
LIBOBJS   := $(LIBSRCS:$(B)/src/%.c=$(B)/obj/%.o)
LIB       := $(B)/lib/libdescent.a
DATA      := $(patsubst %,$(B)/data/%/.done,$(filter $(NUMNAMES),$(PROGNAMES)))
FIGS      := $(patsubst figures/%.gp,$(B)/fig/%.pdf,$(wildcard figures/*.gp))

all: $(B)/book.pdf
progs: $(PROGS)
lib: $(LIB)
data: $(DATA)
figs: $(FIGS)
.PHONY: all progs lib data figs check lint clean install refs student grade bench fuzz fuzz-seeds
.DELETE_ON_ERROR:
.PRECIOUS: $(B)/obj/%.o $(B)/asan/%.o $(B)/src/%.c
.SECONDARY: $(FIGS:%.pdf=%-tikz.tex)

$(B)/src $(B)/obj $(B)/bin $(B)/lib $(B)/fig $(B)/tex $(B)/stamp $(B)/asan:
	mkdir -p $@

# --- tangle.  ctangle writes @(file@> outputs into its working directory, so
# it runs inside build/src, given the web's absolute path (so #line directives
# point at the .w from anywhere).  +c leaves unchanged files untouched; the
# stamp records that the web was tangled.
$(B)/stamp/%.tangled: chapters/%.w | $(B)/src $(B)/stamp
	@echo "tangle $<"
	$(Q)cd $(B)/src && ctangle -bhp +c $(abspath $<) - $*.c > ../stamp/$*.log \
	  || { cat ../stamp/$*.log; exit 1; }
	$(Q)touch $@
define OUTPUTS_OF
${addprefix $(B)/src/,$(patsubst chapters/%.w,%.c,$(1)) \
  ${shell sed -n 's/^.*@(\([^@]*\)@>=.*/\1/p' $(1) | sort -u}}: $(B)/stamp/$(patsubst chapters/%.w,%,$(1)).tangled ;
endef
$(foreach w,$(CODEWEBS),$(eval $(call OUTPUTS_OF,$(w))))

# --- the assembled files.  They are rewritten only when their text changes,
# so that a tangle that changes nothing recompiles nothing.
$(B)/src/descent.h: $(STAMPS) Makefile | $(B)/src
	@{ echo '/* descent.h -- assembled by the Makefile: every header of libdescent */'; \
	  echo '#ifndef DESCENT_H'; echo '#define DESCENT_H'; \
	  for h in errno float limits math stdarg stdlib string time; do echo "#include <$$h.h>"; done; \
	  for h in $(filter-out descent.h,$(notdir $(LIBHDRS))); do echo "#include \"$$h\""; done; \
	  for k in $(OPTKINDS); do echo "extern const struct opt_kind $$k;"; done; \
	  echo '#endif'; } > $@.tmp
	$(Q)cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@
$(B)/src/opt-kinds.c: $(B)/src/descent.h Makefile
	@{ echo '/* opt-kinds.c -- assembled by the Makefile: the optimizers the chapters define */'; \
	  echo '#include "descent.h"'; \
	  echo 'const struct opt_kind *const opt_kinds[] = {'; \
	  for k in $(OPTKINDS); do echo "  &$$k,"; done; \
	  echo '  NULL };'; } > $@.tmp
	$(Q)cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

# --- compile: every object waits for every tangle (headers come from any web)
$(B)/obj/%.o: $(B)/src/%.c | $(B)/obj $(STAMPS) $(B)/src/descent.h
	@echo "cc    $<"
	$(Q)$(CC) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -c $< -o $@
$(LIB): $(LIBOBJS) | $(B)/lib
	@echo "ar    $@"
	$(Q)rm -f $@ && ar rcs $@ $^
define PROGRULE
$(B)/bin/$(call binname,$(1)): $(B)/obj/$(1).o $(LIB) | $(B)/bin
	@echo "link  $$@"
	$$(Q)$$(CC) $$(CFLAGS) $$< $$(LIB) $$(LDLIBS) -o $$@
$(B)/asan/bin/$(call binname,$(1)): $(B)/asan/$(1).o $(B)/asan/libdescent.a
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) -O1 $$(SANFLAGS) $$< $(B)/asan/libdescent.a $$(LDLIBS) -o $$@
endef
$(foreach p,$(PROGNAMES),$(eval $(call PROGRULE,$(p))))
-include $(wildcard $(B)/obj/*.d $(B)/obj/tests/*.d $(B)/asan/*.d)

# --- run each chapter's program: its TSV data (and values.tex, the numbers the
# prose quotes) land in build/data/NN-name/; what it prints is kept as well.
$(DATA): $(B)/data/%/.done: $(B)/bin/%
	@mkdir -p $(@D)
	@echo "run   $< --out $(@D)"
	@$< --out $(@D) $(RUNFLAGS_$*) > $(@D)/stdout.txt || { cat $(@D)/stdout.txt; exit 1; }
	@touch $@

# a chapter whose default run is longer than a build can afford names a
# shorter one here (the book says which run it quotes)
RUNFLAGS_09-trainer := --epochs 3 --train-size 30000
# the trainer's fused AdamW pass (chapter 9, the library's fused.c) vectorizes
# only if sqrtf need not set errno
$(B)/obj/fused.o $(B)/asan/fused.o: CFLAGS += -fno-math-errno

# --- figures: figures/NN-name-what.gp reads build/data/NN-name/ and becomes
# build/fig/NN-name-what.pdf through gnuplot's tikz terminal and tex/figwrap.tex,
# so its labels are set by TeX in the book's own fonts.
define FIGRULE
$(B)/fig/$(1)-%-tikz.tex: figures/$(1)-%.gp $(B)/data/$(1)/.done tex/descent.gp | $(B)/fig
	@echo "plot  $$<"
	$$(Q)gnuplot -e "datadir='$(B)/data/$(1)'; outfile='$$@'" tex/descent.gp $$<
endef
$(foreach c,$(NUMNAMES),$(eval $(call FIGRULE,$(c))))
$(B)/fig/%.pdf: $(B)/fig/%-tikz.tex tex/figwrap.tex
	$(Q)cd $(B)/fig && $(TEXENV) pdftex -interaction=nonstopmode -halt-on-error \
	  -jobname=$* '\def\fig{$*-tikz}\input figwrap' >/dev/null \
	  || { tail -20 $*.log; exit 1; }

# --- the book.  The master web is generated from the chapter list: its limbo
# reads book.tex (page design, title page, preface) and tex/types.w (how to
# typeset the type names of <stdint.h> and the library), then @i-includes
# every chapter in reading order; appendices (A-..., B-...) sort last.
$(B)/tex/descent.w: $(CHAPTERS) Makefile | $(B)/tex
	@{ echo '@q descent.w -- generated by the Makefile: woven, never tangled @>'; \
	  echo '\input book'; \
	  echo '\numberedchapters=$(words $(NUMBERED))'; \
	  echo '\def\chapternumbers{$(CHAPNUMS)}'; \
	  echo '@i tex/types.w'; \
	  for w in $(CHAPTERS); do echo "@i $$w"; done; \
	  echo; echo '@* Index.'; \
	  echo 'Concepts are set in roman type, identifiers in italic or typewriter.'; \
	  echo 'Underlined entries mark where an identifier is defined; the other'; \
	  echo 'numbers are the sections that use it.  One-letter local names are'; \
	  echo 'left out.'; } > $@.tmp && mv $@.tmp $@
$(B)/tex/descent.tex: $(B)/tex/descent.w $(CHAPTERS) tex/types.w tools/index-filter
	@echo "weave $@"
	$(Q)cweave -bhp $< - $@ > $(B)/tex/cweave.log || { cat $(B)/tex/cweave.log; exit 1; }
	$(Q)tools/index-filter $(B)/tex/descent.idx
# the labs as TeX (tools/labs-tex): the student book's boxes and the
# instructor's appendix's list of labs read it
$(B)/tex/labs.tex: $(wildcard labs/*.json) tools/labs-tex | $(B)/tex
	$(Q)tools/labs-tex labs $@
$(B)/book.pdf: $(B)/tex/descent.tex book.tex tex/bookmac.tex $(B)/tex/labs.tex $(FIGS) $(DATA)
	@echo "tex   $(B)/tex/descent.tex (two passes)"
	$(Q)cd $(B)/tex && for pass in 1 2; do \
	  $(TEXENV) pdftex -interaction=nonstopmode -halt-on-error descent.tex >/dev/null \
	  || { tail -30 descent.log; exit 1; }; done
	@! grep -a 'Missing character' $(B)/tex/descent.log
	$(Q)cp $(B)/tex/descent.pdf $@
	@echo "book  $@: $$(pdfinfo $@ 2>/dev/null | sed -n 's/^Pages: *//p') pages"

# --- tests
# each test file is its own object (a change to one recompiles one; a lab's
# variant of the library links with the same objects, tests/grade-mistakes.sh)
TESTSRCS := $(wildcard tests/test_*.c)
TESTOBJS := $(TESTSRCS:tests/%.c=$(B)/obj/tests/%.o)
$(B)/obj/tests:
	mkdir -p $@
$(B)/obj/tests/%.o: tests/%.c | $(B)/obj/tests $(STAMPS) $(B)/src/descent.h
	@echo "cc    $<"
	$(Q)$(CC) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -Wno-error=unused-parameter \
	  $(shell pkg-config --cflags criterion) -c $< -o $@
$(B)/bin/test_descent: $(TESTOBJS) $(LIB) | $(B)/bin
	@echo "link  $@"
	$(Q)$(CC) $(CFLAGS) $(TESTOBJS) $(LIB) $(CRIT) $(LDLIBS) -o $@
# a small training run on the session, for tests/resume.sh (exact resume after kill -9)
$(B)/bin/test_resume: tests/resume_train.c $(LIB) | $(B)/bin
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(LIB) $(LDLIBS) -o $@
# the same library and tests under AddressSanitizer + UndefinedBehaviorSanitizer
ASANOBJS := $(LIBSRCS:$(B)/src/%.c=$(B)/asan/%.o)
$(B)/asan/%.o: $(B)/src/%.c | $(B)/asan $(STAMPS) $(B)/src/descent.h
	@echo "cc    $< (sanitizers)"
	$(Q)$(CC) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -O1 $(SANFLAGS) -c $< -o $@
$(B)/asan/libdescent.a: $(ASANOBJS)
	rm -f $@ && ar rcs $@ $^
$(B)/asan/test_descent: $(TESTSRCS) $(wildcard tests/*.h) $(B)/asan/libdescent.a
	$(CC) $(CPPFLAGS) $(CFLAGS) -O1 $(SANFLAGS) $(TESTSRCS) $(B)/asan/libdescent.a $(CRIT) $(LDLIBS) -o $@
ASANPROGS := $(foreach p,$(PROGNAMES),$(B)/asan/bin/$(call binname,$(p)))

check: all $(B)/bin/test_descent $(B)/bin/test_resume $(PROGS) $(ASANPROGS) $(B)/asan/test_descent
	@tests/run-all $(B)

# --- fuzzing.  make fuzz builds the libFuzzer targets tests/fuzz/fuzz_NAME.c
# with clang, against the library compiled the same way (coverage, address
# and undefined-behaviour sanitizers) in build/fuzz/, and runs each for
# FUZZ_TIME seconds (make fuzz FUZZ_TIME=5; FUZZ_FLAGS adds libFuzzer
# options) on its committed seeds tests/fuzz/NAME/.  What a run finds goes
# to build/fuzz/corpus/NAME/, a failing input to build/fuzz/NAME-crash-*
# (or -leak-*, -timeout-*); the dictionary tests/fuzz/NAME.dict is used when
# there is one.  A new target is one file tests/fuzz/fuzz_NAME.c and a
# directory of seeds tests/fuzz/NAME/ (make fuzz-seeds writes the seeds of
# tests/fuzz/seeds.c).
# make check builds the targets when clang is installed, and tests/run-all
# replays the seeds through them; plain make never needs clang.
ifneq ($(filter fuzz,$(MAKECMDGOALS)),)
ifneq ($(shell tools/install-deps fuzz >&2 || echo missing),)
$(error missing Debian packages (see the apt-get line above))
endif
endif
FUZZCC     := clang
FUZZ_TIME  ?= 30
FUZZ_FLAGS ?=
HAVE_CLANG := $(shell command -v $(FUZZCC) 2>/dev/null)
FUZZCFLAGS := -std=c17 -O1 -g -ffp-contract=off $(WARN) $(SANFLAGS)
FUZZNAMES  := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZERS    := $(FUZZNAMES:%=$(B)/fuzz/fuzz_%)
FUZZOBJS   := $(LIBSRCS:$(B)/src/%.c=$(B)/fuzz/obj/%.o)
$(B)/fuzz/obj/%.o: $(B)/src/%.c tests/fuzz/compat.h | $(STAMPS)
	@mkdir -p $(@D)
	@echo "cc    $< (fuzzing)"
	$(Q)$(FUZZCC) $(CPPFLAGS) $(DEPFLAGS) $(FUZZCFLAGS) -fsanitize=fuzzer-no-link \
	  -include tests/fuzz/compat.h -c $< -o $@
$(B)/fuzz/libdescent.a: $(FUZZOBJS)
	$(Q)rm -f $@ && ar rcs $@ $^
$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(B)/fuzz/libdescent.a | $(STAMPS)
	@echo "link  $@"
	$(Q)$(FUZZCC) $(CPPFLAGS) -D_GNU_SOURCE $(DEPFLAGS) $(FUZZCFLAGS) -fsanitize=fuzzer $< \
	  $(B)/fuzz/libdescent.a $(LDLIBS) -o $@
-include $(wildcard $(B)/fuzz/obj/*.d $(B)/fuzz/*.d)
check: $(if $(HAVE_CLANG),$(FUZZERS))
# the seeds: a few good and a few broken inputs per target (tests/fuzz/seeds.c)
fuzz-seeds: tests/fuzz/seeds.c $(LIB)
	@mkdir -p $(B)/fuzz
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $< $(LIB) $(LDLIBS) -o $(B)/fuzz/seeds
	$(Q)cd $(B)/fuzz && ./seeds $(CURDIR)/tests/fuzz
fuzz: $(FUZZERS)
	@failed=; for n in $(FUZZNAMES); do \
	  mkdir -p $(B)/fuzz/corpus/$$n; \
	  echo "fuzz  $$n for $(FUZZ_TIME) s (log in $(B)/fuzz/$$n.log)"; \
	  dict=; [ -f tests/fuzz/$$n.dict ] && dict=-dict=tests/fuzz/$$n.dict; \
	  UBSAN_OPTIONS=print_stacktrace=1 $(B)/fuzz/fuzz_$$n -max_total_time=$(FUZZ_TIME) \
	    -timeout=10 -artifact_prefix=$(B)/fuzz/$$n- $$dict $(FUZZ_FLAGS) \
	    $(B)/fuzz/corpus/$$n tests/fuzz/$$n > $(B)/fuzz/$$n.log 2>&1 \
	  || { sed -n '/ERROR\|runtime error\|^fuzz: /,/^SUMMARY/p' $(B)/fuzz/$$n.log | head -40; \
	       grep -a 'Test unit written' $(B)/fuzz/$$n.log; failed="$$failed $$n"; }; \
	  grep -a 'DONE' $(B)/fuzz/$$n.log | tail -1 | sed 's/^/      /'; \
	done; \
	[ -z "$$failed" ] || { echo "fuzz: FAILED:$$failed (inputs in $(B)/fuzz/NAME-crash-*, -leak-*, -timeout-*)"; exit 1; }
# --- end-to-end check against PyTorch: tests/e2e_train.c trains the MLP,
# tools/e2e-torch.py repeats the run in PyTorch, tests/e2e.sh (a stage of
# tests/run-all) compares them; tests/ref/e2e-* is the committed reference.
$(B)/bin/e2e_train: tests/e2e_train.c $(LIB) | $(B)/bin
	@echo "cc    $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $< $(LIB) $(LDLIBS) -o $@
check: $(B)/bin/e2e_train
# --- end of the end-to-end check
# --- chapter 7's data-parallel program over MPI: the chapter's own source
# compiled by mpicc with DESCENT_MPI, only where mpicc exists (Open MPI:
# tools/install-deps check); tests/mpi.sh runs it on 1, 2 and 4 processes.
MPICC := $(shell command -v mpicc 2>/dev/null)
ifneq ($(MPICC),)
$(B)/bin/07-large-batch-mpi: $(B)/src/07-large-batch.c $(LIB) | $(B)/bin
	@echo "mpicc $@"
	$(Q)$(MPICC) $(CPPFLAGS) $(CFLAGS) -DDESCENT_MPI $< $(LIB) $(LDLIBS) -o $@
progs check: $(B)/bin/07-large-batch-mpi
endif

# --- make bench: speed against baselines measured in the same run (memcpy
# bandwidth, PyTorch).  Benchmarks are programs in bench/, not tests; they
# are compiled with -O3 -march=native so that the bandwidth baseline loop is
# as fast as this machine allows (the library itself keeps its flags).
BENCHES := $(patsubst bench/%.c,$(B)/bin/%,$(wildcard bench/*.c))
$(B)/bin/bench_%: bench/bench_%.c $(LIB) | $(B)/bin
	@echo "cc    $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -O3 -march=native $< $(LIB) $(LDLIBS) -o $@
bench: $(BENCHES)
	@for b in $(BENCHES); do $$b || exit 1; done
# chapter 9: the trainer against PyTorch, OpenBLAS and the machine (bench/trainer.sh)
bench: bench-trainer
bench-trainer: $(B)/bin/09-trainer $(LIB)
	@bench/trainer.sh $(B)
.PHONY: bench-trainer

lint:
	@B=$(B) tools/lint

# --- course labs.  make student: the source tree with every solution block
# (@q solution NAME: STUB @> ... @q end solution @>) replaced by its stub, in
# build/student/, whose library and programs must still compile, and the
# student book build/student/book.pdf: the same book with a framed box
# ("your code: what, tested by tests", from labs/*.json) where each solution
# was.  Its figures and quoted numbers are this build's (copied, and marked
# old so that the student tree's make does not run its holed programs).
# make grade: run the tests as an autograder, results in build/grade/results.json.
STUDENT_OLD = $(addprefix -o ,$(patsubst $(B)/%,build/%,$(DATA) $(FIGS)))
student: $(DATA) $(FIGS)
	$(Q)tools/student . $(B)/student
	$(Q)$(MAKE) --no-print-directory -C $(B)/student lib progs
	$(Q)mkdir -p $(B)/student/build && cp -r $(B)/data $(B)/fig $(B)/student/build/
	$(Q)$(MAKE) --no-print-directory -C $(B)/student $(STUDENT_OLD) build/book.pdf
	$(Q)cp $(B)/student/build/book.pdf $(B)/student/book.pdf
	@echo "student: $(B)/student (the tree) and $(B)/student/book.pdf (the student book)"
grade: $(B)/bin/test_descent $(B)/bin/replay
	$(Q)tools/grade $(B) $(B)/grade/results.json $(if $(LAB),--lab $(LAB))

refs: $(B)/bin/replay
	/usr/bin/python3 tools/make-refs.py tests/ref

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/descent \
	  $(DESTDIR)$(PREFIX)/share/doc/descent
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib
	install -m 644 $(LIBHDRS) $(DESTDIR)$(PREFIX)/include/descent
	install -m 644 $(B)/book.pdf $(DESTDIR)$(PREFIX)/share/doc/descent
PREFIX ?= /usr/local

clean:
	rm -rf $(B)
