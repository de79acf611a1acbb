/*
 * vcd.c - IEEE 1364 value change dump writer.
 *
 * Signals are registered before the first run; the header (vcd_header.c:
 * scopes from the dotted names, timescale 1 ps, no $date so equal runs
 * give equal bytes) and the $dumpvars block are written at the end of the
 * first time step. After that each change of a traced signal appends its
 * variable to the time step's queue: no flag to test, so the scheduler's
 * hook is two stores; a repeat costs one queue entry, and a full queue is
 * squeezed to first appearances. At the end of the step each queued value
 * is compared with the last dumped one (a repeat finds it dumped already)
 * and only real differences are written, in the order of the first
 * changes, so a time stamp is emitted only when something follows it.
 *
 * The per-change path touches one dense 32-byte record per variable
 * (signal, last value, the line's precomputed " id\n" tail); a vector's
 * digits are its value shifted up to bit 63 and expanded with SSE2
 * (digits.h), so the work does not depend on the width;
 * everything goes through one 1 MB buffer written with write(2).
 *
 * The same walk drives the FST writer (fst.c): a trace opened as FST
 * sends scopes, variables, time stamps and value changes to fstapi calls
 * instead of text, so both formats always carry the same signals and
 * value changes.
 */
#include "config.h"

#include "kernel/digits.h"
#include "kernel/vcd_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Identifier n in base 94 over the printable characters '!'..'~', and
 * the line's tail made from it. */
static void make_id(vcd_var_t *v, vcd_hot_t *h, uint32_t n)
{
	uint8_t len = 0;
	do {
		v->id[len++] = (char)('!' + n % 94);
		n /= 94;
	} while (n);
	v->idlen = len;
	uint8_t t = 0;
	if (h->fmt != VCD_BIT)
		h->tail[t++] = ' ';
	memcpy(h->tail + t, v->id, len);
	t += len;
	h->tail[t++] = '\n';
	h->taillen = t;
}

/* Make room for one more variable. */
static int grow_vars(sim_trace_t *tr)
{
	uint32_t cap = tr->capvars ? tr->capvars * 2 : 64;
	vcd_hot_t *nh = realloc(tr->hot, cap * sizeof(*nh));
	if (nh)
		tr->hot = nh;
	vcd_var_t *nv = realloc(tr->vars, cap * sizeof(*nv));
	if (nv)
		tr->vars = nv;
	uint8_t *ns = realloc(tr->seen, cap * sizeof(*ns));
	if (ns) {
		tr->seen = ns;
		memset(ns + tr->capvars, 0, cap - tr->capvars);
	}
	uint32_t *nd = realloc(tr->dirty, (2 * cap + 64) * sizeof(*nd));
	if (nd) {
		tr->dirty = nd;
		tr->dcap = 2 * cap + 64;
	}
	if (!nh || !nv || !ns || !nd)
		return sim_set_error(tr->sim, SIM_ERR_NOMEM, "out of memory");
	tr->capvars = cap;
	return SIM_OK;
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
	if (tr->nvars == tr->capvars && grow_vars(tr) != SIM_OK)
		return SIM_ERR_NOMEM;
	sim_trace_ref_t *ref = malloc(sizeof(*ref));
	vcd_var_t *v = &tr->vars[tr->nvars];
	vcd_hot_t *h = &tr->hot[tr->nvars];
	memset(v, 0, sizeof(*v));
	memset(h, 0, sizeof(*h));
	v->hier = strdup(hier_name);
	if (s->width > 64)
		v->last_w = calloc(s->nwords, sizeof(uint64_t));
	if (!ref || !v->hier || (s->width > 64 && !v->last_w)) {
		free(ref);
		free(v->hier);
		free(v->last_w);
		return sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
	}
	h->sig = s;
	h->fmt = s->kind == SIM_SIG_BIT	   ? VCD_BIT
		 : s->kind == SIM_SIG_REAL ? VCD_REAL
		 : s->width > 64	   ? VCD_WIDE
					   : VCD_VEC;
	s->core.watched = 1;
	v->scope_len = last_dot ? (size_t)(last_dot - hier_name) : 0;
	make_id(v, h, tr->nvars);
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
char *vcd_reserve_slow(sim_trace_t *tr, size_t need)
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

void vcd_put(sim_trace_t *tr, const char *s, size_t n)
{
	char *p = vcd_reserve(tr, n);
	if (!p)
		return;
	memcpy(p, s, n);
	tr->len += n;
}

void vcd_puts(sim_trace_t *tr, const char *s)
{
	vcd_put(tr, s, strlen(s));
}

/* ---- values ------------------------------------------------------------ */

/* The current bits of a signal of width <= 64 (or a real's bits). */
static inline uint64_t sig_bits(const sim_signal_t *s)
{
	return s->core.cur.u;
}

/* Digits of x without leading zeros (at least one), MSB first. The
 * digits are those of x shifted up to bit 63, so the work does not
 * depend on the width; writes up to 64 bytes from p, which the caller's
 * reserve covers. */
static inline char *put_bits64(char *p, uint64_t x)
{
	int lz = __builtin_clzll(x | 1); /* x = 0 and x = 1: one digit */
	int nb = 64 - lz;
	sim_digits64(p, x << lz, nb <= 32);
	return p + nb;
}

/* One value line of the variable at index i (its current value). */
char *vcd_put_value(sim_trace_t *tr, char *p, uint32_t i)
{
	const vcd_hot_t *h = &tr->hot[i];
	const sim_signal_t *s = h->sig;
	switch (h->fmt) {
	case VCD_BIT:
		*p++ = sig_bits(s) ? '1' : '0';
		break;
	case VCD_VEC:
		*p++ = 'b';
		p = put_bits64(p, sig_bits(s));
		break;
	case VCD_REAL:
		p += snprintf(p, 32, "r%.16g", s->core.cur.r);
		break;
	default: {
		*p++ = 'b';
		int top = (int)s->nwords - 1;
		while (top > 0 && !s->cur_w[top])
			top--;
		p = put_bits64(p, s->cur_w[top]);
		for (int k = top - 1; k >= 0; k--, p += 64)
			sim_digits64(p, s->cur_w[k], false);
		break;
	}
	}
	memcpy(p, h->tail, 8);
	return p + h->taillen;
}

/* Bytes the value line of variable i may take, slack included. */
size_t vcd_line_max(const sim_trace_t *tr, uint32_t i)
{
	const vcd_hot_t *h = &tr->hot[i];
	if (h->fmt != VCD_WIDE)
		return VCD_LINE_SMALL;
	return h->sig->nwords * 64 + VCD_LINE_SMALL;
}

/* True if variable i differs from its last dumped value; then that
 * value becomes the current one. */
static bool take_change(sim_trace_t *tr, uint32_t i)
{
	vcd_hot_t *h = &tr->hot[i];
	const sim_signal_t *s = h->sig;
	if (h->fmt != VCD_WIDE) {
		uint64_t x = sig_bits(s);
		if (x == h->last)
			return false;
		h->last = x;
		return true;
	}
	uint64_t *last = tr->vars[i].last_w;
	size_t bytes = s->nwords * sizeof(uint64_t);
	if (!memcmp(last, s->cur_w, bytes))
		return false;
	memcpy(last, s->cur_w, bytes);
	return true;
}

/* The current value becomes the last dumped one (the header's). */
void vcd_remember(sim_trace_t *tr, uint32_t i)
{
	const vcd_hot_t *h = &tr->hot[i];
	if (h->fmt == VCD_WIDE)
		memcpy(tr->vars[i].last_w, h->sig->cur_w,
		       h->sig->nwords * sizeof(uint64_t));
	else
		tr->hot[i].last = sig_bits(h->sig);
}

/* ---- hooks from the scheduler -------------------------------------- */

/* Keep the first appearance of each variable in the queue, in order. */
static void squeeze(sim_trace_t *tr)
{
	uint32_t n = 0;
	for (uint32_t k = 0; k < tr->ndirty; k++) {
		uint32_t i = tr->dirty[k];
		if (!tr->seen[i]) {
			tr->seen[i] = 1;
			tr->dirty[n++] = i;
		}
	}
	for (uint32_t k = 0; k < n; k++)
		tr->seen[tr->dirty[k]] = 0;
	tr->ndirty = n;
}

void sim_trace_mark(sim_signal_t *s)
{
	for (const sim_trace_ref_t *r = s->traces; r; r = r->next) {
		sim_trace_t *tr = r->tr;
		uint32_t n = tr->ndirty, cap = tr->dcap;
		tr->dirty[n++] = r->var;
		tr->ndirty = n;
		if (n == cap)
			squeeze(tr);
	}
}

/* The FST side of a time step: the same changes, to fstapi. */
static void fst_timestep(sim_trace_t *tr, sim_time_t now)
{
	for (uint32_t k = 0; k < tr->ndirty; k++) {
		uint32_t i = tr->dirty[k];
		if (!take_change(tr, i))
			continue; /* a repeat, or changed and changed back */
		if (tr->last_time != now) {
			sim_fst_time(tr->fst, now);
			tr->last_time = now;
		}
		sim_fst_emit(tr->fst, tr->vars[i].fst_h, tr->hot[i].sig);
	}
	tr->ndirty = 0;
}

void sim_trace_timestep(sim_trace_t *tr, sim_time_t now)
{
	if (tr->io_error)
		return;
	if (!tr->header_done) {
		vcd_write_header(tr, now);
		return;
	}
	if (tr->fst) {
		fst_timestep(tr, now);
		return;
	}
	bool stamped = tr->time_written && tr->last_time == now;
	/* p runs through the buffer; below lim a small line always fits */
	char *p = tr->buf + tr->len;
	char *lim = tr->buf + tr->cap - VCD_LINE_SMALL - 32;
	/* locals: the stores into the buffer could alias the trace */
	const uint32_t *dirty = tr->dirty;
	const uint32_t n = tr->ndirty;
	vcd_hot_t *hot = tr->hot;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t i = dirty[k];
		vcd_hot_t *h = &hot[i];
		if (h->fmt == VCD_VEC && p <= lim && stamped) {
			/* the common case, inline */
			uint64_t x = sig_bits(h->sig);
			if (x == h->last)
				continue; /* a repeat, or changed back */
			h->last = x;
			*p++ = 'b';
			p = put_bits64(p, x);
			memcpy(p, h->tail, 8);
			p += h->taillen;
			continue;
		}
		if (!take_change(tr, i))
			continue; /* a repeat, or changed and changed back */
		size_t need = vcd_line_max(tr, i) + 32;
		if (p > lim || need > VCD_LINE_SMALL + 32) {
			tr->len = (size_t)(p - tr->buf);
			if (!vcd_reserve(tr, need)) {
				tr->ndirty = 0;
				return;
			}
			p = tr->buf + tr->len;
			lim = tr->buf + tr->cap - VCD_LINE_SMALL - 32;
		}
		if (!stamped) {
			p += snprintf(p, 32, "#%" PRIu64 "\n", now);
			stamped = true;
			tr->time_written = true;
			tr->last_time = now;
		}
		p = vcd_put_value(tr, p, i);
	}
	tr->len = (size_t)(p - tr->buf);
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
		vcd_write_header(tr, tr->sim->now);
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
	free(tr->hot);
	free(tr->vars);
	free(tr->seen);
	free(tr->dirty);
	free(tr->buf);
	free(tr->path);
	free(tr);
}
