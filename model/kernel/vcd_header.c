/*
 * vcd_header.c - the header of a trace (vcd.c): the variables in scope
 * order, as VCD text ($scope/$var/$upscope, then $dumpvars with every
 * initial value) or as fstapi scopes and variables with their initial
 * values.
 */
#include "config.h"

#include "kernel/vcd_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

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
			vcd_puts(tr, "$upscope $end\n");
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
			vcd_puts(tr, "$scope module ");
			vcd_put(tr, h + i, j - i);
			vcd_puts(tr, " $end\n");
		}
		i = j + 1;
	}
}

/* FST: the variables (scopes already open) and the initial values. */
static void fst_var(sim_trace_t *tr, uint32_t i, const char *name)
{
	char nm[256];
	const sim_signal_t *s = tr->hot[i].sig;
	if (s->kind == SIM_SIG_VEC)
		snprintf(nm, sizeof(nm), "%s [%u:0]", name, s->width - 1);
	else
		snprintf(nm, sizeof(nm), "%s", name);
	tr->vars[i].fst_h = sim_fst_var(tr->fst, s, nm);
	if (!tr->vars[i].fst_h && !tr->io_error) {
		tr->io_error = true;
		sim_set_error(tr->sim, SIM_ERR_NOMEM,
			      "FST %s: cannot declare %s: out of memory",
			      tr->path, nm);
	}
}

void vcd_write_header(sim_trace_t *tr, sim_time_t now)
{
	if (!tr->fst)
		vcd_puts(tr, "$version imcsim " PACKAGE_VERSION " $end\n"
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
			fst_var(tr, order[k].idx, name);
			continue;
		}
		char line[96];
		const sim_signal_t *s = tr->hot[order[k].idx].sig;
		if (s->kind == SIM_SIG_REAL)
			snprintf(line, sizeof(line), "$var real 64 ");
		else
			snprintf(line, sizeof(line), "$var wire %u ", s->width);
		vcd_puts(tr, line);
		vcd_put(tr, v->id, v->idlen);
		vcd_puts(tr, " ");
		vcd_puts(tr, name);
		if (s->kind == SIM_SIG_VEC) {
			snprintf(line, sizeof(line), " [%u:0]", s->width - 1);
			vcd_puts(tr, line);
		}
		vcd_puts(tr, " $end\n");
	}
	write_scopes_close(tr, cur, 0, cur_len);
	free(order);
	if (tr->fst) {
		sim_fst_time(tr->fst, now);
		for (uint32_t i = 0; i < tr->nvars; i++)
			sim_fst_emit(tr->fst, tr->vars[i].fst_h,
				     tr->hot[i].sig);
	} else {
		char ts[32];
		snprintf(ts, sizeof(ts), "#%" PRIu64 "\n", now);
		vcd_puts(tr, "$enddefinitions $end\n");
		vcd_puts(tr, ts);
		vcd_puts(tr, "$dumpvars\n");
		for (uint32_t i = 0; i < tr->nvars; i++) {
			char *p = vcd_reserve(tr, vcd_line_max(tr, i));
			if (!p)
				return;
			tr->len = (size_t)(vcd_put_value(tr, p, i) - tr->buf);
		}
		vcd_puts(tr, "$end\n");
	}
	for (uint32_t i = 0; i < tr->nvars; i++)
		vcd_remember(tr, i);
	tr->ndirty = 0; /* the changes before the header are in it */
	tr->header_done = true;
	tr->time_written = true;
	tr->last_time = now;
}
