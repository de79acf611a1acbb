/*
 * thread.h - thread processes (SystemC's SC_THREAD with wait()) and
 * dynamic sensitivity on or-lists of events with timeouts (next_trigger).
 *
 * A thread process runs its body on its own stack and suspends itself in a
 * sim_wait_*() call until what it waits for happens; it is scheduled like
 * a method process (same run queue, same evaluate phase, same rules: one
 * activation per delta, FIFO order) and sees the same delta semantics. A
 * thread whose body returns has ended: it never runs again and the kernel
 * frees its stack right away. Threads still suspended when the kernel is
 * freed are discarded (their stacks are unmapped; nothing on them is
 * unwound).
 *
 * Every wait must be called from inside the thread it names; called from
 * anywhere else it returns SIM_ERR_STATE and does not wait. The forms:
 *
 *   sim_wait(t)                    static sensitivity (sim_sensitive* on
 *                                  sim_thread_proc(t))
 *   sim_wait_time(t, d)            d ps later (d = 0: the next delta)
 *   sim_wait_event(t, e)           e's next trigger
 *   sim_wait_any(t, evs, n)        the first of n events; returns its index
 *   sim_wait_pos/neg(t, bit)       a rising / falling edge of a bit signal
 *   sim_wait_change(t, sig)        any value change of a signal
 *   ..._timeout(..., d)            the same, or d ps, whichever comes first:
 *                                  SIM_WAIT_TIMEOUT if the time came first
 *
 * They return 0 (or the index of the event for the any forms) when woken,
 * SIM_WAIT_TIMEOUT on timeout, or a negative sim_err. If the event and the
 * timeout fall in the same delta, the one triggered first wins.
 *
 * Stacks: SIM_THREAD_DEFAULT_STACK bytes unless given, rounded up to whole
 * pages, with a PROT_NONE guard page below: an overflow dies with SIGSEGV.
 *
 * Method processes get the same or-lists and timeouts for next_trigger
 * (sim_next_trigger_any*, sim_next_trigger_event_timeout) and
 * sim_next_trigger_static(), which cancels a next_trigger made earlier in
 * the same activation so that static sensitivity wakes the method next
 * (SystemC's next_trigger() without arguments).
 */
#ifndef IMCSIM_KERNEL_THREAD_H
#define IMCSIM_KERNEL_THREAD_H

#include "kernel/sim.h"

#include "imc_export.h"

IMC_BEGIN_DECLS

typedef struct sim_thread sim_thread_t;

/* A thread body; returning from it ends the thread. */
typedef void (*sim_thread_fn)(sim_thread_t *self, void *ctx);

#define SIM_THREAD_DEFAULT_STACK ((size_t)256 * 1024)
/* What the timeout forms return when the time ran out first. */
#define SIM_WAIT_TIMEOUT (1 << 30)

/* Create a thread process; like a method it starts at initialization
 * unless sim_proc_dont_initialize(sim_thread_proc(t)) is called first
 * (then it starts at its first static trigger). stack_bytes = 0 means
 * SIM_THREAD_DEFAULT_STACK. NULL on failure (sim_error says why). */
sim_thread_t *sim_thread_new(sim_t *sim, const char *name, sim_thread_fn fn,
			     void *ctx);
sim_thread_t *sim_thread_new_stack(sim_t *sim, const char *name,
				   sim_thread_fn fn, void *ctx,
				   size_t stack_bytes);
/* The underlying process: for sim_sensitive*, dont_initialize, names. */
sim_proc_t *sim_thread_proc(sim_thread_t *t);
sim_t *sim_thread_sim(const sim_thread_t *t);
/* True once the body has returned. */
bool sim_thread_done(const sim_thread_t *t);
/* Usable stack bytes (after rounding to pages). */
size_t sim_thread_stack_size(const sim_thread_t *t);

int sim_wait(sim_thread_t *t);
int sim_wait_time(sim_thread_t *t, sim_time_t delay);
int sim_wait_event(sim_thread_t *t, sim_event_t *ev);
int sim_wait_event_timeout(sim_thread_t *t, sim_event_t *ev,
			   sim_time_t timeout);
int sim_wait_any(sim_thread_t *t, sim_event_t *const *evs, unsigned n);
int sim_wait_any_timeout(sim_thread_t *t, sim_event_t *const *evs, unsigned n,
			 sim_time_t timeout);
int sim_wait_pos(sim_thread_t *t, sim_signal_t *bit);
int sim_wait_neg(sim_thread_t *t, sim_signal_t *bit);
int sim_wait_change(sim_thread_t *t, sim_signal_t *sig);
int sim_wait_pos_timeout(sim_thread_t *t, sim_signal_t *bit,
			 sim_time_t timeout);
int sim_wait_neg_timeout(sim_thread_t *t, sim_signal_t *bit,
			 sim_time_t timeout);
int sim_wait_change_timeout(sim_thread_t *t, sim_signal_t *sig,
			    sim_time_t timeout);

/* next_trigger for methods (call from inside p; last call wins). */
int sim_next_trigger_any(sim_proc_t *p, sim_event_t *const *evs, unsigned n);
int sim_next_trigger_any_timeout(sim_proc_t *p, sim_event_t *const *evs,
				 unsigned n, sim_time_t timeout);
int sim_next_trigger_event_timeout(sim_proc_t *p, sim_event_t *ev,
				   sim_time_t timeout);
int sim_next_trigger_static(sim_proc_t *p);
/* What fired the or-list / timeout trigger p armed last: the index in
 * the list given to sim_next_trigger_any*, or SIM_WAIT_TIMEOUT; -1 if
 * none has fired since p last armed or cancelled a dynamic trigger (a
 * wake-up by static sensitivity leaves the value alone). */
int sim_proc_woken_by(const sim_proc_t *p);

IMC_END_DECLS

#endif /* IMCSIM_KERNEL_THREAD_H */
