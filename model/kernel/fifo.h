/*
 * fifo.h - a bounded FIFO channel with SystemC's sc_fifo semantics.
 *
 * Elements are fixed-size byte blocks copied in and out. As in sc_fifo, a
 * write becomes readable, and a read frees its slot for writers, only in
 * the update phase of the delta it happened in; the data-written and
 * data-read events are delta-notified from that update phase. So in one
 * delta:
 *
 *   num_available  elements readable now (written in earlier deltas, minus
 *                  what was read so far, this delta included)
 *   num_free       slots writable now (depth minus elements not yet read
 *                  in an earlier delta, minus writes so far)
 *
 * Threads use the blocking calls (they wait on the data-read/-written
 * event until there is room / data); methods use the try calls and wait
 * on the events with next_trigger. One reader and one writer process, as
 * sc_fifo requires (not checked).
 */
#ifndef IMCSIM_KERNEL_FIFO_H
#define IMCSIM_KERNEL_FIFO_H

#include "kernel/thread.h"

#include "imc_export.h"

IMC_BEGIN_DECLS

typedef struct sim_fifo sim_fifo_t;
typedef struct sim_thread sim_thread_t; /* thread.h */

/* A FIFO of depth elements of elem_size bytes each (both >= 1). Owned by
 * the kernel. NULL on failure (sim_error says why). */
sim_fifo_t *sim_fifo_new(sim_t *sim, const char *name, size_t elem_size,
			 unsigned depth);

/* Blocking, from inside thread t: wait until data / room, then copy. 0 or
 * a negative sim_err (SIM_ERR_STATE from outside t). */
int sim_fifo_read(sim_thread_t *t, sim_fifo_t *f, void *out);
int sim_fifo_write(sim_thread_t *t, sim_fifo_t *f, const void *in);
/* Non-blocking, from anywhere: 1 if an element moved, 0 if the FIFO was
 * empty / full, negative on a bad argument. */
int sim_fifo_try_read(sim_fifo_t *f, void *out);
int sim_fifo_try_write(sim_fifo_t *f, const void *in);

unsigned sim_fifo_num_available(const sim_fifo_t *f);
unsigned sim_fifo_num_free(const sim_fifo_t *f);
unsigned sim_fifo_depth(const sim_fifo_t *f);
/* Notified (delta, from the update phase) after a delta with writes /
 * reads. */
sim_event_t *sim_fifo_data_written_event(sim_fifo_t *f);
sim_event_t *sim_fifo_data_read_event(sim_fifo_t *f);

IMC_END_DECLS

#endif /* IMCSIM_KERNEL_FIFO_H */
