@q A4-session.w -- Appendix A, part 4: the training session and its checkpoint @>
@*1 The training session and its checkpoint.
A training run is more than a model and an optimizer.  It is the model,
the optimizer with its state, the learning-rate schedule, the clipping
threshold, the loss scaler of mixed precision, the sampler that decides
which examples come next, the random generators, and the count of steps
taken.  The chapters that train networks (3 to~8, and the trainer of
Chapter~9) all need the same handful of moves, in the same order, and
that order is easy to get subtly wrong: the learning rate is the
schedule's value {\it before\/} the step, the scaler unscales before the
clip, a step skipped for an overflow still advances the schedule.  So
the moves live here, once, in a {\it session}, and a chapter's training
loop reads in a few lines, in the manner of llm.c's |main|: create the
session with |S=session_new(&c,train,msg,len)|, call |session_step(S)|
once per step, and |session_save(S,path)| whenever a checkpoint is
wanted.
A program that needs to do something between the backward pass and the
update---inject a spike into the gradient (Chapter~5), look at it---calls
the two halves, |session_backward| and |session_update|, itself.
@^training session@>

The session's whole state goes into one file, the {\it checkpoint}, and a
run resumed from it continues exactly---bit for bit---as if it had never
stopped.
@^checkpoint@>
@^exact resume@>

@ The session's header.  Like every header of the library, it includes
what it uses.
@(descent-session.h@>=
#ifndef DESCENT_SESSION_H
#define DESCENT_SESSION_H
#include "descent-base.h"
#include "descent-data.h"
#include "descent-mlp.h"
#include "descent-sched.h"
#include "descent-lowp.h"
@<Session: public declarations@>@;
#endif

@ A session is configured by one structure: the network's widths, the
optimizer by name with its PyTorch configuration, the schedule by name
(none: a constant rate), clipping by global norm (off when zero), whether
the biases go without weight decay, whether gradients are rounded to
half precision under a dynamic loss scaler, the batch, the seed, and the
rank and world size of data-parallel training.
@<Session: public declarations@>=
enum { session_max_layers = 8 };
struct session_config {
  size_t nlayers, sizes[session_max_layers + 1];
  const char *opt_name;   struct opt_config opt;
  const char *sched_name; struct sched_config sched;  /* |sched_name| null: constant */
  double clip_norm;       /* clip the global 2-norm to this; 0: no clipping */
  bool no_decay_bias;     /* biases in a group of their own, without decay */
  const struct layout *groups;  /* the optimizer's groups, or null */
  bool fp16_grads;        /* gradients rounded to fp16 under a loss scaler */
  struct scaler scaler;   /* its configuration, when |fp16_grads| */
  size_t batch;
  uint64_t seed;
  unsigned rank, world;   /* 0 and 1 for one process */
};

@ The session itself holds everything the run changes.  Its fields are
public, so that a chapter can look at the gradient or the optimizer's
state, but only the functions below change them.
@<Session: public declarations@>=
struct session {
  struct session_config c;
  const struct dataset *train;
  struct mlp *m;
  struct layout *L;        /* the network's tensors and their groups */
  struct optimizer *o;
  struct schedule *s;      /* null for a constant rate */
  struct scaler sc;
  struct sampler smp;
  struct rng rng;          /* for the chapter's own random choices */
  float *xb; uint8_t *yb;  /* this process's slice of the batch */
  uint64_t step;           /* steps taken, skipped ones included */
  double loss, grad_norm;  /* of the last step; the norm before clipping */
  bool skipped;            /* the last step was skipped (an overflow) */
};
struct session *session_new(const struct session_config *c, const struct dataset *train,
                            char *msg, size_t len);
double session_backward(struct session *S);
void session_update(struct session *S);
double session_step(struct session *S);
int session_save(const struct session *S, const char *path);
int session_load(struct session *S, const char *path, char *msg, size_t len);
void session_free(struct session **S);

@ The implementation.
@(session.c@>=
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "descent.h"
@<Session: functions@>@;
@<Session: the checkpoint@>@;

@ A session checks its configuration the way the optimizers and schedules
check theirs, with their own checks and messages, before it builds
anything; a bad configuration is the caller's input, not a bug, so it
comes back as a message.
@.needs a batch of at least@>
@<Session: functions@>=
static int session_error(char *msg, size_t len, const char *fmt, ...) printf_like(3, 4);
static int session_error(char *msg, size_t len, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  if (msg && len) vsnprintf(msg, len, fmt, ap);
  va_end(ap);
  return -1;
}
static int session_check(const struct session_config *c, const struct dataset *d,
                         char *msg, size_t len)
{
  if (c->nlayers < 1 || c->nlayers > session_max_layers)
    return session_error(msg, len, "a network has 1 to %d layers", session_max_layers);
  if (c->sizes[0] != d->dim || c->sizes[c->nlayers] != d->classes)
    return session_error(msg, len,@/
      "the network takes %zu inputs and gives %zu classes; "@/
      "the data have %zu and %zu", c->sizes[0], c->sizes[c->nlayers], d->dim, d->classes);
  if (opt_check(c->opt_name, &c->opt, msg, len) != 0) return -1;@/
  if (c->sched_name && sched_check(c->sched_name, &c->sched, msg, len) != 0) return -1;
  if (!(c->clip_norm >= 0) || isinf(c->clip_norm))
    return session_error(msg, len, "the clipping norm must be finite and >= 0");
  if (c->fp16_grads && scaler_check(&c->scaler, msg, len) != 0) return -1;
  if (c->world < 1 || c->rank >= c->world || c->batch < 1 || c->batch % c->world != 0)
    return session_error(msg, len,@/
                         "the batch (%zu) must be a positive multiple of the "@/
                         "world size (%u), and the rank below it", c->batch, c->world);
  if (c->batch > d->n || d->n > UINT32_MAX)
    return session_error(msg, len, "a batch of %zu needs at least as many examples; "
                         "the data set has %zu", c->batch, d->n);
  return 0;
}

@ A new session draws the initial weights and then the sampler's seed
from one generator on stream~0 of the seed, as the chapters' private
loops did, and keeps a generator on stream~1 for the chapter's own use.
The optimizer gets the network's layout, with the biases in a group
without decay when asked (PyTorch's two |param_groups|), or a layout of
the caller's that groups the same tensors otherwise (the chapter {\it After
AdamW\/} gives
Muon's matrices and AdamW's tensors groups of their own).
@<Session: functions@>=
struct session *session_new(const struct session_config *c, const struct dataset *train,
                            char *msg, size_t len)
{
  if (session_check(c, train, msg, len) != 0) return NULL;
  struct session *S = xcalloc(1, sizeof *S);
  S->c = *c; S->train = train;
  struct rng g;
  rng_seed(&g, c->seed, 0);
  S->m = mlp_new(c->nlayers, c->sizes);
  mlp_init(S->m, &g);
  S->L = c->groups ? layout_copy(c->groups)
       : c->no_decay_bias ? mlp_layout_groups(S->m, 0.0) : layout_copy(S->m->tensor_layout);
  if (S->L->n != S->m->nparams) die("session: the layout does not fit the network");
  S->o = opt_new_layout(c->opt_name, S->L, &c->opt);
  S->s = c->sched_name ? sched_new(c->sched_name, &c->sched) : NULL;
  S->sc = c->scaler;
  sampler_init(&S->smp, train->n, c->batch, rng_u64(&g));
  sampler_shard(&S->smp, c->rank, c->world);
  rng_seed(&S->rng, c->seed, 1);
  S->xb = vec_new(sampler_local(&S->smp) * train->dim);
  S->yb = xmalloc(sampler_local(&S->smp));
  return S;
}
void session_free(struct session **Sp)
{
  struct session *S = *Sp;
  if (!S) return;
  mlp_free(&S->m); layout_free(&S->L); opt_free(&S->o); sched_free(&S->s);
  sampler_free(&S->smp); vec_free(&S->xb); free(S->yb); free(S); *Sp = NULL;
}

@ The backward half: the next batch (this process's slice of it), the
loss and the gradient of its mean.  With half-precision gradients, the
gradient is what a half-precision backward pass of the scaled loss would
deliver: multiplied by the scale and rounded to fp16, where it may
overflow to infinity (Chapter~6).
@<Session: functions@>=
double session_backward(struct session *S)
{
  size_t B = sampler_local(&S->smp);
  dataset_gather(S->train, sampler_next(&S->smp), B, S->xb, S->yb);
  S->loss = mlp_loss_grad(S->m, S->xb, S->yb, B);
  if (S->c.fp16_grads) {
    vec_scale(S->m->grads, S->sc.scale, S->m->nparams);
    lowp_quantize(lowp_fp16, S->m->grads, S->m->grads, S->m->nparams);
  }
  return S->loss;
}

@ The update half, in PyTorch's order: unscale and look for overflow; if
there was none, measure the global norm and clip, set this step's rate
from the schedule, and step; then update the scaler and advance the
schedule, which advances also after a skipped step, as PyTorch's loop
does it: \.{scaler.step(opt)}, \.{scaler.update()}, \.{sched.step()}.  The norm is
PyTorch's: per tensor, then over the tensors.
@<Session: functions@>=
void session_update(struct session *S)
{
  float *g = S->m->grads;
  @q solution session_update: (void)g; S->skipped = false; S->grad_norm = 0.0; @>
  S->skipped = S->c.fp16_grads && scaler_unscale(&S->sc, g, S->m->nparams);
  if (!S->skipped) {
    if (S->c.clip_norm > 0)
      S->grad_norm = clip_grad_norm_layout(S->L, g, S->c.clip_norm, 2.0);
    else S->grad_norm = vec_norm2(g, S->m->nparams);
    if (S->s && sched_apply(S->s, S->o, NULL, 0) != 0)
      die("the schedule cannot drive optimizer %s", S->c.opt_name);
    opt_step(S->o, S->m->params, g);
  } else S->grad_norm = INFINITY;
  if (S->c.fp16_grads) scaler_update(&S->sc, S->skipped);
  if (S->s && sched_step(S->s, NULL, 0) != 0) die("the schedule has ended");
  @q end solution @>
  S->step++;
}
double session_step(struct session *S)
{
  double loss = session_backward(S);
  session_update(S);
  return loss;
}

@*1 The checkpoint.
A checkpoint is one file that describes itself: after a magic number and
a format version comes a list of {\it fields}, each with its name, the
type of its elements, their count, and the elements; a CRC-32 of
everything before it closes the file.  A reader can list the fields of a
checkpoint without knowing what a session is, and a later version can
add a field without breaking the files of this one.  All numbers are
little-endian, written with the toolkit's |put_u64| and friends;
Table~\tableref{A4-ckpt} gives the layout.
\booktable{A4-ckpt}{The checkpoint file: a header, the fields, and a
checksum.}
{\vbox{\halign{\.{#}\hfil\quad&#\hfil\cr
DSCCKPT1&8 bytes of magic\cr
version, count&two 32-bit integers: the format (1) and the number of fields\cr
field&name length (1 byte), name, type (1 byte), count (8 bytes), elements\cr
crc&CRC-32 (zlib's) of everything before it\cr}}}
\noindent
The types are |u64| (8 bytes each), |f64| (8), |f32| (4) and |bytes|
(1).  A session writes the fields of Table~\tableref{A4-fields}.
\booktable{A4-fields}{The fields of a session's checkpoint, in the order
of the file: the name, the type of the elements, and what they hold.}
{\vbox{\halign{\.{#}\hfil\quad&\.{#}\hfil\quad&#\hfil\cr
step&u64&steps taken, skipped ones included\cr
layout&bytes&the tensors, one line each: name, offset, length, shape, group\cr
params&f32&the weights, $n$ of them\cr
optimizer&bytes&the optimizer's state file (Appendix~A, part~1), whole\cr
groups&f64&each group's current learning rate and decay\cr
schedule&bytes&the schedule's state file (Chapter~4), whole, if there is one\cr
sampler&u64&its seed, epoch and position\cr
rng&u64&the chapter's generator: state and increment\cr
scaler&f64&scale, clean steps, growth, backoff, interval\cr}}}
\noindent
The optimizer and the schedule already have files of their own, with
their own checks of every number (a state that no run can reach is
refused); the checkpoint carries those files inside it, so that the
checks are not written twice.
@^checkpoint format@>
@<Session: the checkpoint@>=
enum { ckpt_u64 = 1, ckpt_f64, ckpt_f32, ckpt_bytes, ckpt_max_fields = 32 };
static const size_t ckpt_size[5] = @[{0, 8, 8, 4, 1}@];
struct ckpt_buf { unsigned char *b; size_t n, cap; uint32_t nfields; };
@<Session: writing fields@>@;
@<Session: |session_save|@>@;
@<Session: reading fields@>@;
@<Session: |session_load|@>@;

@ A field is appended to a growing buffer: its header, then its
elements, each encoded little-endian.
@<Session: writing fields@>=
static unsigned char *ckpt_grow(struct ckpt_buf *w, size_t more)
{
  if (w->n + more > w->cap) {
    w->cap = 2 * (w->n + more);
    unsigned char *nb = realloc(w->b, w->cap);
    if (!nb) die("out of memory (%zu bytes)", w->cap);
    w->b = nb;
  }
  unsigned char *p = w->b + w->n;
  w->n += more;
  return p;
}
static void ckpt_field(struct ckpt_buf *w, const char *name, int type, size_t count,
                       const void *data)
{
  size_t nl = strlen(name), es = ckpt_size[type];
  unsigned char *p = ckpt_grow(w, 1 + nl + 1 + 8);
  p[0] = (unsigned char)nl; memcpy(p + 1, name, nl); p[1 + nl] = (unsigned char)type;
  put_u64(p + 2 + nl, count);
  p = ckpt_grow(w, count * es);
  for (size_t i = 0; i < count; i++) {
    if (type == ckpt_u64) put_u64(p + 8 * i, ((const uint64_t *)data)[i]);
    else if (type == ckpt_f64) put_f64(p + 8 * i, ((const double *)data)[i]);
    else if (type == ckpt_f32) {
      uint32_t u; memcpy(&u, (const float *)data + i, 4);
      for (int j = 0; j < 4; j++) p[4 * i + j] = (unsigned char)(u >> (8 * j));
    } else p[i] = ((const unsigned char *)data)[i];
  }
  w->nfields++;
}

@ The layout is written as text, one line per tensor, so that a
checkpoint of the wrong network is recognized by comparing two strings,
and a person can read it.
@<Session: writing fields@>=
static char *layout_text(const struct layout *L)
{
  size_t cap = 64 + 128 * L->ntensors, n = 0;
  char *t = xmalloc(cap);
  t[0] = '\0';
  for (size_t k = 0; k < L->ntensors; k++) {
    const struct tensor *x = &L->tensors[k];
    n += (size_t)snprintf(t + n, cap - n, "%s %zu %zu", x->name, x->offset, x->len);
    for (unsigned d = 0; d < x->ndim; d++)
      n += (size_t)snprintf(t + n, cap - n, "%c%zu", d ? 'x' : ' ', x->shape[d]);
    n += (size_t)snprintf(t + n, cap - n, " %u\n", x->group);
  }
  return t;
}

@ Saving collects the fields, closes the file with its count and
checksum, and writes it atomically: killed at any moment, a run leaves
either the previous checkpoint or the new one, never half of one.
@<Session: |session_save|@>=
int session_save(const struct session *S, const char *path)
{
  struct ckpt_buf w;
  memset(&w, 0, sizeof w);
  unsigned char *head = ckpt_grow(&w, 16);
  memcpy(head, "DSCCKPT1", 8);
  char *lt = layout_text(S->L);
  size_t on, sn = 0;
  unsigned char *ob = opt_encode(S->o, &on), *sb = S->s ? sched_bytes(S->s, &sn) : NULL;
  size_t ng = opt_ngroups(S->o);
  double *gr = xmalloc(2 * ng * sizeof(double));
  for (size_t g = 0; g < ng; g++) { gr[2 * g] = S->o->lr[g]; gr[2 * g + 1] = S->o->wd[g]; }
  const uint64_t smp[3] = @[{S->smp.seed, S->smp.epoch, S->smp.pos}@];
  const uint64_t rng[2] = @[{S->rng.state, S->rng.inc}@];
  const double sc[5] = @[{S->sc.scale, S->sc.tracker, S->sc.growth, S->sc.backoff,
                        (double)S->sc.interval}@];
  ckpt_field(&w, "step", ckpt_u64, 1, &S->step);
  ckpt_field(&w, "layout", ckpt_bytes, strlen(lt), lt);
  ckpt_field(&w, "params", ckpt_f32, S->m->nparams, S->m->params);
  ckpt_field(&w, "optimizer", ckpt_bytes, on, ob);
  ckpt_field(&w, "groups", ckpt_f64, 2 * ng, gr);
  if (sb) ckpt_field(&w, "schedule", ckpt_bytes, sn, sb);
  ckpt_field(&w, "sampler", ckpt_u64, 3, smp);
  ckpt_field(&w, "rng", ckpt_u64, 2, rng);
  if (S->c.fp16_grads) ckpt_field(&w, "scaler", ckpt_f64, 5, sc);
  @<Session: finish the file in |w| and write it to |path|@>@;
}

@ The count of fields goes into the header, which was reserved first;
the checksum goes last.
@<Session: finish the file...@>=
w.b[8] = 1; w.b[9] = w.b[10] = w.b[11] = 0;
for (int j = 0; j < 4; j++) w.b[12 + j] = (unsigned char)(w.nfields >> (8 * j));
@q solution ckpt_checksum: memset(ckpt_grow(&w, 4), 0, 4); @>
uint32_t crc = (uint32_t)crc32(0L, w.b, (uInt)w.n);
unsigned char *tail = ckpt_grow(&w, 4);
for (int j = 0; j < 4; j++) tail[j] = (unsigned char)(crc >> (8 * j));
@q end solution @>
int rc = write_file_atomic(path, w.b, w.n);
int e = errno;
free(w.b); free(lt); free(ob); free(sb); free(gr);
errno = e;
return rc;

@ Reading believes nothing.  The checksum is checked first, over the
whole file; then the fields are walked with every length checked
against what is left of the file, so that no count, however large, makes
the reader look past its end (a count is compared with the bytes left
divided by the element size, a division that cannot overflow).  At most
|ckpt_max_fields| fields are kept, and a name may appear only once.
@.not a checkpoint@>
@<Session: reading fields@>=
struct ckpt_entry { char name[32]; int type; size_t count; const unsigned char *p; };
static int ckpt_parse(const unsigned char *b, size_t size, struct ckpt_entry *f,
                      size_t *nf, const char *path, char *msg, size_t len)
{
  if (size < 20 || memcmp(b, "DSCCKPT1", 8) != 0)
    return session_error(msg, len, "%s: not a checkpoint", path);
  uint32_t stored = 0, version = 0, count = 0;
  for (int j = 3; j >= 0; j--) {
    stored = (stored << 8) | b[size - 4 + j];
    version = (version << 8) | b[8 + j]; count = (count << 8) | b[12 + j];
  }
  if (stored != (uint32_t)crc32(0L, b, (uInt)(size - 4)))
    return session_error(msg, len, "%s: checksum mismatch (file corrupt)", path);
  if (version != 1)
    return session_error(msg, len, "%s: checkpoint format %u, this program reads 1",
                         path, version);
  if (count > ckpt_max_fields)
    return session_error(msg, len, "%s: %u fields, at most %d", path, count, ckpt_max_fields);
  size_t at = 16, end = size - 4;
  for (*nf = 0; *nf < count; (*nf)++) {
    @<Session: read the field at |at| into |f[*nf]|, or refuse@>@;
  }
  if (at != end) return session_error(msg, len, "%s: bytes after the last field", path);
  return 0;
}

@ One field: its name, type and count must fit in what is left, and so
must its elements.
@<Session: read the field at |at|...@>=
struct ckpt_entry *e = &f[*nf];
size_t nl = at < end ? b[at] : 0;
if (nl == 0 || nl >= sizeof e->name || end - at < 1 + nl + 1 + 8)
  return session_error(msg, len, "%s: field %zu is damaged", path, *nf);
memcpy(e->name, b + at + 1, nl); e->name[nl] = '\0';
for (size_t i = 0; i < nl; i++)   /* a damaged name must not break the message's one line */
  if (e->name[i] < ' ' || e->name[i] > '~') e->name[i] = '?';
e->type = b[at + 1 + nl];
uint64_t c = get_u64(b + at + 2 + nl);
at += 1 + nl + 1 + 8;
if (e->type < ckpt_u64 || e->type > ckpt_bytes || c > (end - at) / ckpt_size[e->type])
  return session_error(msg, len, "%s: field '%s' is damaged or truncated", path, e->name);
e->count = (size_t)c; e->p = b + at;
at += e->count * ckpt_size[e->type];
for (size_t i = 0; i < *nf; i++)
  if (strcmp(f[i].name, e->name) == 0)
    return session_error(msg, len, "%s: field '%s' appears twice", path, e->name);

@ Fields are found by name, with the type and count that the session
expects; a missing one, or one of another shape, is refused.
@<Session: reading fields@>=
static const struct ckpt_entry *ckpt_find(const struct ckpt_entry *f, size_t nf,
  const char *name, int type, size_t count)
{
  for (size_t i = 0; i < nf; i++)
    if (strcmp(f[i].name, name) == 0)
      return f[i].type == type && (count == 0 || f[i].count == count) ? &f[i] : NULL;
  return NULL;
}
static double ckpt_f64_at(const struct ckpt_entry *e, size_t i)
{ return get_f64(e->p + 8 * i); }
static float ckpt_f32_at(const struct ckpt_entry *e, size_t i)
{
  const unsigned char *q = e->p + 4 * i;
  uint32_t u = (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16
             | (uint32_t)q[3] << 24;
  float x; memcpy(&x, &u, 4);
  return x;
}

@ Loading a checkpoint into a session made with the same configuration
restores it completely, or---if anything is wrong---not at all: the
optimizer and the schedule are decoded into new objects, every number is
checked, and only then is anything in the session replaced.
@<Session: |session_load|@>=
int session_load(struct session *S, const char *path, char *msg, size_t len)
{
  size_t size, nf = 0;
  unsigned char *b = read_file(path, &size, msg, len);
  if (!b) return -1;
  struct ckpt_entry f[ckpt_max_fields];
  struct optimizer *o = NULL;
  struct schedule *s = NULL;
  char *lt = layout_text(S->L);
  int rc = -1;
  if (ckpt_parse(b, size, f, &nf, path, msg, len) != 0) goto done;
  @<Session: find and check every field, or |goto done|@>@;
  @<Session: replace the session's state@>@;
  rc = 0;
done:
  opt_free(&o); sched_free(&s); free(lt); free(b);
  return rc;
}

@ The fields the session needs.
@<Session: find and check every field...@>=
const size_t n = S->m->nparams, ng = opt_ngroups(S->o);
const struct ckpt_entry *fstep = ckpt_find(f, nf, "step", ckpt_u64, 1),
  *flay = ckpt_find(f, nf, "layout", ckpt_bytes, 0),
  *fpar = ckpt_find(f, nf, "params", ckpt_f32, n),
  *fopt = ckpt_find(f, nf, "optimizer", ckpt_bytes, 0),
  *fgrp = ckpt_find(f, nf, "groups", ckpt_f64, 2 * ng),
  *fsch = ckpt_find(f, nf, "schedule", ckpt_bytes, 0),
  *fsmp = ckpt_find(f, nf, "sampler", ckpt_u64, 3),
  *frng = ckpt_find(f, nf, "rng", ckpt_u64, 2),
  *fsc = ckpt_find(f, nf, "scaler", ckpt_f64, 5);
if (!fstep || !flay || !fpar || !fopt || !fgrp || !fsmp || !frng
    || !fsch != !S->s || !fsc != !S->c.fp16_grads) {
  session_error(msg, len, "%s: a field is missing or of the wrong size "@/
                "(a checkpoint of another configuration?)", path);
  goto done;
}
if (flay->count != strlen(lt) || memcmp(flay->p, lt, flay->count) != 0) {
  session_error(msg, len, "%s: a checkpoint of another network", path); goto done;
}
@<Session: check the numbers of the checkpoint@>@;

@ Every number must be one that a run could have produced: finite
weights; a step count below |DESCENT_MAX_STEPS| ($2^{53}$, Appendix~A), at least
the optimizer's and equal to the schedule's (the session advances its
schedule on every step, skipped ones included); a
sampler in a possible epoch and at a batch boundary; an odd increment of
the generator (PCG's streams have one); a scaler that its own check
accepts, with a count of clean steps in $[0,\hbox{interval})$; learning
rates and decays finite and not negative.  The optimizer's and the
schedule's own fields are checked by their own decoders.
@.impossible contents@>
@<Session: check the numbers...@>=
uint64_t step = get_u64(fstep->p), ep = get_u64(fsmp->p + 8), pos = get_u64(fsmp->p + 16);
bool ok = step < DESCENT_MAX_STEPS && ep < ((uint64_t)1 << 31)
  && pos <= S->smp.n && pos % S->smp.batch == 0 && (get_u64(frng->p + 8) & 1);
for (size_t i = 0; ok && i < n; i++) ok = isfinite(ckpt_f32_at(fpar, i));
for (size_t i = 0; ok && i < 2 * ng; i++)
  ok = isfinite(ckpt_f64_at(fgrp, i)) && ckpt_f64_at(fgrp, i) >= 0;
struct scaler sc = S->sc;
if (ok && fsc) {
  sc = (struct scaler)@[{(float)ckpt_f64_at(fsc, 0), (int32_t)ckpt_f64_at(fsc, 1),
    ckpt_f64_at(fsc, 2), ckpt_f64_at(fsc, 3), (long)ckpt_f64_at(fsc, 4)}@];
  ok = scaler_check(&sc, NULL, 0) == 0 && sc.scale > 0 && sc.interval >= 1@/
    && sc.tracker >= 0 && sc.tracker < sc.interval@/
    && ckpt_f64_at(fsc, 1) == sc.tracker && ckpt_f64_at(fsc, 4) == (double)sc.interval;
}
if (!ok) { session_error(msg, len, "%s: impossible contents", path); goto done; }
o = opt_new_layout(S->c.opt_name, S->L, &S->c.opt);
if (opt_decode(o, path, fopt->p, fopt->count, msg, len) != 0) goto done;
if (opt_steps(o) > step) {
  session_error(msg, len, "%s: the optimizer took more steps than the run", path);
  goto done;
}
if (S->s) {
  s = sched_new(S->c.sched_name, &S->c.sched);
  if (sched_unbytes(s, path, fsch->p, fsch->count, msg, len) != 0) goto done;
  if (s->t != step) {
    session_error(msg, len, "%s: the schedule is at step %llu, the run at %llu",@/
                  path, (unsigned long long)s->t, (unsigned long long)step);
    goto done;
  }
}

@ Now the session is changed, all at once.  The sampler jumps to its
epoch and position, which reshuffles that epoch's order from its seed
without replaying the batches before it.
@<Session: replace the session's state@>=
for (size_t i = 0; i < n; i++) S->m->params[i] = ckpt_f32_at(fpar, i);
opt_free(&S->o); S->o = o; o = NULL;
for (size_t g = 0; g < ng; g++) {
  S->o->lr[g] = ckpt_f64_at(fgrp, 2 * g);
  S->o->wd[g] = ckpt_f64_at(fgrp, 2 * g + 1);
}
S->o->c.lr = S->o->lr[0];
if (S->s) { sched_free(&S->s); S->s = s; s = NULL; }
S->smp.seed = get_u64(fsmp->p);
sampler_seek(&S->smp, ep, (size_t)pos);
S->rng.state = get_u64(frng->p); S->rng.inc = get_u64(frng->p + 8);
S->sc = sc;
S->step = step;
