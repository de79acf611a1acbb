/*
 * process.c - method processes: creation, static sensitivity and dynamic
 * sensitivity (next_trigger on an event or after a delay). The scheduler
 * that runs them is sim.c.
 */
#include "kernel/sim_internal.h"

#include <stdlib.h>
#include <string.h>

sim_proc_t *sim_method_new(sim_t *sim, const char *name, sim_method_fn fn,
			   void *ctx)
{
	if (!fn) {
		sim_set_error(sim, SIM_ERR_ARG, "method %s has no body",
			      name ? name : "?");
		return NULL;
	}
	_Static_assert(sizeof(sim_proc_t) <= 64, "one cache line");
	sim_proc_t *p = sim_slab_alloc(&sim->proc_slab, 64);
	if (!p) {
		imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
		return NULL;
	}
	p->sim = sim;
	p->fn = fn;
	p->ctx = ctx;
	p->name = sim_name_dup(name);
	if (!p->name || sim_ptrvec_push(&sim->all_procs, p) != SIM_OK) {
		free(p->name); /* the record stays in the slab, unused */
		imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
		return NULL;
	}
	if (sim_ptrvec_reserve(&sim->runq, sim->all_procs.n) != SIM_OK ||
	    sim_ptrvec_push(&sim->init, p) != SIM_OK) {
		imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
		return NULL; /* owned by all_procs, freed with the kernel */
	}
	sim->attention = true;
	return p;
}

void sim_proc_dont_initialize(sim_proc_t *p)
{
	p->dont_init = true;
}

const char *sim_proc_name(const sim_proc_t *p)
{
	return p->name;
}

sim_t *sim_proc_sim(const sim_proc_t *p)
{
	return p->sim;
}

int sim_sensitive(sim_proc_t *p, sim_event_t *ev)
{
	if (!p || !ev)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	if (p->sim != ev->sim)
		return sim_set_error(p->sim, SIM_ERR_FOREIGN,
				     "process %s made sensitive to an event of "
				     "another kernel",
				     p->name);
	if (sim_ptrvec_push(&ev->stat, p) != SIM_OK)
		return sim_set_error(p->sim, SIM_ERR_NOMEM, "out of memory");
	return SIM_OK;
}

/* Disarm a dynamic trigger set earlier in this activation (last call of
 * next_trigger wins, as in SystemC). */
void sim_dyn_disarm(sim_proc_t *p)
{
	if (p->wait && sim_wait_disarm(p))
		return; /* it was an or-list / timeout trigger (thread.c) */
	sim_event_t *ev = p->dyn_ev;
	if (!ev)
		return;
	for (uint32_t i = 0; i < ev->dyn.n; i++) {
		if (ev->dyn.v[i] == p) {
			memmove(&ev->dyn.v[i], &ev->dyn.v[i + 1],
				(ev->dyn.n - i - 1) * sizeof(void *));
			ev->dyn.n--;
			break;
		}
	}
	if (ev == p->timer)
		sim_event_cancel(ev);
	sim_proc_set_dyn(p, NULL);
}

int sim_next_trigger_event(sim_proc_t *p, sim_event_t *ev)
{
	if (!p || !ev)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	if (p->sim != ev->sim)
		return sim_set_error(p->sim, SIM_ERR_FOREIGN,
				     "next_trigger of %s on an event of "
				     "another kernel",
				     p->name);
	sim_dyn_disarm(p);
	if (sim_ptrvec_push(&ev->dyn, p) != SIM_OK)
		return sim_set_error(p->sim, SIM_ERR_NOMEM, "out of memory");
	sim_proc_set_dyn(p, ev);
	return SIM_OK;
}

int sim_next_trigger_time(sim_proc_t *p, sim_time_t delay)
{
	if (!p)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	if (!p->timer) {
		p->timer = malloc(sizeof(*p->timer));
		if (!p->timer ||
		    sim_event_init_embedded(p->sim, p->timer, p->name))
			return sim_set_error(p->sim, SIM_ERR_NOMEM,
					     "out of memory");
	}
	sim_dyn_disarm(p);
	int rc = sim_next_trigger_event(p, p->timer);
	if (rc != SIM_OK)
		return rc;
	return sim_event_notify_at(p->timer, delay);
}
