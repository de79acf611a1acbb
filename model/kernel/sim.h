/*
 * sim.h - a discrete-event simulation kernel with SystemC semantics, in C11.
 *
 * Contract
 * --------
 * A sim_t owns everything created from it (events, processes, signals, clocks,
 * traces); there is no global state, so independent kernels can live in one
 * process. Time is a 64-bit count of picoseconds.
 *
 * The scheduler follows SystemC's evaluate / update / delta-notify loop:
 *
 *   0. initialization (the first run): apply the writes made before it
 *      (update phase), make every process runnable that was not marked
 *      sim_proc_dont_initialize(), trigger the delta notifications made
 *      before it; so processes of the first delta see the values written
 *      at elaboration, and none runs twice because of them. A clock edge
 *      at the start time is a write of that first delta.
 *   1. evaluate: run every runnable method process to completion, FIFO in the
 *      order it became runnable. An immediate notification makes the
 *      event's processes runnable in this same evaluate phase; a process
 *      that has already run in it runs again (the run queue grows as
 *      needed), but a process's own immediate notification never wakes
 *      itself. A process created by a running process runs in the same
 *      evaluate phase (SystemC's dynamic processes). Processes, events and
 *      signals may be created from inside a running process.
 *   2. update:   apply every signal write requested during evaluate, in the
 *      order of the first write of each signal. A write takes effect only
 *      here, so every process of one delta sees the old values. A signal
 *      whose new value equals its old one (==; for reals -0.0 equals 0.0
 *      and NaN equals nothing) notifies nobody; one that changes
 *      delta-notifies its value_changed event (and posedge / negedge for
 *      bits).
 *   3. delta notify: trigger every event delta-notified during 1 and 2, in
 *      the order of notification (a cancelled one leaves the others in
 *      order). If that made processes runnable, this is a new delta cycle:
 *      go to 1 (at the same time).
 *   4. advance time to the earliest pending timed notification or clock edge.
 *      Timed notifications due at one time are triggered in the order of
 *      (time, sequence number of the notify call): equal-time order is
 *      FIFO and deterministic. Clock edges due at that time become signal
 *      writes of the first delta there, in clock creation order, as
 *      SystemC's clock process does: processes sensitive to an edge run in
 *      the delta after it.
 *
 * sim_delta_count() counts delta cycles as SystemC's sc_delta_count(): a
 * delta in which no process ran and no clock edge fell is not counted, nor
 * is the delta that sim_stop() ended.
 *
 * Triggering a process that is already runnable does nothing. A process's
 * static sensitivity is used unless it has called sim_next_trigger*()
 * during its last activation, in which case only that dynamic trigger can
 * wake it, once, as SystemC's next_trigger() (notifying that event
 * immediately from the same activation does not consume it).
 *
 * An event holds at most one pending notification; the earliest wins:
 * immediate beats delta beats timed, and an earlier timed notification
 * replaces a later one (a later one is ignored). sim_event_cancel() removes a
 * pending delta or timed notification in O(1) / O(log n).
 *
 * A signal has one writer process by default, as SystemC's sc_signal
 * (SC_ONE_WRITER, error E115): a second process writing it is an error
 * (SIM_ERR_DRIVER) that stops the run; writes from outside any process
 * (the testbench between runs) are always allowed. sim_sig_set_writers()
 * allows many writers per signal.
 *
 * Errors are returned as negative sim_err codes; the kernel's last error
 * message is in sim_error() and, as for every failing call of the library,
 * in imc_last_error() (imc_err.h). A process that detects a fault calls sim_fail();
 * the run then stops and returns that error. Tracing is flushed on finish and
 * on error.
 */
#ifndef IMCSIM_SIM_H
#define IMCSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imc_err.h"
#include "imc_export.h"

IMC_BEGIN_DECLS

typedef uint64_t sim_time_t; /* picoseconds */

#define SIM_PS ((sim_time_t)1)
#define SIM_NS ((sim_time_t)1000)
#define SIM_US ((sim_time_t)1000000)
#define SIM_MS ((sim_time_t)1000000000)
#define SIM_TIME_MAX UINT64_MAX

enum sim_err {
	SIM_OK = 0,
	SIM_ERR_NOMEM = IMC_ENOMEM, /* allocation failed */
	SIM_ERR_ARG = IMC_EINVAL, /* invalid argument (NULL, zero width, ...) */
	SIM_ERR_TIME = IMC_ETIME, /* time would go backwards */
	SIM_ERR_DELTA = IMC_EDELTA,	/* runaway delta cycles at one time */
	SIM_ERR_FOREIGN = IMC_EFOREIGN, /* object belongs to another kernel */
	SIM_ERR_STATE =
		IMC_ESTATE, /* call not allowed now (e.g. trace after start) */
	SIM_ERR_IO = IMC_EIO,	  /* trace file could not be written */
	SIM_ERR_TYPE = IMC_ETYPE, /* signal accessed as the wrong kind */
	SIM_ERR_PROCESS =
		IMC_EPROCESS, /* a process reported a fault with sim_fail() */
	SIM_ERR_DRIVER =
		IMC_EDRIVER, /* a second process wrote a one-writer signal */
};

typedef struct sim sim_t;
typedef struct sim_event sim_event_t;
typedef struct sim_proc sim_proc_t;
typedef struct sim_signal sim_signal_t;

/* A method process body: runs to completion, must not block. */
typedef void (*sim_method_fn)(sim_proc_t *self, void *ctx);

/* Kernel-wide settings; sim_config_default() fills the defaults. */
typedef struct sim_config {
	/* runaway guard: delta cycles at one time (default 100000); 0 means
	 * no guard */
	uint64_t max_deltas;
} sim_config_t;

void sim_config_default(sim_config_t *cfg);

/* ---- kernel lifetime and running ------------------------------------- */

/* Create a kernel; cfg may be NULL for defaults. NULL on allocation failure. */
sim_t *sim_new(const sim_config_t *cfg);
/* Flush and close traces, free everything created from the kernel. */
void sim_free(sim_t *sim);

/* Current simulation time in ps. */
sim_time_t sim_time(const sim_t *sim);
/* Delta cycles run since the kernel was created. */
uint64_t sim_delta_count(const sim_t *sim);
/* Method activations run since the kernel was created. */
uint64_t sim_activation_count(const sim_t *sim);

/* Run until starvation or until time now+duration has been fully simulated
 * (all deltas at that time); pending later activity is kept for the next
 * call. Returns SIM_OK or a negative sim_err. */
int sim_run(sim_t *sim, sim_time_t duration);
/* SystemC's sc_start(duration): with duration 0, exactly one delta cycle
 * (evaluate, update, delta notify) at the current time, runnable or not;
 * otherwise run everything before now+duration, then advance to now+duration
 * and trigger what is due there without running it (it runs first in the
 * next call), as sc_start holds off the deltas of its end time. Either way
 * the time is now+duration on return. */
int sim_start(sim_t *sim, sim_time_t duration);
/* Run until no notification, clock edge or runnable process is left (free
 * running clocks never starve: use sim_run with a duration then). */
int sim_run_to_starvation(sim_t *sim);
/* Ask a running kernel to stop after the current delta cycle. */
void sim_stop(sim_t *sim);
/* Time of the next pending activity, or SIM_TIME_MAX if none. */
sim_time_t sim_next_time(const sim_t *sim);

/* The message of the last error, "" if none. */
const char *sim_error(const sim_t *sim);
/* Report a fault from inside a process: the run stops with
 * SIM_ERR_PROCESS and the message is kept for sim_error(). */
void sim_fail(sim_t *sim, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- events ------------------------------------------------------------ */

/* New event owned by the kernel (name for diagnostics, may be NULL). */
sim_event_t *sim_event_new(sim_t *sim, const char *name);
/* Trigger now: sensitive processes run in the current evaluate phase. */
int sim_event_notify(sim_event_t *ev);
/* Trigger in the next delta cycle. */
int sim_event_notify_delta(sim_event_t *ev);
/* Trigger after delay ps (0 means next delta). */
int sim_event_notify_at(sim_event_t *ev, sim_time_t delay);
/* Remove a pending delta or timed notification, if any. */
void sim_event_cancel(sim_event_t *ev);
/* True if the event has a pending delta or timed notification. */
bool sim_event_pending(const sim_event_t *ev);

/* ---- method processes ------------------------------------------------- */

/* Create a method process; it runs once at initialization unless
 * sim_proc_dont_initialize() is called before the first run. */
sim_proc_t *sim_method_new(sim_t *sim, const char *name, sim_method_fn fn,
			   void *ctx);
void sim_proc_dont_initialize(sim_proc_t *p);
/* Static sensitivity. */
int sim_sensitive(sim_proc_t *p, sim_event_t *ev);
int sim_sensitive_signal(sim_proc_t *p, sim_signal_t *s); /* value change */
int sim_sensitive_pos(sim_proc_t *p, sim_signal_t *bit);  /* rising edge */
int sim_sensitive_neg(sim_proc_t *p, sim_signal_t *bit);  /* falling edge */
/* Dynamic sensitivity for the next activation only (call from inside p). */
int sim_next_trigger_event(sim_proc_t *p, sim_event_t *ev);
int sim_next_trigger_time(sim_proc_t *p, sim_time_t delay);
const char *sim_proc_name(const sim_proc_t *p);
sim_t *sim_proc_sim(const sim_proc_t *p);

/* ---- signals ----------------------------------------------------------- */

enum sim_sig_kind { SIM_SIG_BIT, SIM_SIG_VEC, SIM_SIG_REAL };

/* A 1-bit signal with posedge / negedge events. */
sim_signal_t *sim_bit_new(sim_t *sim, const char *name, bool init);
/* A bit-vector of width bits (1..65535); init holds ceil(width/64) words,
 * least significant word first, or is NULL for all zeros. */
sim_signal_t *sim_vec_new(sim_t *sim, const char *name, unsigned width,
			  const uint64_t *init);
/* A real-valued signal (analog node). */
sim_signal_t *sim_real_new(sim_t *sim, const char *name, double init);

enum sim_sig_kind sim_sig_kind(const sim_signal_t *s);
unsigned sim_sig_width(const sim_signal_t *s);
const char *sim_sig_name(const sim_signal_t *s);
sim_event_t *sim_sig_changed(sim_signal_t *s);
sim_event_t *sim_sig_posedge(sim_signal_t *s); /* bits only */
sim_event_t *sim_sig_negedge(sim_signal_t *s); /* bits only */
/* True if the signal changed in the update phase just before this delta
 * (false again once another update phase ran or time advanced), as
 * SystemC's sc_signal::event(). */
bool sim_sig_event(const sim_signal_t *s);

/* Who may write a signal (SystemC's sc_writer_policy). */
enum sim_writers {
	SIM_WRITERS_ONE = 0,  /* default: one process ever (SC_ONE_WRITER) */
	SIM_WRITERS_MANY = 1, /* several, but two in one delta is an error
			       * (SC_MANY_WRITERS) */
	SIM_WRITERS_UNCHECKED = 2, /* anyone, anytime; last write wins
				    * (SC_UNCHECKED_WRITERS) */
};
/* Set a signal's writer policy (any time; the check of a one-writer
 * signal starts again from no writer). */
int sim_sig_set_writers(sim_signal_t *s, enum sim_writers policy);

/* Current (updated) values, and writes: a write takes effect in the next
 * update phase; the last write of a delta wins. Writing a value outside
 * the width, or a signal of another kind, is an error (nothing is
 * clipped); inside a run it also stops the run. The common cases are
 * inline (below); everything else goes through the *_slow functions. */
static inline bool sim_bit_read(const sim_signal_t *s);
static inline uint64_t
sim_vec_read_u64(const sim_signal_t *s);	     /* low 64 bits */
const uint64_t *sim_vec_read(const sim_signal_t *s); /* all words */
bool sim_vec_read_bit(const sim_signal_t *s, unsigned i);
static inline double sim_real_read(const sim_signal_t *s);

static inline int sim_bit_write(sim_signal_t *s, bool v);
static inline int sim_vec_write_u64(sim_signal_t *s, uint64_t v);
int sim_vec_write(sim_signal_t *s, const uint64_t *words);
static inline int sim_real_write(sim_signal_t *s, double v);

/* ---- clocks ------------------------------------------------------------ */

/* A free-running clock driving a new bit signal. The first edge is at
 * start_ps and is a rising edge if posedge_first; high time is
 * period*duty_percent/100 rounded to the nearest ps (as SystemC rounds
 * period*duty). Edges cost no heap operation. The clock's signal is
 * written by the clock only (a process writing it is SIM_ERR_DRIVER). */
sim_signal_t *sim_clock_new(sim_t *sim, const char *name, sim_time_t period_ps,
			    unsigned duty_percent, sim_time_t start_ps,
			    bool posedge_first);
/* The same with the high time given in ps (1 <= high_ps < period_ps): any
 * duty cycle at 1 ps resolution. */
sim_signal_t *sim_clock_new_ps(sim_t *sim, const char *name,
			       sim_time_t period_ps, sim_time_t high_ps,
			       sim_time_t start_ps, bool posedge_first);

/* ---- tracing (VCD, IEEE 1364) ---------------------------------------- */

typedef struct sim_trace sim_trace_t;

/* Open a VCD file; signals are added before the first run. The file is
 * written through a large buffer, flushed when it fills, on
 * sim_trace_flush(), on finish and on error. NULL on failure (sim_error
 * says why). */
sim_trace_t *sim_trace_vcd_open(sim_t *sim, const char *path);
/* Trace a signal under a hierarchical name "top.chip0.bl" (dots are
 * scopes; the last part is the variable name). */
int sim_trace_add(sim_trace_t *tr, sim_signal_t *s, const char *hier_name);
/* Write buffered data to the file now. */
int sim_trace_flush(sim_trace_t *tr);
/* Finish and close the file (also done by sim_free). Returns SIM_ERR_IO if
 * any write failed. */
int sim_trace_close(sim_trace_t *tr);

/* ---- inline fast paths ------------------------------------------------
 * The first members of the kernel and of a signal, shared with the inline
 * accessors so a read is a load and a write is a store plus, once per
 * delta, an append to the update queue (whose capacity the kernel keeps at
 * the number of signals, so the append never checks). Private layout:
 * use the functions above. */
struct sim_sig_core {
	union {
		uint64_t u;
		double r;
	} cur, nxt;    /* value, for width <= 64 and reals; a wide vector's
		     * cur holds its low word (the update phase copies it) */
	uint64_t mask; /* writable bits of a vector of width <= 64 */
	sim_t *sim;
	/* the process allowed to write without a check: the first writer
	 * of a one-writer signal, NULL before it, a sentinel otherwise */
	const void *writer;
	uint64_t changed_stamp; /* update phase of the last change */
	uint8_t kind;		/* enum sim_sig_kind */
	uint8_t wide;		/* width > 64: the value lives in word arrays */
	uint8_t pending;	/* queued for the update phase */
	/* watched and cmp are adjacent: the update phase tests both with
	 * one 16-bit load (both 0: compare and copy one word, no events) */
	uint8_t watched; /* someone may wait on or trace this signal */
	uint8_t cmp;	 /* update compare: 0 bits, 1 words, 2 real == */
};

struct sim_sched_core {
	sim_signal_t **upd;	/* signals written this delta: upd .. */
	sim_signal_t **upd_end; /* .. upd_end */
	const void *current;	/* the running process, NULL outside one */
	uint64_t stamp;		/* update phases and time steps so far */
};

int sim_write_slow(sim_signal_t *s, int kind, uint64_t bits);
/* A write by another process than the signal's known writer. */
int sim_write_checked(sim_signal_t *s, uint64_t bits);

static inline int sim_sig_store_(sim_signal_t *s, uint64_t bits)
{
	struct sim_sig_core *c = (struct sim_sig_core *)s;
	struct sim_sched_core *k = (struct sim_sched_core *)c->sim;
	if (c->writer != k->current)
		return sim_write_checked(s, bits);
	c->nxt.u = bits;
	if (!c->pending) {
		c->pending = 1;
		*k->upd_end++ = s;
	}
	return SIM_OK;
}

static inline bool sim_bit_read(const sim_signal_t *s)
{
	return ((const struct sim_sig_core *)s)->cur.u != 0;
}

static inline uint64_t sim_vec_read_u64(const sim_signal_t *s)
{
	/* a wide vector keeps its low word in cur too */
	return ((const struct sim_sig_core *)s)->cur.u;
}

static inline double sim_real_read(const sim_signal_t *s)
{
	return ((const struct sim_sig_core *)s)->cur.r;
}

static inline int sim_bit_write(sim_signal_t *s, bool v)
{
	if (((struct sim_sig_core *)s)->kind == SIM_SIG_BIT)
		return sim_sig_store_(s, v);
	return sim_write_slow(s, SIM_SIG_BIT, v);
}

static inline int sim_vec_write_u64(sim_signal_t *s, uint64_t v)
{
	const struct sim_sig_core *c = (const struct sim_sig_core *)s;
	/* mask is 0 for bits, reals and wide vectors: they take the slow
	 * path, as do out-of-width values */
	if (c->mask && !(v & ~c->mask))
		return sim_sig_store_(s, v);
	return sim_write_slow(s, SIM_SIG_VEC, v);
}

static inline int sim_real_write(sim_signal_t *s, double v)
{
	if (((struct sim_sig_core *)s)->kind == SIM_SIG_REAL) {
		union {
			double d;
			uint64_t u;
		} b = { v };
		return sim_sig_store_(s, b.u);
	}
	union {
		double d;
		uint64_t u;
	} b = { v };
	return sim_write_slow(s, SIM_SIG_REAL, b.u);
}

IMC_END_DECLS

/* Threads, next_trigger or-lists, FIFO channels, FST tracing. */
#include "kernel/thread.h"
#include "kernel/fifo.h"
#include "kernel/fst.h"

#endif /* IMCSIM_SIM_H */
