/*
 * sim_internal.h - the kernel's data structures, shared by sim.c (scheduler),
 * sim_build.c (construction, errors, queries), process.c (processes),
 * signal.c (signals, clocks) and vcd.c (tracing). Not installed; users see sim.h only.
 *
 * Every list the scheduler touches per delta is an array with an O(1)
 * "already queued" index or flag stored in the element (intrusive), so a
 * notification, a runnable push and a signal update request never search.
 */
#ifndef IMCSIM_SIM_INTERNAL_H
#define IMCSIM_SIM_INTERNAL_H

#include "kernel/sim.h"

#include <stdio.h>
#include <string.h>

/* A growable array of pointers. */
typedef struct sim_ptrvec {
	void **v;
	uint32_t n, cap;
} sim_ptrvec_t;

int sim_ptrvec_push(sim_ptrvec_t *pv, void *p);
/* Make room for at least cap entries. */
int sim_ptrvec_reserve(sim_ptrvec_t *pv, uint32_t cap);
void sim_ptrvec_free(sim_ptrvec_t *pv);
/* A heap copy of a process or signal name (NULL reads as ""). */
char *sim_name_dup(const char *s);

/* Dense storage for the records the scheduler visits per activation
 * (signals, processes): zeroed, cache-line aligned, in creation order in
 * 64-record chunks that never move, freed only with the kernel. Records
 * created one after another (a register file, its processes) sit next to
 * each other, and no record straddles more cache lines than its size
 * needs. */
typedef struct sim_slab {
	char *next, *end;
	sim_ptrvec_t chunks;
} sim_slab_t;

/* size: a multiple of 64. NULL on allocation failure. */
void *sim_slab_alloc(sim_slab_t *sl, size_t size);
void sim_slab_free(sim_slab_t *sl);

struct sim_event {
	sim_t *sim;
	const char *name;
	sim_ptrvec_t stat; /* statically sensitive processes, in order added */
	sim_ptrvec_t dyn;  /* processes waiting via next_trigger, once */
	int32_t delta_idx; /* index in sim->delta_events, or -1 */
	int32_t timed;	   /* 0: a timed notification is pending, or -1 */
	sim_time_t when;   /* timed notification: absolute time */
	uint64_t seq;	   /* timed notification: tie-break, FIFO; the
			    * heap entry carrying this seq is the live one */
};

/* One entry of the timed heap. The key is inline, so sifting never
 * touches an event; an entry whose seq no longer matches its event's
 * (cancelled, or replaced by an earlier notification) is stale and is
 * dropped when it reaches the top. */
typedef struct sim_heap_ent {
	sim_time_t when;
	uint64_t seq;
	sim_event_t *ev;
} sim_heap_ent_t;

/* sim_proc.state: why a trigger of a static event must not queue it */
enum {
	SIM_PS_RUNNABLE = 1, /* queued in sim->runq, or running */
	SIM_PS_DYN = 2,	     /* a dynamic trigger is armed (dyn_ev) */
};

/* One cache line (slab-allocated): what an activation reads first. */
struct sim_proc {
	sim_method_fn fn;
	void *ctx;
	uint8_t state;	  /* SIM_PS_* bits */
	bool initialized; /* initialization handled */
	bool dont_init;
	bool dyn_multi; /* armed on an or-list or with a timeout */
	uint32_t mark;	/* the edge batch it last ran from (sim->batch_id) */
	sim_t *sim;
	char *name;
	sim_event_t *dyn_ev; /* dynamic trigger armed for the next activation */
	sim_event_t *timer;  /* own event for sim_next_trigger_time, lazy */
	struct sim_wait *wait; /* thread.c: or-list/timeout state, lazy */
};

/* One traced appearance of a signal in one trace file. */
typedef struct sim_trace_ref {
	sim_trace_t *tr;
	uint32_t var;		    /* index into tr->vars */
	struct sim_trace_ref *next; /* next appearance of the same signal */
} sim_trace_ref_t;

/* What a signal needs only when someone waits on it or writes it from a
 * second process: its events and the many-writer check. */
typedef struct sim_sig_cold {
	sim_event_t changed;
	sim_event_t pos, neg; /* bits only */
	enum sim_writers writers;
	const sim_proc_t *last_writer; /* SIM_WRITERS_MANY: writer and */
	uint64_t last_stamp;	       /* update phase of the last write */
} sim_sig_cold_t;

/* Two cache lines (slab-allocated): the first holds everything a read, a
 * write and the update phase of an unwatched signal touch; the second
 * what tracing and the slow paths read. */
struct sim_signal {
	struct sim_sig_core core; /* first: the inline accessors use it */
	sim_sig_cold_t *x;
	enum sim_sig_kind kind;
	unsigned width;
	unsigned nwords;
	char *name;
	uint64_t *cur_w; /* width > 64: nwords each */
	uint64_t *nxt_w;
	sim_trace_ref_t *traces;
};

typedef struct sim_clock {
	sim_signal_t *sig;
	sim_time_t next_edge;
	sim_time_t high_ps, low_ps;
} sim_clock_t;

struct sim {
	struct sim_sched_core sched; /* first: the inline writes use it */
	uint32_t updcap;	     /* capacity of sched.upd */
	sim_config_t cfg;
	sim_time_t now;
	uint64_t deltas; /* counted as sc_delta_count() */
	uint64_t activations;
	uint64_t seq;
	bool running;
	bool started;	     /* the initialization phase has run */
	uint8_t clock_fired; /* a clock edge is a write of the coming delta */
	bool stop_requested;
	bool attention; /* stop requested, failure or processes to initialize */
	int fail_code;
	char errmsg[512];
	uint32_t nevents; /* events in existence (delta list capacity) */

	/* Runnable processes, FIFO. The evaluate phase runs runq.v[rq_head]
	 * and on; an immediate notification appends, growing the array on
	 * demand (a process may run several times in one evaluate phase),
	 * so nobody keeps a pointer into it across a process call. Outside
	 * an evaluate phase each process is queued at most once, and the
	 * capacity is kept at the number of processes. */
	sim_ptrvec_t runq;
	uint32_t rq_head;
	/* An edge batch (see sim_phase_trigger): the static waiters
	 * batch->stat.v[0 .. batch_n) of one event, standing for the whole
	 * run queue of the next evaluate phase and run straight from that
	 * list. batch_pos is the next member to look at while it runs. */
	sim_event_t *batch;
	uint32_t batch_n, batch_pos;
	uint32_t batch_id; /* members that ran carry it in mark */
	/* Events notified for the next delta, in order; a cancelled one
	 * leaves a NULL (order is kept), squeezed out when the list fills. */
	sim_ptrvec_t delta_events;
	/* Timed notifications: a 4-ary min-heap on (when, seq) whose top is
	 * always live; nstale counts its stale entries. */
	sim_heap_ent_t *heap;
	uint32_t nheap, capheap, nstale;
	sim_ptrvec_t init; /* processes awaiting initialization */

	sim_clock_t *clocks;
	uint32_t nclocks, capclocks;
	sim_time_t clock_next; /* earliest clock edge, SIM_TIME_MAX if none */
	sim_proc_t clock_proc; /* the writer of every clock signal */

	sim_slab_t sig_slab, proc_slab;

	/* ownership, for sim_free */
	sim_ptrvec_t all_events; /* events created with sim_event_new */
	sim_ptrvec_t all_procs;
	sim_ptrvec_t all_signals;
	sim_ptrvec_t all_traces;
	sim_ptrvec_t all_ext; /* sim_ext_t objects (threads, FIFOs) */
};

/* An object owned by the kernel and freed first in sim_free (thread.c,
 * fifo.c): the first member of its struct. */
typedef struct sim_ext {
	void (*free_fn)(void *obj);
} sim_ext_t;

/* thread.c: dynamic waits on an or-list of events or with a timeout.
 * sim_wait_fired() runs when ev wakes p (p->dyn_multi): it unhooks p from
 * the other events and records ev; sim_wait_disarm() (for p->wait)
 * drops an armed list and forgets what fired. process.c: sim_dyn_disarm() drops any armed trigger. */
void sim_wait_fired(sim_proc_t *p, sim_event_t *ev);
bool sim_wait_disarm(sim_proc_t *p); /* true: it was armed (multi) */
void sim_dyn_disarm(sim_proc_t *p);

/* Record an error (first one wins until cleared) and return code. */
int sim_set_error(sim_t *sim, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Events embedded in other objects (signals); 0 or SIM_ERR_NOMEM. */
int sim_event_init_embedded(sim_t *sim, sim_event_t *ev, const char *name);
int sim_event_delta_notify(sim_event_t *ev);
void sim_heap_remove(sim_t *sim, sim_event_t *ev);
/* Squeeze the cancelled (NULL) entries out of the delta list. */
void sim_delta_compact(sim_t *sim);

/* Delta notification. The delta list has a slot per event, so when it is
 * full it holds cancelled entries, and squeezing them out makes room
 * without allocating. An earlier pending notification wins; a timed one
 * is dropped. */
static inline void sim_delta_notify(sim_t *sim, sim_event_t *ev)
{
	if (ev->delta_idx >= 0)
		return;
	if (ev->timed >= 0)
		sim_heap_remove(sim, ev);
	if (sim->delta_events.n == sim->delta_events.cap)
		sim_delta_compact(sim);
	ev->delta_idx = (int32_t)sim->delta_events.n;
	sim->delta_events.v[sim->delta_events.n++] = ev;
}
/* Someone waits on the event (statically or dynamically). */
static inline bool sim_event_waited(const sim_event_t *ev)
{
	return ev->stat.n | ev->dyn.n;
}

/* Room for extra more runnable processes: reuses the part of the queue
 * that already ran, else grows it. On allocation failure the kernel fails
 * with SIM_ERR_NOMEM (the run stops; nothing is dropped silently). */
int sim_runq_reserve(sim_t *sim, uint32_t extra);
/* Record an allocation failure that a void path cannot return: the kernel
 * fails (sticky, even outside a run) with SIM_ERR_NOMEM. */
void sim_fail_nomem(sim_t *sim, const char *what);
/* Stop a run whose deltas reached cfg.max_deltas without time advancing:
 * flush the pending batch, record SIM_ERR_DELTA naming a runnable process
 * and return it. */
int sim_runaway(sim_t *sim, uint64_t deltas);
/* Turn the pending edge batch into ordinary run-queue entries: queue its
 * members from batch_pos on, as triggering the event eagerly would have
 * (sim.c). Called before anything else is queued or a process's state
 * changes, so the batch is exactly what eager queueing would have done. */
void sim_batch_flush(sim_t *sim);

/* Arm (ev) or disarm (NULL) a process's dynamic trigger. */
static inline void sim_proc_set_dyn(sim_proc_t *p, sim_event_t *ev)
{
	/* only the running process arms itself; another one changing a
	 * batch member's state first turns the batch into queue entries */
	if (p->sim->batch && p != p->sim->sched.current)
		sim_batch_flush(p->sim);
	p->dyn_ev = ev;
	if (ev)
		p->state |= SIM_PS_DYN;
	else
		p->state &= (uint8_t)~SIM_PS_DYN;
}

/* A process is queued at most once at a time, but once it has run it can
 * be queued again in the same evaluate phase by an immediate notification,
 * so the queue is bounds-checked and grows. A running process keeps its
 * runnable flag until it returns, so its own immediate notification cannot
 * re-trigger it (SystemC's rule). */
static inline void sim_make_runnable(sim_t *sim, sim_proc_t *p)
{
	if (sim->batch)
		sim_batch_flush(sim);
	if (p->state & SIM_PS_RUNNABLE)
		return;
	if (sim->runq.n == sim->runq.cap && sim_runq_reserve(sim, 1) != SIM_OK)
		return;
	p->state |= SIM_PS_RUNNABLE;
	sim->runq.v[sim->runq.n++] = p;
}

/* Queue each of pv[0..n) that is free (no state: not queued, no dynamic
 * trigger armed); the caller has made room for all n. */
static inline void sim_runq_append_free(sim_t *sim, sim_proc_t *const *pv,
					uint32_t n)
{
	void **q = sim->runq.v;
	uint32_t qn = sim->runq.n;
	for (uint32_t i = 0; i < n; i++) {
		sim_proc_t *p = pv[i];
		if (!p->state) {
			p->state = SIM_PS_RUNNABLE;
			q[qn++] = p;
		}
	}
	sim->runq.n = qn;
}

/* Wake the event's waiters: dynamic ones once, static ones unless a
 * dynamic trigger is armed for them. Room for every static waiter is made
 * once, so the loop appends without checking. */
static inline void sim_event_trigger(sim_t *sim, sim_event_t *ev)
{
	if (sim->batch)
		sim_batch_flush(sim);
	uint32_t n = ev->stat.n;
	if (n) {
		if (sim->runq.cap - sim->runq.n < n &&
		    sim_runq_reserve(sim, n) != SIM_OK)
			return;
		sim_runq_append_free(sim, (sim_proc_t **)ev->stat.v, n);
	}
	if (ev->dyn.n) {
		/* the running process's own immediate notification leaves
		 * its dynamic trigger armed (SystemC) */
		uint32_t keep = 0;
		for (uint32_t i = 0; i < ev->dyn.n; i++) {
			sim_proc_t *p = ev->dyn.v[i];
			if (p == sim->sched.current) {
				ev->dyn.v[keep++] = p;
				continue;
			}
			if (p->dyn_multi)
				sim_wait_fired(p, ev);
			sim_proc_set_dyn(p, NULL);
			sim_make_runnable(sim, p);
		}
		ev->dyn.n = keep;
	}
}

/* Trigger an event between evaluate phases (delta notify, update, timed
 * notifications: nothing runs, and the queue holds each process at most
 * once). The common cases inline: an event whose only waiters are static
 * ones is queued by one tight loop; and if it is the first trigger for
 * the coming evaluate phase and has several waiters, the first of which
 * is free to run, it becomes the edge batch: its list is run directly,
 * with no queue entries at all, and anything else queued meanwhile
 * first flushes the batch into the queue (sim_batch_flush), so the
 * processes run exactly as if each had been queued here. */
static inline __attribute__((always_inline)) void
sim_phase_trigger(sim_t *sim, sim_event_t *ev)
{
	uint32_t n = ev->stat.n;
	if (ev->dyn.n || sim->batch || sim->runq.cap - sim->runq.n < n) {
		sim_event_trigger(sim, ev);
		return;
	}
	sim_proc_t **pv = (sim_proc_t **)ev->stat.v;
	uint32_t qn = sim->runq.n;
	if (n == 1) { /* a signal and its one reader */
		sim_proc_t *p = pv[0];
		if (!p->state) {
			p->state = SIM_PS_RUNNABLE;
			sim->runq.v[qn] = p;
			sim->runq.n = qn + 1;
		}
		return;
	}
	if (n >= 2 && !qn && !pv[0]->state) {
		sim->batch = ev;
		sim->batch_n = n;
		sim->batch_pos = 0;
		sim->batch_id++;
		return;
	}
	sim_runq_append_free(sim, pv, n);
}

/* signal.c: turn due clock edges into writes. */
void sim_clocks_fire(sim_t *sim);

/* Queue a write with no writer check (the kernel's own clock writes). */
static inline void sim_sig_queue_(sim_signal_t *s, uint64_t bits)
{
	struct sim_sig_core *c = &s->core;
	c->nxt.u = bits;
	if (!c->pending) {
		c->pending = 1;
		*c->sim->sched.upd_end++ = s;
	}
}

/* Tracing hooks called by the scheduler. */
void sim_trace_mark(sim_signal_t *s); /* a traced signal changed value */
void sim_trace_timestep(sim_trace_t *tr, sim_time_t now);
int sim_trace_io_error(const sim_trace_t *tr);
void sim_trace_destroy(sim_trace_t *tr);

/* ---- the update phase (inline: it runs once per delta) ------------- */

/* A watched signal changed: wake its waiters now (this is the delta
 * notification of its events; a pending explicit delta notification of
 * the same event is folded in) and queue it for the traces. */
static inline void sim_wake_(sim_t *sim, sim_event_t *ev)
{
	if ((ev->delta_idx & ev->timed) >= 0) /* either is >= 0 */
		sim_event_cancel(ev);
	sim_phase_trigger(sim, ev);
}

static inline void sim_changed_(sim_t *sim, sim_signal_t *s)
{
	sim_sig_cold_t *x = s->x;
	if (sim_event_waited(&x->changed))
		sim_wake_(sim, &x->changed);
	if (s->core.kind == SIM_SIG_BIT) {
		sim_event_t *edge = s->core.cur.u ? &x->pos : &x->neg;
		if (sim_event_waited(edge))
			sim_wake_(sim, edge);
	}
	if (s->traces)
		sim_trace_mark(s);
}

/* A wide vector or a real: compare words, or doubles with == (SystemC's
 * sc_signal: -0.0 over 0.0 is no change, NaN over NaN is one). False if
 * the value did not change; else the new value is current. */
static inline bool sim_update_slow_(sim_signal_t *s)
{
	if (s->core.cmp == 2) {
		if (s->core.nxt.r == s->core.cur.r)
			return false;
		s->core.cur.u = s->core.nxt.u;
		return true;
	}
	size_t bytes = s->nwords * sizeof(uint64_t);
	if (!memcmp(s->nxt_w, s->cur_w, bytes))
		return false;
	memcpy(s->cur_w, s->nxt_w, bytes);
	s->core.cur.u = s->cur_w[0];
	return true;
}

/* The update phase; the caller has advanced the stamp. Inlined into the
 * crunch loop: it runs once per delta. */
static inline __attribute__((always_inline)) void sim_signals_update(sim_t *sim)
{
	sim_signal_t **v = sim->sched.upd, **end = sim->sched.upd_end;
	uint64_t stamp = sim->sched.stamp;
	/* nothing in here queues a write: end stays put */
	for (; v < end; v++) {
		sim_signal_t *s = *v;
		s->core.pending = 0;
		uint16_t slow;
		memcpy(&slow, &s->core.watched, sizeof(slow));
		if (!slow) {
			/* nobody waits on it: commit the word, no events */
			uint64_t nx = s->core.nxt.u;
			if (nx != s->core.cur.u) {
				s->core.cur.u = nx;
				s->core.changed_stamp = stamp;
			}
			continue;
		}
		if (!s->core.cmp) {
			/* a watched bit or narrow vector */
			uint64_t nx = s->core.nxt.u;
			if (nx == s->core.cur.u)
				continue;
			s->core.cur.u = nx;
			s->core.changed_stamp = stamp;
			sim_changed_(sim, s);
			continue;
		}
		if (!sim_update_slow_(s))
			continue;
		s->core.changed_stamp = stamp;
		if (s->core.watched)
			sim_changed_(sim, s);
	}
	sim->sched.upd_end = sim->sched.upd;
}

#endif /* IMCSIM_SIM_INTERNAL_H */
