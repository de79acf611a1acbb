/*
 * sim_internal.h - the kernel's data structures, shared by sim.c (scheduler,
 * signals, clocks) and vcd.c (tracing). Not installed; users see sim.h only.
 *
 * Every list the scheduler touches per delta is an array with an O(1)
 * "already queued" index or flag stored in the element (intrusive), so a
 * notification, a runnable push and a signal update request never search.
 */
#ifndef IMCSIM_SIM_INTERNAL_H
#define IMCSIM_SIM_INTERNAL_H

#include "kernel/sim.h"

#include <stdio.h>

/* A growable array of pointers. */
typedef struct sim_ptrvec {
	void **v;
	uint32_t n, cap;
} sim_ptrvec_t;

int sim_ptrvec_push(sim_ptrvec_t *pv, void *p);
void sim_ptrvec_free(sim_ptrvec_t *pv);

struct sim_event {
	sim_t *sim;
	const char *name;
	sim_ptrvec_t stat; /* statically sensitive processes, in order added */
	sim_ptrvec_t dyn;  /* processes waiting via next_trigger, once */
	int32_t delta_idx; /* index in sim->delta_events, or -1 */
	int32_t heap_idx;  /* index in sim->heap, or -1 */
	sim_time_t when;   /* timed notification: absolute time */
	uint64_t seq;      /* timed notification: tie-break, FIFO */
};

struct sim_proc {
	sim_t *sim;
	sim_method_fn fn;
	void *ctx;
	char *name;
	bool runnable;       /* queued in sim->runq */
	bool initialized;    /* initialization handled */
	bool dont_init;
	sim_event_t *dyn_ev; /* dynamic trigger armed for the next activation */
	sim_event_t *timer;  /* own event for sim_next_trigger_time, lazy */
};

/* One traced appearance of a signal in one trace file. */
typedef struct sim_trace_ref {
	sim_trace_t *tr;
	uint32_t var;                /* index into tr->vars */
	struct sim_trace_ref *next; /* next appearance of the same signal */
} sim_trace_ref_t;

struct sim_signal {
	sim_t *sim;
	enum sim_sig_kind kind;
	unsigned width;
	unsigned nwords;
	char *name;
	union {
		uint64_t u;
		double r;
	} cur, nxt;            /* width <= 64 and reals */
	uint64_t *cur_w;       /* width > 64: nwords each */
	uint64_t *nxt_w;
	bool update_pending;   /* queued in sim->updates */
	uint64_t changed_delta; /* delta that first sees the last change */
	sim_event_t changed;
	sim_event_t pos, neg;  /* bits only */
	sim_trace_ref_t *traces;
};

typedef struct sim_clock {
	sim_signal_t *sig;
	sim_time_t next_edge;
	sim_time_t high_ps, low_ps;
} sim_clock_t;

struct sim {
	sim_config_t cfg;
	sim_time_t now;
	uint64_t deltas;
	uint64_t activations;
	uint64_t seq;
	bool running;
	bool stop_requested;
	int fail_code;
	char errmsg[512];
	sim_proc_t *current; /* process being run, or NULL */

	sim_ptrvec_t runq;         /* runnable processes, FIFO */
	sim_ptrvec_t updates;      /* signals with a pending write */
	sim_ptrvec_t delta_events; /* events notified for the next delta */
	sim_ptrvec_t heap;         /* timed notifications: binary min-heap */
	sim_ptrvec_t ready;        /* due timed events, moved out first */
	sim_ptrvec_t init;         /* processes awaiting initialization */

	sim_clock_t *clocks;
	uint32_t nclocks, capclocks;
	sim_time_t clock_next; /* earliest clock edge, SIM_TIME_MAX if none */

	/* ownership, for sim_free */
	sim_ptrvec_t all_events; /* events created with sim_event_new */
	sim_ptrvec_t all_procs;
	sim_ptrvec_t all_signals;
	sim_ptrvec_t all_traces;
};

/* Record an error (first one wins until cleared) and return code. */
int sim_set_error(sim_t *sim, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Events embedded in other objects (signals). */
void sim_event_init_embedded(sim_t *sim, sim_event_t *ev, const char *name);
int sim_event_delta_notify(sim_event_t *ev);
/* Someone waits on the event (statically or dynamically). */
static inline bool sim_event_waited(const sim_event_t *ev)
{
	return ev->stat.n | ev->dyn.n;
}

/* signal.c: apply pending writes; turn due clock edges into writes. */
void sim_signals_update(sim_t *sim);
void sim_clocks_fire(sim_t *sim);

/* Tracing hooks called by the scheduler. */
void sim_trace_mark(sim_signal_t *s); /* a traced signal changed value */
void sim_trace_timestep(sim_trace_t *tr, sim_time_t now);
int sim_trace_io_error(const sim_trace_t *tr);
void sim_trace_destroy(sim_trace_t *tr);

#endif /* IMCSIM_SIM_INTERNAL_H */
