/*
 * signal.c - bit, bit-vector and real signals with SystemC's
 * request-update semantics, and clocks that need no heap operation per edge.
 *
 * A write stores the new value and queues the signal once per delta (the
 * update_pending flag is the O(1) "already queued" check). The update phase
 * compares new with current; only a real change delta-notifies the
 * value-changed event, and only if some process waits on it, so untraced
 * and unwatched signals cost one compare.
 */
#include "kernel/sim_internal.h"

#include <stdlib.h>
#include <string.h>

static char *dupname(const char *s)
{
	if (!s)
		s = "";
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static sim_signal_t *signal_new(sim_t *sim, const char *name,
				enum sim_sig_kind kind, unsigned width)
{
	sim_signal_t *s = calloc(1, sizeof(*s));
	if (!s) {
		sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
		return NULL;
	}
	s->sim = sim;
	s->kind = kind;
	s->width = width;
	s->nwords = (width + 63) / 64;
	s->name = dupname(name);
	if (!s->name)
		goto fail;
	if (width > 64) {
		s->cur_w = calloc(s->nwords, sizeof(uint64_t));
		s->nxt_w = calloc(s->nwords, sizeof(uint64_t));
		if (!s->cur_w || !s->nxt_w)
			goto fail;
	}
	sim_event_init_embedded(sim, &s->changed, s->name);
	sim_event_init_embedded(sim, &s->pos, s->name);
	sim_event_init_embedded(sim, &s->neg, s->name);
	if (sim_ptrvec_push(&sim->all_signals, s) != SIM_OK)
		goto fail;
	return s;
fail:
	free(s->cur_w);
	free(s->nxt_w);
	free(s->name);
	free(s);
	sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
	return NULL;
}

sim_signal_t *sim_bit_new(sim_t *sim, const char *name, bool init)
{
	sim_signal_t *s = signal_new(sim, name, SIM_SIG_BIT, 1);
	if (s)
		s->cur.u = s->nxt.u = init;
	return s;
}

static uint64_t top_mask(unsigned width)
{
	unsigned r = width % 64;
	return r ? (UINT64_C(1) << r) - 1 : UINT64_MAX;
}

sim_signal_t *sim_vec_new(sim_t *sim, const char *name, unsigned width,
			  const uint64_t *init)
{
	if (width == 0 || width > 65535) {
		sim_set_error(sim, SIM_ERR_ARG,
			      "vector %s: width %u outside 1..65535",
			      name ? name : "?", width);
		return NULL;
	}
	if (init && (init[(width - 1) / 64] & ~top_mask(width))) {
		sim_set_error(sim, SIM_ERR_ARG,
			      "vector %s: initial value wider than %u bits",
			      name ? name : "?", width);
		return NULL;
	}
	sim_signal_t *s = signal_new(sim, name, SIM_SIG_VEC, width);
	if (!s || !init)
		return s;
	if (width <= 64)
		s->cur.u = s->nxt.u = init[0];
	else {
		memcpy(s->cur_w, init, s->nwords * sizeof(uint64_t));
		memcpy(s->nxt_w, init, s->nwords * sizeof(uint64_t));
	}
	return s;
}

sim_signal_t *sim_real_new(sim_t *sim, const char *name, double init)
{
	sim_signal_t *s = signal_new(sim, name, SIM_SIG_REAL, 64);
	if (s)
		s->cur.r = s->nxt.r = init;
	return s;
}

enum sim_sig_kind sim_sig_kind(const sim_signal_t *s)
{
	return s->kind;
}

unsigned sim_sig_width(const sim_signal_t *s)
{
	return s->width;
}

const char *sim_sig_name(const sim_signal_t *s)
{
	return s->name;
}

sim_event_t *sim_sig_changed(sim_signal_t *s)
{
	return &s->changed;
}

sim_event_t *sim_sig_posedge(sim_signal_t *s)
{
	if (s->kind != SIM_SIG_BIT) {
		sim_set_error(s->sim, SIM_ERR_TYPE, "%s is not a bit signal",
			      s->name);
		return NULL;
	}
	return &s->pos;
}

sim_event_t *sim_sig_negedge(sim_signal_t *s)
{
	if (s->kind != SIM_SIG_BIT) {
		sim_set_error(s->sim, SIM_ERR_TYPE, "%s is not a bit signal",
			      s->name);
		return NULL;
	}
	return &s->neg;
}

bool sim_sig_event(const sim_signal_t *s)
{
	return s->changed_delta == s->sim->deltas && s->changed_delta != 0;
}

int sim_sensitive_signal(sim_proc_t *p, sim_signal_t *s)
{
	return sim_sensitive(p, &s->changed);
}

int sim_sensitive_pos(sim_proc_t *p, sim_signal_t *bit)
{
	sim_event_t *ev = sim_sig_posedge(bit);
	return ev ? sim_sensitive(p, ev) : SIM_ERR_TYPE;
}

int sim_sensitive_neg(sim_proc_t *p, sim_signal_t *bit)
{
	sim_event_t *ev = sim_sig_negedge(bit);
	return ev ? sim_sensitive(p, ev) : SIM_ERR_TYPE;
}

/* ---- reads ------------------------------------------------------------- */

bool sim_bit_read(const sim_signal_t *s)
{
	return s->cur.u != 0;
}

uint64_t sim_vec_read_u64(const sim_signal_t *s)
{
	return s->width <= 64 ? s->cur.u : s->cur_w[0];
}

const uint64_t *sim_vec_read(const sim_signal_t *s)
{
	return s->width <= 64 ? &s->cur.u : s->cur_w;
}

bool sim_vec_read_bit(const sim_signal_t *s, unsigned i)
{
	if (i >= s->width)
		return false;
	return (sim_vec_read(s)[i / 64] >> (i % 64)) & 1;
}

double sim_real_read(const sim_signal_t *s)
{
	return s->cur.r;
}

/* ---- writes ------------------------------------------------------------ */

static inline int request_update(sim_signal_t *s)
{
	if (s->update_pending)
		return SIM_OK;
	s->update_pending = true;
	sim_t *sim = s->sim;
	if (sim->updates.n < sim->updates.cap) {
		sim->updates.v[sim->updates.n++] = s;
		return SIM_OK;
	}
	if (sim_ptrvec_push(&sim->updates, s) != SIM_OK)
		return sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
	return SIM_OK;
}

static int kind_error(sim_signal_t *s, const char *what)
{
	return sim_set_error(s->sim, SIM_ERR_TYPE,
			     "%s written as %s but is a %s signal", s->name,
			     what,
			     s->kind == SIM_SIG_BIT   ? "bit"
			     : s->kind == SIM_SIG_VEC ? "vector"
						      : "real");
}

int sim_bit_write(sim_signal_t *s, bool v)
{
	if (s->kind != SIM_SIG_BIT)
		return kind_error(s, "a bit");
	s->nxt.u = v;
	return request_update(s);
}

int sim_vec_write_u64(sim_signal_t *s, uint64_t v)
{
	if (s->kind != SIM_SIG_VEC)
		return kind_error(s, "a vector");
	if (s->width < 64 && (v >> s->width))
		return sim_set_error(s->sim, SIM_ERR_ARG,
				     "%s: value 0x%llx does not fit %u bits",
				     s->name, (unsigned long long)v, s->width);
	if (s->width <= 64) {
		s->nxt.u = v;
	} else {
		memset(s->nxt_w, 0, s->nwords * sizeof(uint64_t));
		s->nxt_w[0] = v;
	}
	return request_update(s);
}

int sim_vec_write(sim_signal_t *s, const uint64_t *words)
{
	if (s->kind != SIM_SIG_VEC)
		return kind_error(s, "a vector");
	if (words[s->nwords - 1] & ~top_mask(s->width))
		return sim_set_error(s->sim, SIM_ERR_ARG,
				     "%s: value does not fit %u bits", s->name,
				     s->width);
	if (s->width <= 64)
		s->nxt.u = words[0];
	else
		memcpy(s->nxt_w, words, s->nwords * sizeof(uint64_t));
	return request_update(s);
}

int sim_real_write(sim_signal_t *s, double v)
{
	if (s->kind != SIM_SIG_REAL)
		return kind_error(s, "a real");
	s->nxt.r = v;
	return request_update(s);
}

/* ---- update phase ------------------------------------------------------- */

static void changed(sim_t *sim, sim_signal_t *s)
{
	s->changed_delta = sim->deltas + 1;
	if (sim_event_waited(&s->changed))
		sim_event_delta_notify(&s->changed);
	if (s->kind == SIM_SIG_BIT) {
		sim_event_t *edge = s->cur.u ? &s->pos : &s->neg;
		if (sim_event_waited(edge))
			sim_event_delta_notify(edge);
	}
	if (s->traces)
		sim_trace_mark(s);
}

void sim_signals_update(sim_t *sim)
{
	sim_signal_t **v = (sim_signal_t **)sim->updates.v;
	uint32_t n = sim->updates.n;
	for (uint32_t i = 0; i < n; i++) {
		sim_signal_t *s = v[i];
		s->update_pending = false;
		if (s->width <= 64) {
			/* bit-exact compare, also for reals (-0.0 vs 0.0 is a
			 * change a waveform should show) */
			if (s->nxt.u == s->cur.u)
				continue;
			s->cur.u = s->nxt.u;
		} else {
			size_t bytes = s->nwords * sizeof(uint64_t);
			if (!memcmp(s->nxt_w, s->cur_w, bytes))
				continue;
			memcpy(s->cur_w, s->nxt_w, bytes);
		}
		changed(sim, s);
	}
	sim->updates.n = 0;
}

/* ---- clocks ------------------------------------------------------------ */

sim_signal_t *sim_clock_new(sim_t *sim, const char *name, sim_time_t period_ps,
			    unsigned duty_percent, sim_time_t start_ps,
			    bool posedge_first)
{
	if (period_ps < 2 || duty_percent == 0 || duty_percent >= 100) {
		sim_set_error(sim, SIM_ERR_ARG,
			      "clock %s: period %llu ps / duty %u%% invalid "
			      "(need period >= 2 ps, duty 1..99)",
			      name ? name : "?", (unsigned long long)period_ps,
			      duty_percent);
		return NULL;
	}
	sim_time_t high = period_ps * duty_percent / 100;
	if (high == 0 || high >= period_ps) {
		sim_set_error(sim, SIM_ERR_ARG,
			      "clock %s: high time rounds to 0 or a full period",
			      name ? name : "?");
		return NULL;
	}
	if (start_ps < sim->now) {
		sim_set_error(sim, SIM_ERR_TIME,
			      "clock %s: first edge at %llu ps is in the past",
			      name ? name : "?", (unsigned long long)start_ps);
		return NULL;
	}
	if (sim->nclocks == sim->capclocks) {
		uint32_t cap = sim->capclocks ? sim->capclocks * 2 : 4;
		sim_clock_t *c = realloc(sim->clocks, cap * sizeof(*c));
		if (!c) {
			sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
			return NULL;
		}
		sim->clocks = c;
		sim->capclocks = cap;
	}
	/* before the first edge the clock sits at the opposite level */
	sim_signal_t *s = sim_bit_new(sim, name, !posedge_first);
	if (!s)
		return NULL;
	sim_clock_t *c = &sim->clocks[sim->nclocks++];
	c->sig = s;
	c->next_edge = start_ps;
	c->high_ps = high;
	c->low_ps = period_ps - high;
	if (start_ps < sim->clock_next)
		sim->clock_next = start_ps;
	return s;
}

void sim_clocks_fire(sim_t *sim)
{
	sim_time_t now = sim->now, next = SIM_TIME_MAX;
	for (uint32_t i = 0; i < sim->nclocks; i++) {
		sim_clock_t *c = &sim->clocks[i];
		if (c->next_edge == now) {
			bool rising = !c->sig->nxt.u;
			c->sig->nxt.u = rising;
			request_update(c->sig);
			c->next_edge += rising ? c->high_ps : c->low_ps;
		}
		if (c->next_edge < next)
			next = c->next_edge;
	}
	sim->clock_next = next;
}
