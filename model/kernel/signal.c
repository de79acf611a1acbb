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

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static sim_signal_t *signal_new(sim_t *sim, const char *name,
				enum sim_sig_kind kind, unsigned width)
{
	_Static_assert(sizeof(sim_signal_t) <= 128, "two cache lines");
	_Static_assert(offsetof(struct sim_sig_core, cmp) ==
			       offsetof(struct sim_sig_core, watched) + 1,
		       "sim_signals_update reads watched and cmp as one");
	sim_signal_t *s = sim_slab_alloc(&sim->sig_slab, 128);
	if (!s) {
		sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
		return NULL;
	}
	s->x = calloc(1, sizeof(*s->x));
	if (!s->x)
		goto fail;
	s->core.sim = sim;
	s->core.kind = (uint8_t)kind;
	s->core.wide = width > 64;
	s->core.cmp = width > 64 ? 1 : kind == SIM_SIG_REAL ? 2 : 0;
	if (kind == SIM_SIG_VEC && width <= 64)
		s->core.mask = width == 64 ? UINT64_MAX
					   : (UINT64_C(1) << width) - 1;
	s->kind = kind;
	s->width = width;
	s->nwords = (width + 63) / 64;
	s->name = sim_name_dup(name);
	if (!s->name)
		goto fail;
	if (width > 64) {
		s->cur_w = calloc(s->nwords, sizeof(uint64_t));
		s->nxt_w = calloc(s->nwords, sizeof(uint64_t));
		if (!s->cur_w || !s->nxt_w)
			goto fail;
	}
	/* the update queue holds each signal at most once per delta */
	if (sim->all_signals.n + 1 > sim->updcap) {
		uint32_t cap = sim->updcap ? sim->updcap * 2 : 64;
		size_t queued = (size_t)(sim->sched.upd_end - sim->sched.upd);
		sim_signal_t **u = realloc(sim->sched.upd, cap * sizeof(*u));
		if (!u)
			goto fail;
		sim->sched.upd = u;
		sim->sched.upd_end = u + queued;
		sim->updcap = cap;
	}
	if (sim_event_init_embedded(sim, &s->x->changed, s->name) ||
	    sim_event_init_embedded(sim, &s->x->pos, s->name) ||
	    sim_event_init_embedded(sim, &s->x->neg, s->name) ||
	    sim_ptrvec_push(&sim->all_signals, s) != SIM_OK)
		goto fail;
	return s;
fail:
	/* the record stays in the slab, unused */
	free(s->x);
	free(s->cur_w);
	free(s->nxt_w);
	free(s->name);
	sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
	return NULL;
}

sim_signal_t *sim_bit_new(sim_t *sim, const char *name, bool init)
{
	sim_signal_t *s = signal_new(sim, name, SIM_SIG_BIT, 1);
	if (s)
		s->core.cur.u = s->core.nxt.u = init;
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
		s->core.cur.u = s->core.nxt.u = init[0];
	else {
		memcpy(s->cur_w, init, s->nwords * sizeof(uint64_t));
		memcpy(s->nxt_w, init, s->nwords * sizeof(uint64_t));
		s->core.cur.u = init[0]; /* sim_vec_read_u64 reads it */
	}
	return s;
}

sim_signal_t *sim_real_new(sim_t *sim, const char *name, double init)
{
	sim_signal_t *s = signal_new(sim, name, SIM_SIG_REAL, 64);
	if (s)
		s->core.cur.r = s->core.nxt.r = init;
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

/* Handing out one of the signal's events means someone may wait on it:
 * from then on its changes take the notifying path of the update phase. */
sim_event_t *sim_sig_changed(sim_signal_t *s)
{
	s->core.watched = 1;
	return &s->x->changed;
}

sim_event_t *sim_sig_posedge(sim_signal_t *s)
{
	if (s->kind != SIM_SIG_BIT) {
		sim_set_error(s->core.sim, SIM_ERR_TYPE,
			      "%s is not a bit signal", s->name);
		return NULL;
	}
	s->core.watched = 1;
	return &s->x->pos;
}

sim_event_t *sim_sig_negedge(sim_signal_t *s)
{
	if (s->kind != SIM_SIG_BIT) {
		sim_set_error(s->core.sim, SIM_ERR_TYPE,
			      "%s is not a bit signal", s->name);
		return NULL;
	}
	s->core.watched = 1;
	return &s->x->neg;
}

bool sim_sig_event(const sim_signal_t *s)
{
	return s->core.changed_stamp == s->core.sim->sched.stamp;
}

/* MANY and UNCHECKED signals take the checked path on every write: no
 * process pointer equals the signal itself. */
static const void *policy_writer(sim_signal_t *s)
{
	return s->x->writers == SIM_WRITERS_ONE ? NULL : (const void *)s;
}

int sim_sig_set_writers(sim_signal_t *s, enum sim_writers policy)
{
	if (policy != SIM_WRITERS_ONE && policy != SIM_WRITERS_MANY &&
	    policy != SIM_WRITERS_UNCHECKED)
		return sim_set_error(s->core.sim, SIM_ERR_ARG,
				     "%s: unknown writer policy %d", s->name,
				     (int)policy);
	if (s->core.writer == &s->core.sim->clock_proc)
		return sim_set_error(s->core.sim, SIM_ERR_ARG,
				     "%s is a clock: only the clock writes it",
				     s->name);
	s->x->writers = policy;
	s->core.writer = policy_writer(s);
	s->x->last_writer = NULL;
	return SIM_OK;
}

/* May the running process write s now? SystemC's writer policies: a
 * one-writer signal keeps its first writing process, and any other
 * process writing it is E115; a many-writer signal rejects a second
 * writer in the same delta. Writes from outside a process always pass. */
static int write_allowed(sim_signal_t *s)
{
	sim_t *sim = s->core.sim;
	const sim_proc_t *cur = sim->sched.current;
	if (!cur || s->x->writers == SIM_WRITERS_UNCHECKED)
		return SIM_OK;
	if (s->x->writers == SIM_WRITERS_ONE) {
		const sim_proc_t *first = s->core.writer;
		if (!first) {
			s->core.writer = cur;
			return SIM_OK;
		}
		return sim_set_error(sim, SIM_ERR_DRIVER,
				     "signal %s has more than one driver: "
				     "first %s, second %s (allow it with "
				     "sim_sig_set_writers)",
				     s->name, first->name, cur->name);
	}
	uint64_t stamp = sim->sched.stamp;
	if (s->x->last_writer && s->x->last_writer != cur &&
	    s->x->last_stamp == stamp)
		return sim_set_error(sim, SIM_ERR_DRIVER,
				     "signal %s: conflicting writes by %s and "
				     "%s in one delta cycle",
				     s->name, s->x->last_writer->name,
				     cur->name);
	s->x->last_writer = cur;
	s->x->last_stamp = stamp;
	return SIM_OK;
}

int sim_write_checked(sim_signal_t *s, uint64_t bits)
{
	int rc = write_allowed(s);
	if (rc != SIM_OK)
		return rc;
	sim_sig_queue_(s, bits);
	return SIM_OK;
}

/* The writer check for the paths that fill the word arrays first. */
static int wide_write_allowed(sim_signal_t *s)
{
	if (s->core.writer == s->core.sim->sched.current)
		return SIM_OK;
	return write_allowed(s);
}

int sim_sensitive_signal(sim_proc_t *p, sim_signal_t *s)
{
	return sim_sensitive(p, sim_sig_changed(s));
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

const uint64_t *sim_vec_read(const sim_signal_t *s)
{
	return s->width <= 64 ? &s->core.cur.u : s->cur_w;
}

bool sim_vec_read_bit(const sim_signal_t *s, unsigned i)
{
	if (i >= s->width)
		return false;
	return (sim_vec_read(s)[i / 64] >> (i % 64)) & 1;
}

/* ---- writes: the slow path of the inline ones, and wide vectors -------- */

static const char *kind_name(enum sim_sig_kind k)
{
	return k == SIM_SIG_BIT ? "bit" : k == SIM_SIG_VEC ? "vector" : "real";
}

int sim_write_slow(sim_signal_t *s, int kind, uint64_t bits)
{
	sim_t *sim = s->core.sim;
	if ((int)s->kind != kind)
		return sim_set_error(sim, SIM_ERR_TYPE,
				     "%s written as a %s but is a %s signal",
				     s->name,
				     kind_name((enum sim_sig_kind)kind),
				     kind_name(s->kind));
	if (kind == SIM_SIG_VEC && s->width < 64 && (bits >> s->width))
		return sim_set_error(sim, SIM_ERR_ARG,
				     "%s: value 0x%llx does not fit %u bits",
				     s->name, (unsigned long long)bits,
				     s->width);
	if (kind == SIM_SIG_VEC && s->width > 64) {
		int rc = wide_write_allowed(s);
		if (rc != SIM_OK)
			return rc;
		memset(s->nxt_w, 0, s->nwords * sizeof(uint64_t));
		s->nxt_w[0] = bits;
		sim_sig_queue_(s, 0);
		return SIM_OK;
	}
	return sim_sig_store_(s, bits);
}

int sim_vec_write(sim_signal_t *s, const uint64_t *words)
{
	if (s->kind != SIM_SIG_VEC)
		return sim_write_slow(s, SIM_SIG_VEC, words[0]);
	if (words[s->nwords - 1] & ~top_mask(s->width))
		return sim_set_error(s->core.sim, SIM_ERR_ARG,
				     "%s: value does not fit %u bits", s->name,
				     s->width);
	if (s->width <= 64)
		return sim_sig_store_(s, words[0]);
	int rc = wide_write_allowed(s);
	if (rc != SIM_OK)
		return rc;
	memcpy(s->nxt_w, words, s->nwords * sizeof(uint64_t));
	sim_sig_queue_(s, 0);
	return SIM_OK;
}

/* ---- update phase ------------------------------------------------------- */

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
	/* period*duty/100 rounded to nearest (half up, as SystemC's
	 * sc_time * double), without overflowing 64 bits */
	sim_time_t high = period_ps / 100 * duty_percent +
			  (period_ps % 100 * duty_percent + 50) / 100;
	return sim_clock_new_ps(sim, name, period_ps, high, start_ps,
				posedge_first);
}

sim_signal_t *sim_clock_new_ps(sim_t *sim, const char *name,
			       sim_time_t period_ps, sim_time_t high_ps,
			       sim_time_t start_ps, bool posedge_first)
{
	if (high_ps == 0 || high_ps >= period_ps) {
		sim_set_error(sim, SIM_ERR_ARG,
			      "clock %s: high time %llu ps of a %llu ps period "
			      "(need 1 <= high < period)",
			      name ? name : "?", (unsigned long long)high_ps,
			      (unsigned long long)period_ps);
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
	s->core.watched = 1; /* clocks are almost always watched */
	s->core.writer = &sim->clock_proc;
	sim_clock_t *c = &sim->clocks[sim->nclocks++];
	c->sig = s;
	c->next_edge = start_ps;
	c->high_ps = high_ps;
	c->low_ps = period_ps - high_ps;
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
			bool rising = !c->sig->core.nxt.u;
			sim_sig_queue_(c->sig, rising);
			c->next_edge += rising ? c->high_ps : c->low_ps;
			sim->clock_fired = 1;
			sim->attention = true;
		}
		if (c->next_edge < next)
			next = c->next_edge;
	}
	sim->clock_next = next;
}
