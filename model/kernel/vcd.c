/*
 * vcd.c - IEEE 1364 value change dump writer.
 *
 * Signals are registered before the first run; the header (scopes from the
 * dotted names, timescale 1 ps, no $date so equal runs give equal bytes) and
 * the $dumpvars block are written at the end of the first time step. After
 * that a changed traced signal is queued once per time step (dirty flag);
 * at the end of the step each queued value is compared with the last dumped
 * one and only real differences are written, so a time stamp is emitted
 * only when something follows it. Identifiers are precomputed; binary
 * digits come from a byte table; everything goes through one large buffer
 * written with write(2).
 *
 * The same walk drives the FST writer (fst.c): a trace opened as FST
 * sends scopes, variables, time stamps and value changes to fstapi calls
 * instead of text, so both formats always carry the same signals and
 * value changes.
 */
#include "config.h"

#include "kernel/fst_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VCD_BUF_BYTES (1u << 20)

typedef struct vcd_var {
	sim_signal_t *sig;
	char *hier;	  /* full dotted name */
	size_t scope_len; /* bytes of hier before the variable name */
	char id[8];	  /* zero-padded, so it can be copied as 8 bytes */
	uint8_t idlen;
	uint32_t maxlen; /* longest value line of this variable */
	bool dirty;
	uint64_t last;	  /* last dumped value (width <= 64, reals as bits) */
	uint64_t *last_w; /* width > 64 */
	uint32_t fst_h;	  /* FST variable handle */
} vcd_var_t;

struct sim_trace {
	sim_t *sim;
	char *path;
	int fd;
	sim_fst_t *fst; /* FST output instead of text */
	bool closed;
	bool header_done;
	bool io_error;
	bool time_written;
	sim_time_t last_time;
	vcd_var_t *vars;
	uint32_t nvars, capvars;
	uint32_t *dirty; /* indices of dirty vars */
	uint32_t ndirty;
	char *buf;
	size_t len, cap;
	/* binary digits of each byte value; one spare row so an 8-byte load
	 * at any offset inside the table stays inside it */
	char bin8[257][8];
};

sim_trace_t *sim_trace_vcd_open(sim_t *sim, const char *path)
{
	return sim_trace_open_kind(sim, path, false);
}

sim_trace_t *sim_trace_open_kind(sim_t *sim, const char *path, bool fst)
{
	const char *kind = fst ? "FST" : "VCD";
	if (!path || !*path) {
		sim_set_error(sim, SIM_ERR_ARG, "%s path is empty", kind);
		return NULL;
	}
	if (sim->started) {
		sim_set_error(sim, SIM_ERR_STATE,
			      "%s %s opened after the simulation started", kind,
			      path);
		return NULL;
	}
	sim_trace_t *tr = calloc(1, sizeof(*tr));
	if (!tr) {
		sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
		return NULL;
	}
	tr->sim = sim;
	tr->fd = -1;
	for (int b = 0; b < 256; b++)
		for (int k = 0; k < 8; k++)
			tr->bin8[b][k] = (char)('0' + ((b >> (7 - k)) & 1));
	memset(tr->bin8[256], '0', 8);
	tr->path = strdup(path);
	tr->cap = fst ? 0 : VCD_BUF_BYTES;
	tr->buf = fst ? NULL : malloc(tr->cap);
	if (!tr->path || (!fst && !tr->buf))
		goto nomem;
	if (fst) {
		tr->fst = sim_fst_create(sim, path);
		if (!tr->fst)
			goto fail;
	} else if ((tr->fd = open(path,
				  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
				  0644)) < 0) {
		sim_set_error(sim, SIM_ERR_IO, "cannot open VCD %s: %s", path,
			      strerror(errno));
		goto fail;
	}
	if (sim_ptrvec_push(&sim->all_traces, tr) != SIM_OK)
		goto nomem;
	return tr;
nomem:
	sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
fail:
	if (tr->fst) {
		sim_fst_close(tr->fst);
		unlink(path);
	}
	if (tr->fd >= 0) {
		close(tr->fd);
		unlink(path);
	}
	free(tr->buf);
	free(tr->path);
	free(tr);
	return NULL;
}

/* Identifier n in base 94 over the printable characters '!'..'~'. */
static void make_id(vcd_var_t *v, uint32_t n)
{
	uint8_t len = 0;
	do {
		v->id[len++] = (char)('!' + n % 94);
		n /= 94;
	} while (n);
	v->idlen = len;
}

int sim_trace_add(sim_trace_t *tr, sim_signal_t *s, const char *hier_name)
{
	sim_t *sim = tr->sim;
	if (!s || !hier_name || !*hier_name)
		return sim_set_error(sim, SIM_ERR_ARG, "trace: no signal/name");
	if (s->core.sim != sim)
		return sim_set_error(sim, SIM_ERR_FOREIGN,
				     "trace %s: signal of another kernel",
				     hier_name);
	if (tr->header_done)
		return sim_set_error(sim, SIM_ERR_STATE,
				     "trace %s added after the VCD header "
				     "was written",
				     hier_name);
	const char *last_dot = strrchr(hier_name, '.');
	if (last_dot && last_dot[1] == '\0')
		return sim_set_error(sim, SIM_ERR_ARG,
				     "trace name %s ends with a dot",
				     hier_name);
	if (strpbrk(hier_name, " \t\n$"))
		return sim_set_error(sim, SIM_ERR_ARG,
				     "trace name '%s' has a space or '$'",
				     hier_name);
	if (tr->nvars == tr->capvars) {
		uint32_t cap = tr->capvars ? tr->capvars * 2 : 64;
		vcd_var_t *nv = realloc(tr->vars, cap * sizeof(*nv));
		uint32_t *nd = realloc(tr->dirty, cap * sizeof(*nd));
		if (nv)
			tr->vars = nv;
		if (nd)
			tr->dirty = nd;
		if (!nv || !nd)
			return sim_set_error(sim, SIM_ERR_NOMEM,
					     "out of memory");
		tr->capvars = cap;
	}
	sim_trace_ref_t *ref = malloc(sizeof(*ref));
	vcd_var_t *v = &tr->vars[tr->nvars];
	memset(v, 0, sizeof(*v));
	v->hier = strdup(hier_name);
	if (s->width > 64)
		v->last_w = calloc(s->nwords, sizeof(uint64_t));
	if (!ref || !v->hier || (s->width > 64 && !v->last_w)) {
		free(ref);
		free(v->hier);
		free(v->last_w);
		return sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
	}
	v->sig = s;
	/* value digits (+ 'b' or 'r'), space, id, newline, and 8 bytes of
	 * slack for the word-sized copies */
	v->maxlen =
		(s->kind == SIM_SIG_REAL ? 32 : s->nwords * 64 + 2) + 8 + 1 + 8;
	s->core.watched = 1;
	v->scope_len = last_dot ? (size_t)(last_dot - hier_name) : 0;
	make_id(v, tr->nvars);
	ref->tr = tr;
	ref->var = tr->nvars;
	ref->next = s->traces;
	s->traces = ref;
	tr->nvars++;
	return SIM_OK;
}

/* ---- buffered output ------------------------------------------------- */

int sim_trace_flush(sim_trace_t *tr)
{
	if (tr->fst) {
		sim_fst_flush(tr->fst);
		return tr->io_error ? SIM_ERR_IO : SIM_OK;
	}
	size_t off = 0;
	while (off < tr->len && !tr->io_error) {
		ssize_t w = write(tr->fd, tr->buf + off, tr->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			tr->io_error = true;
			sim_set_error(tr->sim, SIM_ERR_IO, "writing VCD %s: %s",
				      tr->path,
				      w < 0 ? strerror(errno) : "short write");
			break;
		}
		off += (size_t)w;
	}
	tr->len = 0;
	return tr->io_error ? SIM_ERR_IO : SIM_OK;
}

/* Slow path of reserve: flush, or grow for a huge line. */
static char *reserve_slow(sim_trace_t *tr, size_t need)
{
	sim_trace_flush(tr);
	if (need > tr->cap) {
		char *nb = realloc(tr->buf, need);
		if (!nb) {
			tr->io_error = true;
			sim_set_error(tr->sim, SIM_ERR_NOMEM, "out of memory");
			return NULL;
		}
		tr->buf = nb;
		tr->cap = need;
	}
	return tr->io_error ? NULL : tr->buf;
}

static inline char *reserve(sim_trace_t *tr, size_t need)
{
	if (tr->len + need <= tr->cap)
		return tr->buf + tr->len;
	return reserve_slow(tr, need);
}

static void put(sim_trace_t *tr, const char *s, size_t n)
{
	char *p = reserve(tr, n);
	if (!p)
		return;
	memcpy(p, s, n);
	tr->len += n;
}

static void puts_(sim_trace_t *tr, const char *s)
{
	put(tr, s, strlen(s));
}

/* Digits of x without leading zeros (at least one), MSB first. Writes up
 * to 7 bytes past the returned end, which the caller's reserve covers. */
static inline char *put_bits64(sim_trace_t *tr, char *p, uint64_t x,
			       bool leading)
{
	if (leading) {
		if (!x) {
			*p++ = '0';
			return p;
		}
		int nb = 64 - __builtin_clzll(x);
		int nbytes = (nb + 7) / 8, lead = nbytes * 8 - nb;
		memcpy(p, &tr->bin8[(uint8_t)(x >> (8 * (nbytes - 1)))][lead],
		       8);
		p += 8 - lead;
		for (int k = nbytes - 2; k >= 0; k--, p += 8)
			memcpy(p, tr->bin8[(uint8_t)(x >> (8 * k))], 8);
		return p;
	}
	for (int k = 7; k >= 0; k--, p += 8)
		memcpy(p, tr->bin8[(uint8_t)(x >> (8 * k))], 8);
	return p;
}

/* Emit one value change of variable v (current signal value). */
static void emit(sim_trace_t *tr, vcd_var_t *v)
{
	sim_signal_t *s = v->sig;
	char *p = reserve(tr, v->maxlen);
	if (!p)
		return;
	if (s->kind == SIM_SIG_BIT) {
		*p++ = s->core.cur.u ? '1' : '0';
	} else if (s->kind == SIM_SIG_REAL) {
		p += snprintf(p, 32, "r%.16g ", s->core.cur.r);
	} else {
		*p++ = 'b';
		if (!s->core.wide) {
			p = put_bits64(tr, p, s->core.cur.u, true);
		} else {
			int top = (int)s->nwords - 1;
			while (top > 0 && !s->cur_w[top])
				top--;
			p = put_bits64(tr, p, s->cur_w[top], true);
			for (int k = top - 1; k >= 0; k--)
				p = put_bits64(tr, p, s->cur_w[k], false);
		}
		*p++ = ' ';
	}
	memcpy(p, v->id, 8);
	p += v->idlen;
	*p++ = '\n';
	tr->len = (size_t)(p - tr->buf);
}

static void remember(vcd_var_t *v)
{
	sim_signal_t *s = v->sig;
	if (s->width > 64)
		memcpy(v->last_w, s->cur_w, s->nwords * sizeof(uint64_t));
	else
		v->last = s->core.cur.u;
}

static bool differs(const vcd_var_t *v)
{
	const sim_signal_t *s = v->sig;
	if (s->width > 64)
		return memcmp(v->last_w, s->cur_w,
			      s->nwords * sizeof(uint64_t)) != 0;
	return (v->last ^ s->core.cur.u) != 0;
}

/* ---- header ------------------------------------------------------------ */

/* Order scopes so each subtree is contiguous: compare byte-wise with the
 * separator '.' below every other character; ties keep creation order. */
typedef struct vcd_sortkey {
	const vcd_var_t *v;
	uint32_t idx;
} vcd_sortkey_t;

static int cmp_scope(const void *pa, const void *pb)
{
	const vcd_sortkey_t *a = pa, *b = pb;
	size_t la = a->v->scope_len, lb = b->v->scope_len;
	for (size_t i = 0; i < la && i < lb; i++) {
		unsigned ca = (unsigned char)a->v->hier[i];
		unsigned cb = (unsigned char)b->v->hier[i];
		ca = ca == '.' ? 0 : ca;
		cb = cb == '.' ? 0 : cb;
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	if (la != lb)
		return la < lb ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Bytes of the whole scope components a and b share. */
static size_t common_scopes(const char *a, size_t la, const char *b, size_t lb)
{
	size_t i = 0, keep = 0;
	while (i < la && i < lb) {
		size_t ea = i, eb = i;
		while (ea < la && a[ea] != '.')
			ea++;
		while (eb < lb && b[eb] != '.')
			eb++;
		if (ea != eb || memcmp(a + i, b + i, ea - i))
			break;
		keep = ea;
		i = ea + 1;
	}
	return keep;
}

/* Number of scope components in h[from..to), from at a '.' or 0. */
static unsigned count_scopes(const char *h, size_t from, size_t to)
{
	if (from < to && h[from] == '.')
		from++;
	if (from >= to)
		return 0;
	unsigned n = 1;
	for (size_t i = from; i < to; i++)
		n += h[i] == '.';
	return n;
}

static void write_scopes_close(sim_trace_t *tr, const char *h, size_t from,
			       size_t to)
{
	for (unsigned n = count_scopes(h, from, to); n; n--) {
		if (tr->fst)
			sim_fst_upscope(tr->fst);
		else
			puts_(tr, "$upscope $end\n");
	}
}

static void write_scopes_open(sim_trace_t *tr, const char *h, size_t from,
			      size_t to)
{
	size_t i = from;
	if (i < to && h[i] == '.')
		i++;
	while (i < to) {
		size_t j = i;
		while (j < to && h[j] != '.')
			j++;
		if (tr->fst) {
			sim_fst_scope(tr->fst, h + i, j - i);
		} else {
			puts_(tr, "$scope module ");
			put(tr, h + i, j - i);
			puts_(tr, " $end\n");
		}
		i = j + 1;
	}
}

/* FST: the variables (scopes already open) and the initial values. */
static void fst_var(sim_trace_t *tr, vcd_var_t *v, const char *name)
{
	char nm[256];
	if (v->sig->kind == SIM_SIG_VEC)
		snprintf(nm, sizeof(nm), "%s [%u:0]", name, v->sig->width - 1);
	else
		snprintf(nm, sizeof(nm), "%s", name);
	v->fst_h = sim_fst_var(tr->fst, v->sig, nm);
}

static void write_header(sim_trace_t *tr, sim_time_t now)
{
	if (!tr->fst)
		puts_(tr, "$version imcsim " PACKAGE_VERSION " $end\n"
			  "$timescale 1ps $end\n");
	vcd_sortkey_t *order =
		malloc((tr->nvars ? tr->nvars : 1) * sizeof(*order));
	if (!order) {
		tr->io_error = true;
		sim_set_error(tr->sim, SIM_ERR_NOMEM, "out of memory");
		return;
	}
	for (uint32_t i = 0; i < tr->nvars; i++)
		order[i] = (vcd_sortkey_t){ &tr->vars[i], i };
	qsort(order, tr->nvars, sizeof(*order), cmp_scope);
	const char *cur = "";
	size_t cur_len = 0;
	for (uint32_t k = 0; k < tr->nvars; k++) {
		const vcd_var_t *v = order[k].v;
		size_t keep =
			common_scopes(cur, cur_len, v->hier, v->scope_len);
		write_scopes_close(tr, cur, keep, cur_len);
		write_scopes_open(tr, v->hier, keep, v->scope_len);
		cur = v->hier;
		cur_len = v->scope_len;
		const char *name =
			v->hier + v->scope_len + (v->scope_len ? 1 : 0);
		if (tr->fst) {
			fst_var(tr, &tr->vars[order[k].idx], name);
			continue;
		}
		char line[96];
		const sim_signal_t *s = v->sig;
		if (s->kind == SIM_SIG_REAL)
			snprintf(line, sizeof(line), "$var real 64 ");
		else
			snprintf(line, sizeof(line), "$var wire %u ", s->width);
		puts_(tr, line);
		put(tr, v->id, v->idlen);
		puts_(tr, " ");
		puts_(tr, name);
		if (s->kind == SIM_SIG_VEC) {
			snprintf(line, sizeof(line), " [%u:0]", s->width - 1);
			puts_(tr, line);
		}
		puts_(tr, " $end\n");
	}
	write_scopes_close(tr, cur, 0, cur_len);
	free(order);
	if (tr->fst) {
		sim_fst_time(tr->fst, now);
		for (uint32_t i = 0; i < tr->nvars; i++) {
			sim_fst_emit(tr->fst, tr->vars[i].fst_h,
				     tr->vars[i].sig);
			remember(&tr->vars[i]);
			tr->vars[i].dirty = false;
		}
		goto done;
	}
	char ts[32];
	snprintf(ts, sizeof(ts), "#%" PRIu64 "\n", now);
	puts_(tr, "$enddefinitions $end\n");
	puts_(tr, ts);
	puts_(tr, "$dumpvars\n");
	for (uint32_t i = 0; i < tr->nvars; i++) {
		emit(tr, &tr->vars[i]);
		remember(&tr->vars[i]);
		tr->vars[i].dirty = false;
	}
	puts_(tr, "$end\n");
done:
	tr->ndirty = 0;
	tr->header_done = true;
	tr->time_written = true;
	tr->last_time = now;
}

/* ---- hooks from the scheduler -------------------------------------- */

void sim_trace_mark(sim_signal_t *s)
{
	for (sim_trace_ref_t *r = s->traces; r; r = r->next) {
		sim_trace_t *tr = r->tr;
		vcd_var_t *v = &tr->vars[r->var];
		if (!v->dirty && tr->header_done) {
			v->dirty = true;
			tr->dirty[tr->ndirty++] = r->var;
		}
	}
}

void sim_trace_timestep(sim_trace_t *tr, sim_time_t now)
{
	if (tr->io_error)
		return;
	if (!tr->header_done) {
		write_header(tr, now);
		return;
	}
	for (uint32_t k = 0; k < tr->ndirty; k++) {
		vcd_var_t *v = &tr->vars[tr->dirty[k]];
		v->dirty = false;
		if (!differs(v))
			continue; /* changed and changed back */
		if (tr->fst) {
			if (tr->last_time != now) {
				sim_fst_time(tr->fst, now);
				tr->last_time = now;
			}
			sim_fst_emit(tr->fst, v->fst_h, v->sig);
			remember(v);
			continue;
		}
		if (!tr->time_written || tr->last_time != now) {
			char *p = reserve(tr, 24);
			if (!p)
				return;
			tr->len +=
				(size_t)snprintf(p, 24, "#%" PRIu64 "\n", now);
			tr->time_written = true;
			tr->last_time = now;
		}
		emit(tr, v);
		remember(v);
	}
	tr->ndirty = 0;
}

int sim_trace_io_error(const sim_trace_t *tr)
{
	return tr->io_error ? SIM_ERR_IO : SIM_OK;
}

int sim_trace_close(sim_trace_t *tr)
{
	if (!tr || tr->closed)
		return SIM_OK;
	tr->closed = true;
	if (!tr->header_done && !tr->io_error)
		write_header(tr, tr->sim->now);
	if (tr->fst) {
		sim_fst_close(tr->fst);
		tr->fst = NULL;
		return tr->io_error ? SIM_ERR_IO : SIM_OK;
	}
	int rc = sim_trace_flush(tr);
	if (close(tr->fd) != 0 && rc == SIM_OK) {
		tr->io_error = true;
		rc = sim_set_error(tr->sim, SIM_ERR_IO, "closing VCD %s: %s",
				   tr->path, strerror(errno));
	}
	tr->fd = -1;
	return rc;
}

void sim_trace_destroy(sim_trace_t *tr)
{
	sim_trace_close(tr);
	for (uint32_t i = 0; i < tr->nvars; i++) {
		free(tr->vars[i].hier);
		free(tr->vars[i].last_w);
	}
	free(tr->vars);
	free(tr->dirty);
	free(tr->buf);
	free(tr->path);
	free(tr);
}
