/*
 * thread.c - thread processes on coroutines (coro.c) and the or-list /
 * timeout form of dynamic sensitivity that their waits and next_trigger
 * share (see thread.h).
 *
 * A thread is a method process whose body resumes the thread's coroutine;
 * a wait arms the process's dynamic trigger (as next_trigger does) and
 * yields back into that body, which returns to the scheduler. So the
 * scheduler knows nothing about threads, and a wake-up costs what a method
 * activation costs plus two stack switches.
 *
 * A single event without timeout takes the plain next_trigger path
 * (process.c). An or-list or a timeout arms the process on every event of
 * the list (and on its own timer event): p->dyn_multi tells the trigger
 * loop to call sim_wait_fired(), which unhooks p from the others and
 * records which one fired.
 */
#include "kernel/thread.h"

#include "kernel/coro.h"
#include "kernel/sim_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct sim_wait {
	sim_ext_t ext; /* first: freed with the kernel */
	sim_proc_t *p;
	sim_event_t timer; /* the timeout */
	sim_event_t **evs; /* armed events, deduplicated; timer last */
	int *idx;	   /* index in the caller's list, or SIM_WAIT_TIMEOUT */
	uint32_t n, cap;
	int woken; /* what fired last, -1 if none */
};

struct sim_thread {
	sim_ext_t ext; /* first: freed with the kernel */
	sim_t *sim;
	sim_proc_t *proc;
	sim_thread_fn fn;
	void *ctx;
	bool active; /* running on its own stack now */
	bool done;
	sim_coro_t co;
};

/* ---- or-list / timeout waits ---------------------------------------- */

static void wait_free(void *obj)
{
	struct sim_wait *w = obj;
	sim_ptrvec_free(&w->timer.stat);
	sim_ptrvec_free(&w->timer.dyn);
	free(w->evs);
	free(w->idx);
	free(w);
}

static struct sim_wait *wait_get(sim_proc_t *p)
{
	if (p->wait)
		return p->wait;
	struct sim_wait *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->ext.free_fn = wait_free;
	w->p = p;
	w->woken = -1;
	if (sim_event_init_embedded(p->sim, &w->timer, p->name) != SIM_OK ||
	    sim_ptrvec_push(&p->sim->all_ext, w) != SIM_OK) {
		free(w);
		return NULL;
	}
	p->wait = w;
	return w;
}

static void unhook(sim_event_t *ev, const sim_proc_t *p)
{
	for (uint32_t i = 0; i < ev->dyn.n; i++) {
		if (ev->dyn.v[i] == p) {
			memmove(&ev->dyn.v[i], &ev->dyn.v[i + 1],
				(ev->dyn.n - i - 1) * sizeof(void *));
			ev->dyn.n--;
			return;
		}
	}
}

void sim_wait_fired(sim_proc_t *p, sim_event_t *ev)
{
	struct sim_wait *w = p->wait;
	w->woken = -1;
	for (uint32_t i = 0; i < w->n; i++) {
		sim_event_t *e = w->evs[i];
		if (e == ev) {
			w->woken = w->idx[i];
			continue;
		}
		unhook(e, p);
		if (e == &w->timer)
			sim_event_cancel(e);
	}
	w->n = 0;
	p->dyn_multi = false;
}

bool sim_wait_disarm(sim_proc_t *p)
{
	struct sim_wait *w = p->wait;
	w->woken = -1;
	if (!p->dyn_multi)
		return false;
	for (uint32_t i = 0; i < w->n; i++) {
		unhook(w->evs[i], p);
		if (w->evs[i] == &w->timer)
			sim_event_cancel(w->evs[i]);
	}
	w->n = 0;
	p->dyn_multi = false;
	sim_proc_set_dyn(p, NULL);
	return true;
}

static int check_events(sim_proc_t *p, sim_event_t *const *evs, unsigned n)
{
	if (n && !evs)
		return sim_set_error(p->sim, SIM_ERR_ARG,
				     "%s: wait on a NULL event list", p->name);
	for (unsigned i = 0; i < n; i++) {
		if (!evs[i])
			return sim_set_error(p->sim, SIM_ERR_ARG,
					     "%s: event %u of the list is NULL",
					     p->name, i);
		if (evs[i]->sim != p->sim)
			return sim_set_error(p->sim, SIM_ERR_FOREIGN,
					     "%s: waits on an event of another "
					     "kernel",
					     p->name);
	}
	return SIM_OK;
}

static int arm_add(struct sim_wait *w, sim_event_t *e, int idx)
{
	for (uint32_t k = 0; k < w->n; k++)
		if (w->evs[k] == e)
			return SIM_OK; /* listed twice: the first index wins */
	if (sim_ptrvec_push(&e->dyn, w->p) != SIM_OK)
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
	w->evs[w->n] = e;
	w->idx[w->n] = idx;
	w->n++;
	return SIM_OK;
}

/* Arm p on evs[0..n) and, if has_timeout, on its timer after timeout. */
static int arm(sim_proc_t *p, sim_event_t *const *evs, unsigned n,
	       bool has_timeout, sim_time_t timeout)
{
	if (!p)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	int rc = check_events(p, evs, n);
	if (rc != SIM_OK)
		return rc;
	if (!n && !has_timeout)
		return sim_set_error(p->sim, SIM_ERR_ARG,
				     "%s: wait on an empty event list",
				     p->name);
	sim_dyn_disarm(p);
	if (n == 1 && !has_timeout)
		return sim_next_trigger_event(p, evs[0]);
	if (n == 0)
		return sim_next_trigger_time(p, timeout);
	struct sim_wait *w = wait_get(p);
	if (!w)
		return sim_set_error(p->sim, SIM_ERR_NOMEM, "out of memory");
	if (n + 1 > w->cap) {
		uint32_t cap = n + 1 < 8 ? 8 : n + 1;
		sim_event_t **ne = realloc(w->evs, cap * sizeof(*ne));
		if (ne)
			w->evs = ne;
		int *ni = realloc(w->idx, cap * sizeof(*ni));
		if (ni)
			w->idx = ni;
		if (!ne || !ni)
			return sim_set_error(p->sim, SIM_ERR_NOMEM,
					     "out of memory");
		w->cap = cap;
	}
	p->dyn_multi = true; /* from here on disarm undoes partial arming */
	for (unsigned i = 0; i < n && rc == SIM_OK; i++)
		rc = arm_add(w, evs[i], (int)i);
	if (rc == SIM_OK && has_timeout)
		rc = arm_add(w, &w->timer, SIM_WAIT_TIMEOUT);
	if (rc != SIM_OK) {
		sim_wait_disarm(p);
		return sim_set_error(p->sim, SIM_ERR_NOMEM, "out of memory");
	}
	sim_proc_set_dyn(p, w->evs[0]);
	if (has_timeout) {
		rc = sim_event_notify_at(&w->timer, timeout);
		if (rc != SIM_OK) {
			sim_wait_disarm(p);
			return rc;
		}
	}
	return SIM_OK;
}

int sim_next_trigger_any(sim_proc_t *p, sim_event_t *const *evs, unsigned n)
{
	return arm(p, evs, n, false, 0);
}

int sim_next_trigger_any_timeout(sim_proc_t *p, sim_event_t *const *evs,
				 unsigned n, sim_time_t timeout)
{
	return arm(p, evs, n, true, timeout);
}

int sim_next_trigger_event_timeout(sim_proc_t *p, sim_event_t *ev,
				   sim_time_t timeout)
{
	return arm(p, &ev, 1, true, timeout);
}

int sim_next_trigger_static(sim_proc_t *p)
{
	if (!p)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	sim_dyn_disarm(p);
	return SIM_OK;
}

int sim_proc_woken_by(const sim_proc_t *p)
{
	return p && p->wait ? p->wait->woken : -1;
}

/* ---- threads ------------------------------------------------------------ */

static void thread_free(void *obj)
{
	sim_thread_t *t = obj;
	sim_coro_release(&t->co);
	free(t);
}

static void thread_main(void *arg)
{
	sim_thread_t *t = arg;
	t->fn(t, t->ctx);
	t->done = true;
	sim_dyn_disarm(t->proc);
	sim_coro_yield(&t->co, 1);
}

/* The method body of a thread: run it until it waits or ends. */
static void thread_step(sim_proc_t *p, void *ctx)
{
	(void)p;
	sim_thread_t *t = ctx;
	if (t->done)
		return;
	t->active = true;
	sim_coro_resume(&t->co);
	t->active = false;
	if (t->done)
		sim_coro_release(&t->co);
}

sim_thread_t *sim_thread_new_stack(sim_t *sim, const char *name,
				   sim_thread_fn fn, void *ctx,
				   size_t stack_bytes)
{
	if (!fn) {
		sim_set_error(sim, SIM_ERR_ARG, "thread %s has no body",
			      name ? name : "?");
		return NULL;
	}
	sim_thread_t *t = calloc(1, sizeof(*t));
	if (!t) {
		sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
		return NULL;
	}
	t->ext.free_fn = thread_free;
	t->sim = sim;
	t->fn = fn;
	t->ctx = ctx;
	if (sim_coro_init(&t->co, stack_bytes, thread_main, t) != 0) {
		sim_set_error(sim, SIM_ERR_NOMEM,
			      "thread %s: cannot map a %zu-byte stack: %s",
			      name ? name : "?", stack_bytes, strerror(errno));
		free(t);
		return NULL;
	}
	if (sim_ptrvec_push(&sim->all_ext, t) != SIM_OK) {
		sim_coro_release(&t->co);
		free(t);
		sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
		return NULL;
	}
	/* from here the kernel owns t */
	t->proc = sim_method_new(sim, name, thread_step, t);
	if (!t->proc) {
		t->done = true;
		sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
		return NULL;
	}
	return t;
}

sim_thread_t *sim_thread_new(sim_t *sim, const char *name, sim_thread_fn fn,
			     void *ctx)
{
	return sim_thread_new_stack(sim, name, fn, ctx, 0);
}

sim_proc_t *sim_thread_proc(sim_thread_t *t)
{
	return t->proc;
}

sim_t *sim_thread_sim(const sim_thread_t *t)
{
	return t->sim;
}

bool sim_thread_done(const sim_thread_t *t)
{
	return t->done;
}

size_t sim_thread_stack_size(const sim_thread_t *t)
{
	return t->co.self.stack_size;
}

/* ---- waits -------------------------------------------------------------- */

static int not_inside(sim_thread_t *t)
{
	if (!t)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	if (t->active)
		return SIM_OK;
	return sim_set_error(t->sim, SIM_ERR_STATE,
			     "wait on thread %s called from outside it",
			     t->proc ? t->proc->name : "?");
}

/* Suspend until the armed trigger fires; what woke the thread. */
static int suspend(sim_thread_t *t, int rc)
{
	if (rc < 0)
		return rc;
	sim_coro_yield(&t->co, 0);
	int w = sim_proc_woken_by(t->proc);
	return w < 0 ? 0 : w;
}

int sim_wait(sim_thread_t *t)
{
	int rc = not_inside(t);
	if (rc != SIM_OK)
		return rc;
	sim_dyn_disarm(t->proc);
	return suspend(t, SIM_OK);
}

int sim_wait_time(sim_thread_t *t, sim_time_t delay)
{
	int rc = not_inside(t);
	if (rc != SIM_OK)
		return rc;
	return suspend(t, sim_next_trigger_time(t->proc, delay));
}

int sim_wait_event(sim_thread_t *t, sim_event_t *ev)
{
	int rc = not_inside(t);
	if (rc != SIM_OK)
		return rc;
	return suspend(t, arm(t->proc, &ev, 1, false, 0));
}

int sim_wait_event_timeout(sim_thread_t *t, sim_event_t *ev, sim_time_t timeout)
{
	int rc = not_inside(t);
	if (rc != SIM_OK)
		return rc;
	return suspend(t, arm(t->proc, &ev, 1, true, timeout));
}

int sim_wait_any(sim_thread_t *t, sim_event_t *const *evs, unsigned n)
{
	int rc = not_inside(t);
	if (rc != SIM_OK)
		return rc;
	if (n == 0)
		return sim_set_error(t->sim, SIM_ERR_ARG,
				     "%s: wait on an empty event list",
				     t->proc->name);
	return suspend(t, arm(t->proc, evs, n, false, 0));
}

int sim_wait_any_timeout(sim_thread_t *t, sim_event_t *const *evs, unsigned n,
			 sim_time_t timeout)
{
	int rc = not_inside(t);
	if (rc != SIM_OK)
		return rc;
	return suspend(t, arm(t->proc, evs, n, true, timeout));
}

static int wait_sig(sim_thread_t *t, sim_signal_t *s, int which,
		    bool has_timeout, sim_time_t timeout)
{
	int rc = not_inside(t);
	if (rc != SIM_OK)
		return rc;
	if (!s)
		return sim_set_error(t->sim, SIM_ERR_ARG,
				     "%s: wait on a NULL signal",
				     t->proc->name);
	if (s->core.sim != t->sim)
		return sim_set_error(t->sim, SIM_ERR_FOREIGN,
				     "%s: waits on signal %s of another kernel",
				     t->proc->name, s->name);
	if (which && s->kind != SIM_SIG_BIT)
		return sim_set_error(t->sim, SIM_ERR_TYPE,
				     "%s: edge wait on %s, which is not a bit",
				     t->proc->name, s->name);
	sim_event_t *ev = which > 0   ? sim_sig_posedge(s)
			  : which < 0 ? sim_sig_negedge(s)
				      : sim_sig_changed(s);
	return suspend(t, arm(t->proc, &ev, 1, has_timeout, timeout));
}

int sim_wait_pos(sim_thread_t *t, sim_signal_t *bit)
{
	return wait_sig(t, bit, 1, false, 0);
}

int sim_wait_neg(sim_thread_t *t, sim_signal_t *bit)
{
	return wait_sig(t, bit, -1, false, 0);
}

int sim_wait_change(sim_thread_t *t, sim_signal_t *sig)
{
	return wait_sig(t, sig, 0, false, 0);
}

int sim_wait_pos_timeout(sim_thread_t *t, sim_signal_t *bit, sim_time_t timeout)
{
	return wait_sig(t, bit, 1, true, timeout);
}

int sim_wait_neg_timeout(sim_thread_t *t, sim_signal_t *bit, sim_time_t timeout)
{
	return wait_sig(t, bit, -1, true, timeout);
}

int sim_wait_change_timeout(sim_thread_t *t, sim_signal_t *sig,
			    sim_time_t timeout)
{
	return wait_sig(t, sig, 0, true, timeout);
}
