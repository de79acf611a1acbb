/*
 * sim.c - the scheduler: events, method processes, the timed heap and the
 * evaluate / update / delta-notify loop. Method processes and their
 * sensitivity live in process.c, signals and clocks in signal.c, tracing in
 * vcd.c; construction, the arrays' allocation, error reporting and the
 * queries (everything not per activation) in sim_build.c.
 *
 * The crunch loop (one simulated time step):
 *
 *   repeat
 *       evaluate:  pop runnable processes FIFO and call them; an immediate
 *                  notification appends to the same run queue.
 *       notify:    trigger the events delta-notified during evaluate, in
 *                  notification order (this only queues processes for the
 *                  next evaluate, so it may precede the update);
 *       update:    apply queued signal writes; a changed signal that some
 *                  process waits on triggers its events right there, which
 *                  is the rest of the delta-notify phase in SystemC's order.
 *       deltas++ (guarded by cfg.max_deltas per time step)
 *   until nothing is runnable
 *
 * then the traces record the time step's final values and time advances to
 * min(top of the timed heap, earliest clock edge). Clock edges become signal
 * writes of the first delta at their time (as SystemC's clock process does),
 * so posedge-sensitive processes run one delta after the edge time begins.
 * Due timed events come off the heap in (time, seq) order and are triggered
 * as they come: triggering only queues processes, it never touches the
 * heap, so it cannot reorder the events still due (and needs no second
 * list that could fail to grow).
 *
 * No pointer into a growable array (run queue, delta list, heap) is held
 * across a call into a process: a process may notify, create processes,
 * events and signals, and any of those may reallocate the arrays.
 */
#include "kernel/sim_internal.h"

#include <stdlib.h>
#include <string.h>

int sim_runq_reserve(sim_t *sim, uint32_t extra)
{
	sim_ptrvec_t *q = &sim->runq;
	uint32_t head = sim->rq_head;
	/* Entries before rq_head have run: reuse their room when they are
	 * at least half the queue, so a long chain of immediate
	 * notifications in one evaluate phase runs in bounded memory. */
	if (head && head >= q->n / 2) {
		memmove(q->v, q->v + head,
			(size_t)(q->n - head) * sizeof(void *));
		q->n -= head;
		sim->rq_head = 0;
		if (q->cap - q->n >= extra)
			return SIM_OK;
	}
	if (extra > UINT32_MAX - q->n ||
	    sim_ptrvec_reserve(q, q->n + extra) != SIM_OK) {
		sim_fail_nomem(sim, "run queue");
		return SIM_ERR_NOMEM;
	}
	return SIM_OK;
}

/* ---- timed heap: a 4-ary (when, seq) min-heap with inline keys -------
 *
 * Each entry carries its key, so sifting compares and moves entries in
 * one array without touching the events, and four children share about
 * one and a half cache lines. Removal is lazy: cancelling an event (or
 * replacing its notification by an earlier one) only makes its entry
 * stale (the event's seq moves on or its timed flag drops); stale entries
 * are popped when they reach the top, and the heap is rebuilt from its
 * live entries when they are more than half of it. The order in which
 * live entries come off is (when, seq) whatever the heap's shape, so this
 * is invisible. */

/* (when, seq) order, without branches: sift decisions on random times
 * are coin flips that a branch predictor cannot learn. */
static inline bool ent_less(const sim_heap_ent_t *a, const sim_heap_ent_t *b)
{
#ifdef __SIZEOF_INT128__
	/* one 128-bit compare: cmp + sbb */
	unsigned __int128 ka = (unsigned __int128)a->when << 64 | a->seq;
	unsigned __int128 kb = (unsigned __int128)b->when << 64 | b->seq;
	return ka < kb;
#else
	return (a->when < b->when) | ((a->when == b->when) & (a->seq < b->seq));
#endif
}

static inline bool ent_live(const sim_heap_ent_t *e)
{
	return e->ev->timed >= 0 && e->ev->seq == e->seq;
}

static void heap_up(sim_heap_ent_t *h, uint32_t i)
{
	sim_heap_ent_t e = h[i];
	while (i > 0) {
		uint32_t parent = (i - 1) / 4;
		if (!ent_less(&e, &h[parent]))
			break;
		h[i] = h[parent];
		i = parent;
	}
	h[i] = e;
}

/* Sift the entry at i down. The smallest of four children is picked with
 * conditional moves; a partial last group takes the loop. */
static void heap_down(sim_heap_ent_t *h, uint32_t n, uint32_t i)
{
	sim_heap_ent_t e = h[i];
	for (;;) {
		uint32_t c = 4 * i + 1, m;
		if (c + 4 <= n) {
			uint32_t a = c + ent_less(&h[c + 1], &h[c]);
			uint32_t b = c + 2 + ent_less(&h[c + 3], &h[c + 2]);
			m = ent_less(&h[b], &h[a]) ? b : a;
		} else if (c < n) {
			m = c;
			for (uint32_t k = c + 1; k < n; k++)
				if (ent_less(&h[k], &h[m]))
					m = k;
		} else {
			break;
		}
		if (!ent_less(&h[m], &e))
			break;
		h[i] = h[m];
		i = m;
	}
	h[i] = e;
}

static void heap_pop(sim_t *sim)
{
	uint32_t n = --sim->nheap;
	if (n) {
		sim->heap[0] = sim->heap[n];
		heap_down(sim->heap, n, 0);
	}
}

/* Keep the top live: pop stale entries off it. */
static inline void heap_clean_top(sim_t *sim)
{
	if (!sim->nstale)
		return;
	while (sim->nheap && !ent_live(&sim->heap[0])) {
		heap_pop(sim);
		sim->nstale--;
	}
}

/* Drop every stale entry and re-heapify (Floyd). */
static void heap_rebuild(sim_t *sim)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < sim->nheap; i++)
		if (ent_live(&sim->heap[i]))
			sim->heap[k++] = sim->heap[i];
	sim->nheap = k;
	sim->nstale = 0;
	for (uint32_t i = k / 4 + 1; i-- > 0;)
		if (i < k)
			heap_down(sim->heap, k, i);
}

/* The event's timed notification is gone: its entry is stale. */
static void heap_remove(sim_t *sim, sim_event_t *ev)
{
	ev->timed = -1;
	sim->nstale++;
	heap_clean_top(sim);
	if (sim->nstale > 64 && sim->nstale > sim->nheap / 2)
		heap_rebuild(sim);
}

/* Room for one more entry: squeeze the stale ones out, else grow. */
static int heap_reserve(sim_t *sim)
{
	if (sim->nheap < sim->capheap)
		return SIM_OK;
	if (sim->nstale)
		heap_rebuild(sim);
	if (sim->nheap < sim->capheap)
		return SIM_OK;
	if (sim->capheap > UINT32_MAX / 2)
		return SIM_ERR_NOMEM;
	uint32_t cap = sim->capheap ? sim->capheap * 2 : 64;
	sim_heap_ent_t *h = realloc(sim->heap, (size_t)cap * sizeof(*h));
	if (!h)
		return SIM_ERR_NOMEM;
	sim->heap = h;
	sim->capheap = cap;
	return SIM_OK;
}

/* Push ev at (ev->when, ev->seq); heap_reserve() has made room. */
static void heap_push(sim_t *sim, sim_event_t *ev)
{
	uint32_t i = sim->nheap++;
	sim->heap[i] = (sim_heap_ent_t){ ev->when, ev->seq, ev };
	ev->timed = 0;
	heap_up(sim->heap, i);
}

/* ---- events -------------------------------------------------------------- */

#define make_runnable sim_make_runnable
#define event_trigger sim_event_trigger

/* O(1), and the other notifications keep their order (sim.h promises
 * notification order): the slot becomes a hole that the trigger loop
 * skips and sim_delta_compact() squeezes out when the list fills. */
static void delta_remove(sim_t *sim, sim_event_t *ev)
{
	sim->delta_events.v[ev->delta_idx] = NULL;
	ev->delta_idx = -1;
}

void sim_delta_compact(sim_t *sim)
{
	sim_ptrvec_t *d = &sim->delta_events;
	uint32_t k = 0;
	for (uint32_t i = 0; i < d->n; i++) {
		sim_event_t *ev = d->v[i];
		if (!ev)
			continue;
		ev->delta_idx = (int32_t)k;
		d->v[k++] = ev;
	}
	d->n = k;
}

void sim_event_cancel(sim_event_t *ev)
{
	if (ev->delta_idx >= 0)
		delta_remove(ev->sim, ev);
	if (ev->timed >= 0)
		heap_remove(ev->sim, ev);
}

int sim_event_notify(sim_event_t *ev)
{
	sim_event_cancel(ev);
	event_trigger(ev->sim, ev);
	return ev->sim->fail_code;
}

void sim_heap_remove(sim_t *sim, sim_event_t *ev)
{
	heap_remove(sim, ev);
}

static inline int delta_notify(sim_t *sim, sim_event_t *ev)
{
	sim_delta_notify(sim, ev);
	return SIM_OK;
}

int sim_event_notify_delta(sim_event_t *ev)
{
	return delta_notify(ev->sim, ev);
}

int sim_event_notify_at(sim_event_t *ev, sim_time_t delay)
{
	sim_t *sim = ev->sim;
	if (delay == 0)
		return delta_notify(sim, ev);
	if (delay > SIM_TIME_MAX - sim->now)
		return sim_set_error(sim, SIM_ERR_TIME,
				     "notify of %s: time overflows 64 bits",
				     ev->name ? ev->name : "event");
	sim_time_t when = sim->now + delay;
	if (ev->delta_idx >= 0)
		return SIM_OK; /* a delta notification is earlier */
	if (ev->timed >= 0 && ev->when <= when)
		return SIM_OK; /* earliest wins */
	if (heap_reserve(sim) != SIM_OK)
		return sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
	if (ev->timed >= 0)
		sim->nstale++; /* the later entry stays, stale */
	ev->when = when;
	ev->seq = sim->seq++;
	heap_push(sim, ev);
	return SIM_OK;
}

/* ---- the crunch loop ---------------------------------------------------- */

static void init_pending(sim_t *sim)
{
	for (uint32_t i = 0; i < sim->init.n; i++) {
		sim_proc_t *p = sim->init.v[i];
		p->initialized = true;
		if (!p->dont_init)
			make_runnable(sim, p);
	}
	sim->init.n = 0;
}

static void trace_timestep(sim_t *sim)
{
	for (uint32_t i = 0; i < sim->all_traces.n; i++)
		sim_trace_timestep(sim->all_traces.v[i], sim->now);
}

/* Trigger the events delta-notified so far, in notification order
 * (holes left by cancel are skipped). Triggering only queues processes. */
static void delta_trigger(sim_t *sim)
{
	uint32_t ne = sim->delta_events.n;
	sim_event_t **dv = (sim_event_t **)sim->delta_events.v;
	for (uint32_t i = 0; i < ne; i++) {
		sim_event_t *ev = dv[i];
		if (!ev)
			continue;
		ev->delta_idx = -1;
		sim_phase_trigger(sim, ev);
	}
	sim->delta_events.n = 0;
}

/* SystemC's initialization phase, once before the first delta: the update
 * phase (writes made at elaboration), every process not marked
 * dont_initialize made runnable, the delta notifications made at
 * elaboration; then the clock edges due now become writes of the first
 * delta, as SystemC's clock processes run in it. */
static void initialize(sim_t *sim)
{
	sim->started = true;
	sim->sched.stamp++;
	if (sim->sched.upd_end != sim->sched.upd)
		sim_signals_update(sim);
	init_pending(sim);
	if (sim->delta_events.n)
		delta_trigger(sim);
	if (sim->clock_next == sim->now)
		sim_clocks_fire(sim);
}

/* Something unusual needs the loop's attention: initialize new
 * processes; report whether the loop must end (failure or stop). */
static bool attend(sim_t *sim)
{
	sim->attention = false;
	if (sim->init.n)
		init_pending(sim);
	if (sim->fail_code || sim->stop_requested) {
		/* the run ends here: what is due next waits in the queue */
		if (sim->batch)
			sim_batch_flush(sim);
		sim->attention = true;
		return true;
	}
	return false;
}

/* ---- edge batches ------------------------------------------------------
 *
 * When the first trigger after an evaluate phase is an event with several
 * static waiters (a clock edge and its registers), sim_phase_trigger()
 * records the event instead of queueing each waiter, and the next
 * evaluate phase calls the waiters straight from the event's list. A
 * member runs if triggering would have queued it then: no dynamic trigger
 * armed, not queued already, and not run from this batch before (a
 * process listed twice runs once). That test can be made late because
 * nothing can change a member's state in between without flushing the
 * batch first: every queueing (sim_make_runnable, sim_event_trigger) and
 * every change of another process's dynamic trigger calls
 * sim_batch_flush(), which queues the members not yet looked at, in list
 * order, exactly as eager queueing would have. Members added to the list
 * after the trigger are not part of it (batch_n). */

void sim_batch_flush(sim_t *sim)
{
	sim_event_t *ev = sim->batch;
	uint32_t from = sim->batch_pos, n = sim->batch_n, id = sim->batch_id;
	sim->batch = NULL;
	sim->batch_pos = UINT32_MAX; /* ends run_batch's loop */
	if (from >= n)
		return;
	if (sim->runq.cap - sim->runq.n < n - from &&
	    sim_runq_reserve(sim, n - from) != SIM_OK)
		return;
	sim_proc_t **pv = (sim_proc_t **)ev->stat.v;
	void **q = sim->runq.v;
	uint32_t qn = sim->runq.n;
	for (uint32_t i = from; i < n; i++) {
		sim_proc_t *p = pv[i];
		if (!p->state && p->mark != id) {
			p->state = SIM_PS_RUNNABLE;
			q[qn++] = p;
		}
	}
	sim->runq.n = qn;
}

/* Run the pending batch; returns the activations. Stops early when a
 * member's activation flushed the batch (the rest is then queued). */
static inline __attribute__((always_inline)) uint64_t run_batch(sim_t *sim)
{
	sim_event_t *ev = sim->batch;
	uint32_t n = sim->batch_n, id = sim->batch_id, i;
	uint64_t ran = 0;
	/* a flush during an activation sets batch_pos past the end */
	while ((i = sim->batch_pos) < n) {
		sim->batch_pos = i + 1;
		/* re-read: an activation may grow the list */
		sim_proc_t *p = ev->stat.v[i];
		if (p->state | (p->mark == id))
			continue;
		p->mark = id;
		p->state = SIM_PS_RUNNABLE;
		sim->sched.current = p;
		p->fn(p, p->ctx);
		p->state &= (uint8_t)~SIM_PS_RUNNABLE;
		ran++;
	}
	sim->batch = NULL;
	return ran;
}

/* Run the delta cycles of the current time: all of them, or one if once.
 * The common path of one delta is: run the queue, trigger the delta
 * events, apply the writes; every rare condition is folded into the one
 * attention flag. */
static inline __attribute__((always_inline)) int crunch(sim_t *sim, bool once)
{
	uint64_t iterations = 0, clock = 0;
	for (;;) {
		/* clock edges fire before crunch starts and raise attention,
		 * so the first delta takes them here, off the common path */
		if (sim->attention) {
			clock |= sim->clock_fired;
			sim->clock_fired = 0;
			if (attend(sim))
				return sim->fail_code;
		}
		/* evaluate: the queue and its array are re-read after every
		 * call, since the process may have grown or compacted it */
		uint64_t ran = sim->batch ? run_batch(sim) : 0;
evaluate:
		for (uint32_t i = sim->rq_head; i < sim->runq.n;
		     i = sim->rq_head) {
			sim_proc_t *p = sim->runq.v[i];
			sim->rq_head = i + 1;
			sim->sched.current = p;
			p->fn(p, p->ctx);
			p->state &= (uint8_t)~SIM_PS_RUNNABLE;
			ran++;
		}
		sim->sched.current = NULL;
		/* processes created in this evaluate phase run in it */
		if (sim->init.n) {
			init_pending(sim);
			if (sim->rq_head < sim->runq.n)
				goto evaluate;
		}
		sim->activations += ran;
		sim->runq.n = sim->rq_head = 0;
		/* SystemC counts a delta that ran a process; its clock is one */
		uint64_t busy = ran | clock;
		clock = 0;
		/* delta notify, part 1: notifications made while evaluating,
		 * in order. Triggering only queues processes for the next
		 * evaluate, so doing it before the update is equivalent. */
		if (sim->delta_events.n)
			delta_trigger(sim);
		/* update; part 2 of delta notify: a changed signal triggers
		 * its waiters directly, after everything notified above */
		sim->sched.stamp++;
		if (sim->sched.upd_end != sim->sched.upd)
			sim_signals_update(sim);
		/* a delta that sim_stop() ended is not counted (sc_stop) */
		if (sim->attention && attend(sim))
			return sim->fail_code;
		sim->deltas += busy != 0;
		/* a batch always has a member that runs (its first) */
		if (sim->runq.n == 0 && !sim->batch)
			return SIM_OK;
		if (once) {
			if (sim->batch)
				sim_batch_flush(sim);
			return SIM_OK;
		}
		if (++iterations == sim->cfg.max_deltas)
			return sim_runaway(sim, iterations);
	}
}

/* The next time with activity, or SIM_TIME_MAX. */
static sim_time_t next_activity(const sim_t *sim)
{
	sim_time_t t = sim->clock_next;
	if (sim->nheap && sim->heap[0].when < t)
		t = sim->heap[0].when;
	return t;
}

/* Advance to time t (> now): clock edges due there become writes of its
 * first delta, due notifications are triggered. */
static void advance(sim_t *sim, sim_time_t t)
{
	sim->now = t;
	sim->sched.stamp++; /* sim_sig_event() is per time step too */
	if (sim->clock_next == t)
		sim_clocks_fire(sim);
	/* Due notifications in (time, seq) order; triggering only queues
	 * processes and never touches the heap. */
	while (sim->nheap && sim->heap[0].when == t) {
		sim_event_t *top = sim->heap[0].ev;
		top->timed = -1;
		heap_pop(sim);
		heap_clean_top(sim);
		sim_phase_trigger(sim, top);
	}
}

static int finish_run(sim_t *sim, int rc)
{
	sim->running = false;
	if (rc != SIM_OK) {
		/* the run's first failure, whatever a process recorded since */
		imc_fail(rc, "%s", sim->errmsg);
		/* keep what was traced up to the error */
		trace_timestep(sim);
		for (uint32_t i = 0; i < sim->all_traces.n; i++)
			sim_trace_flush(sim->all_traces.v[i]);
		return rc;
	}
	for (uint32_t i = 0; i < sim->all_traces.n; i++) {
		int io = sim_trace_io_error(sim->all_traces.v[i]);
		if (io)
			return sim_set_error(sim, SIM_ERR_IO, "%s",
					     "trace file write failed");
	}
	return SIM_OK;
}

/* How far a run goes. */
enum run_mode {
	RUN_THROUGH, /* sim_run: every delta up to and at limit */
	RUN_BEFORE,  /* sim_start: run before limit, trigger at limit */
	RUN_ONE,     /* sim_start(0): one delta cycle */
};

static int run_until(sim_t *sim, sim_time_t limit, enum run_mode mode)
{
	if (sim->fail_code)
		return imc_fail(sim->fail_code, "%s", sim->errmsg);
	if (sim->running)
		return sim_set_error(sim, SIM_ERR_STATE,
				     "a run was started from inside a process");
	sim->running = true;
	sim->stop_requested = false;
	sim->attention = true;
	if (!sim->started)
		initialize(sim);
	else if (sim->clock_next == sim->now)
		sim_clocks_fire(sim); /* a clock created since, starting now */
	for (;;) {
		int rc = mode == RUN_ONE ? crunch(sim, true)
					 : crunch(sim, false);
		if (rc != SIM_OK)
			return finish_run(sim, rc);
		trace_timestep(sim);
		if (sim->stop_requested || mode == RUN_ONE)
			return finish_run(sim, SIM_OK);
		sim_time_t t = next_activity(sim);
		if (t == SIM_TIME_MAX || t > limit)
			break;
		advance(sim, t);
		if (mode == RUN_BEFORE && t == limit)
			break; /* sc_start holds off the deltas of its end */
	}
	if (limit != SIM_TIME_MAX && limit > sim->now) {
		sim->now = limit;
		sim->sched.stamp++;
	}
	return finish_run(sim, SIM_OK);
}

int sim_run(sim_t *sim, sim_time_t duration)
{
	if (duration > SIM_TIME_MAX - sim->now)
		return sim_set_error(sim, SIM_ERR_TIME,
				     "run for %llu ps overflows 64-bit time",
				     (unsigned long long)duration);
	return run_until(sim, sim->now + duration, RUN_THROUGH);
}

int sim_start(sim_t *sim, sim_time_t duration)
{
	if (duration > SIM_TIME_MAX - sim->now)
		return sim_set_error(sim, SIM_ERR_TIME,
				     "start for %llu ps overflows 64-bit time",
				     (unsigned long long)duration);
	if (duration == 0)
		return run_until(sim, sim->now, RUN_ONE);
	return run_until(sim, sim->now + duration, RUN_BEFORE);
}

int sim_run_to_starvation(sim_t *sim)
{
	return run_until(sim, SIM_TIME_MAX, RUN_THROUGH);
}

int sim_event_delta_notify(sim_event_t *ev)
{
	return delta_notify(ev->sim, ev);
}
