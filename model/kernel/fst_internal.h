/*
 * fst_internal.h - the FST back end of the trace walk in vcd.c (not
 * installed). vcd.c owns the trace (signals, dirty lists, header order);
 * these calls only turn its walk into fstapi calls. Without HAVE_FSTAPI
 * sim_fst_create() fails and nothing else is called.
 */
#ifndef IMCSIM_FST_INTERNAL_H
#define IMCSIM_FST_INTERNAL_H

#include "kernel/sim_internal.h"

typedef struct sim_fst sim_fst_t;

/* vcd.c: open a trace of either kind (fst: FST through the calls below). */
sim_trace_t *sim_trace_open_kind(sim_t *sim, const char *path, bool fst);

/* NULL on failure, with the error set on sim. */
sim_fst_t *sim_fst_create(sim_t *sim, const char *path);
void sim_fst_scope(sim_fst_t *f, const char *name, size_t len);
void sim_fst_upscope(sim_fst_t *f);
/* Declare a variable for s named name; returns its handle, 0 if it could
 * not be declared (out of memory). */
uint32_t sim_fst_var(sim_fst_t *f, const sim_signal_t *s, const char *name);
void sim_fst_time(sim_fst_t *f, sim_time_t t);
/* The current value of s, for the variable with handle h. */
void sim_fst_emit(sim_fst_t *f, uint32_t h, const sim_signal_t *s);
void sim_fst_flush(sim_fst_t *f);
/* Finish the file and free f; SIM_OK or SIM_ERR_NOMEM for the scratch. */
void sim_fst_close(sim_fst_t *f);

#endif /* IMCSIM_FST_INTERNAL_H */
