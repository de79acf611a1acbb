/*
 * sim_build.c - the kernel's cold side: construction and destruction, the
 * growable arrays and slabs the records live in, error reporting, events
 * created by name, and the queries that read the kernel's state. Nothing
 * here runs per activation; the scheduler's hot path (sim.c) calls into it
 * only to grow an array or report a failure.
 */
#include "kernel/sim_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int sim_ptrvec_push(sim_ptrvec_t *pv, void *p)
{
	if (pv->n == pv->cap) {
		uint32_t cap = pv->cap ? pv->cap * 2 : 16;
		void **v = realloc(pv->v, (size_t)cap * sizeof(*v));
		if (!v)
			return imc_fail(SIM_ERR_NOMEM, "%s: out of memory",
					__func__);
		pv->v = v;
		pv->cap = cap;
	}
	pv->v[pv->n++] = p;
	return SIM_OK;
}

int sim_ptrvec_reserve(sim_ptrvec_t *pv, uint32_t cap)
{
	if (cap <= pv->cap)
		return SIM_OK;
	uint32_t ncap = pv->cap ? pv->cap : 16;
	while (ncap < cap)
		ncap *= 2;
	void **v = realloc(pv->v, (size_t)ncap * sizeof(*v));
	if (!v)
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
	pv->v = v;
	pv->cap = ncap;
	return SIM_OK;
}

void sim_ptrvec_free(sim_ptrvec_t *pv)
{
	free(pv->v);
	pv->v = NULL;
	pv->n = pv->cap = 0;
}

char *sim_name_dup(const char *s)
{
	if (!s)
		s = "";
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

void *sim_slab_alloc(sim_slab_t *sl, size_t size)
{
	if ((size_t)(sl->end - sl->next) < size) {
		size_t bytes = 64 * size;
		char *c = aligned_alloc(64, bytes);
		if (!c)
			return NULL;
		if (sim_ptrvec_push(&sl->chunks, c) != SIM_OK) {
			free(c);
			return NULL;
		}
		memset(c, 0, bytes);
		sl->next = c;
		sl->end = c + bytes;
	}
	void *p = sl->next;
	sl->next += size;
	return p;
}

void sim_slab_free(sim_slab_t *sl)
{
	for (uint32_t i = 0; i < sl->chunks.n; i++)
		free(sl->chunks.v[i]);
	sim_ptrvec_free(&sl->chunks);
	sl->next = sl->end = NULL;
}

int sim_set_error(sim_t *sim, int code, const char *fmt, ...)
{
	/* During a run the first failure stops it and keeps its message;
	 * outside a run the message reports the call that just failed. */
	if (sim->running && sim->fail_code != SIM_OK)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sim->errmsg, sizeof(sim->errmsg), fmt, ap);
	va_end(ap);
	if (sim->running) {
		sim->fail_code = code;
		sim->attention = true;
	}
	return imc_fail(code, "%s", sim->errmsg);
}

void sim_fail_nomem(sim_t *sim, const char *what)
{
	if (sim->fail_code != SIM_OK)
		return;
	snprintf(sim->errmsg, sizeof(sim->errmsg), "out of memory (%s)", what);
	sim->fail_code = SIM_ERR_NOMEM;
	sim->attention = true;
	imc_fail(SIM_ERR_NOMEM, "%s", sim->errmsg);
}

void sim_fail(sim_t *sim, const char *fmt, ...)
{
	if (sim->fail_code != SIM_OK)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sim->errmsg, sizeof(sim->errmsg), fmt, ap);
	va_end(ap);
	sim->fail_code = SIM_ERR_PROCESS;
	sim->attention = true;
	imc_fail(SIM_ERR_PROCESS, "%s", sim->errmsg);
}

const char *sim_error(const sim_t *sim)
{
	return sim->errmsg;
}

void sim_config_default(sim_config_t *cfg)
{
	cfg->max_deltas = 100000;
}

sim_t *sim_new(const sim_config_t *cfg)
{
	sim_t *sim = calloc(1, sizeof(*sim));
	if (!sim) {
		imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
		return NULL;
	}
	if (cfg)
		sim->cfg = *cfg;
	else
		sim_config_default(&sim->cfg);
	sim->clock_next = SIM_TIME_MAX;
	sim->sched.stamp = 1; /* signals start at 0: no event() before */
	sim->clock_proc.sim = sim;
	sim->clock_proc.name = (char *)"clock";
	return sim;
}

static void event_release(sim_event_t *ev)
{
	sim_ptrvec_free(&ev->stat);
	sim_ptrvec_free(&ev->dyn);
}

void sim_free(sim_t *sim)
{
	if (!sim)
		return;
	for (uint32_t i = 0; i < sim->all_ext.n; i++) {
		sim_ext_t *x = sim->all_ext.v[i];
		x->free_fn(x);
	}
	sim_ptrvec_free(&sim->all_ext);
	for (uint32_t i = 0; i < sim->all_traces.n; i++)
		sim_trace_destroy(sim->all_traces.v[i]);
	for (uint32_t i = 0; i < sim->all_events.n; i++) {
		sim_event_t *ev = sim->all_events.v[i];
		event_release(ev);
		free(ev);
	}
	for (uint32_t i = 0; i < sim->all_procs.n; i++) {
		sim_proc_t *p = sim->all_procs.v[i];
		if (p->timer) {
			event_release(p->timer);
			free(p->timer);
		}
		free(p->name);
	}
	for (uint32_t i = 0; i < sim->all_signals.n; i++) {
		sim_signal_t *s = sim->all_signals.v[i];
		event_release(&s->x->changed);
		event_release(&s->x->pos);
		event_release(&s->x->neg);
		free(s->x);
		while (s->traces) {
			sim_trace_ref_t *r = s->traces;
			s->traces = r->next;
			free(r);
		}
		free(s->cur_w);
		free(s->nxt_w);
		free(s->name);
	}
	sim_slab_free(&sim->sig_slab);
	sim_slab_free(&sim->proc_slab);
	sim_ptrvec_free(&sim->all_traces);
	sim_ptrvec_free(&sim->all_events);
	sim_ptrvec_free(&sim->all_procs);
	sim_ptrvec_free(&sim->all_signals);
	sim_ptrvec_free(&sim->runq);
	free(sim->sched.upd);
	sim_ptrvec_free(&sim->delta_events);
	free(sim->heap);
	sim_ptrvec_free(&sim->init);
	free(sim->clocks);
	free(sim);
}

sim_time_t sim_time(const sim_t *sim)
{
	return sim->now;
}

uint64_t sim_delta_count(const sim_t *sim)
{
	return sim->deltas;
}

uint64_t sim_activation_count(const sim_t *sim)
{
	return sim->activations;
}

/* ---- events -------------------------------------------------------------- */

/* Every event gets a slot in the delta list up front, so a delta
 * notification never has to grow it. */
static int event_init(sim_t *sim, sim_event_t *ev, const char *name)
{
	memset(ev, 0, sizeof(*ev));
	ev->sim = sim;
	ev->name = name;
	ev->delta_idx = -1;
	ev->timed = -1;
	sim->nevents++;
	return sim_ptrvec_reserve(&sim->delta_events, sim->nevents);
}

sim_event_t *sim_event_new(sim_t *sim, const char *name)
{
	sim_event_t *ev = malloc(sizeof(*ev));
	if (!ev) {
		imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
		return NULL;
	}
	if (event_init(sim, ev, name) != SIM_OK ||
	    sim_ptrvec_push(&sim->all_events, ev) != SIM_OK) {
		free(ev);
		imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
		return NULL;
	}
	return ev;
}

int sim_event_init_embedded(sim_t *sim, sim_event_t *ev, const char *name)
{
	return event_init(sim, ev, name);
}

bool sim_event_pending(const sim_event_t *ev)
{
	return ev->delta_idx >= 0 || ev->timed >= 0;
}

/* ---- run control and queries ------------------------------------------- */

void sim_stop(sim_t *sim)
{
	sim->stop_requested = true;
	sim->attention = true;
}

sim_time_t sim_next_time(const sim_t *sim)
{
	sim_time_t t = sim->clock_next;
	if (sim->nheap && sim->heap[0].when < t)
		t = sim->heap[0].when;
	if (sim->runq.n > sim->rq_head || sim->batch || sim->delta_events.n ||
	    sim->sched.upd_end != sim->sched.upd || sim->init.n)
		t = sim->now;
	return t;
}

int sim_runaway(sim_t *sim, uint64_t deltas)
{
	if (sim->batch)
		sim_batch_flush(sim);
	sim_proc_t *p = sim->runq.v[sim->rq_head];
	return sim_set_error(
		sim, SIM_ERR_DELTA,
		"runaway delta cycles: %llu deltas at time %llu ps "
		"without time advancing (process %s still "
		"runnable)",
		(unsigned long long)deltas, (unsigned long long)sim->now,
		p->name);
}
