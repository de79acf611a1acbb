/*
 * fst.h - FST waveform tracing (GTKWave's compressed format) and the one
 * entry point that picks the format from a file name.
 *
 * An FST trace is used exactly like a VCD trace (sim.h: sim_trace_add,
 * sim_trace_flush, sim_trace_close, closed by sim_free): the same signals,
 * scopes from the dotted names, vectors, reals, timescale 1 ps, and the
 * same value changes, because both writers share one signal walk (vcd.c);
 * only the output differs. The FST writer is GTKWave's fstapi.c, compiled
 * in when configure found it; it compresses blocks in its own thread
 * (fstWriterSetParallelMode).
 */
#ifndef IMCSIM_KERNEL_FST_H
#define IMCSIM_KERNEL_FST_H

#include "kernel/sim.h"

#include "imc_export.h"

IMC_BEGIN_DECLS

/* True if this build has the FST writer. */
bool sim_trace_fst_available(void);

/* Open an FST file; NULL on failure (sim_error says why, e.g. a build
 * without FST support). */
sim_trace_t *sim_trace_fst_open(sim_t *sim, const char *path);

/* Open a trace in the format the file name asks for: ".fst" -> FST,
 * ".vcd" -> VCD (case-insensitive). Any other name is refused with
 * SIM_ERR_ARG and a message naming the path, before any file is created.
 * NULL on failure (sim_error says why). */
sim_trace_t *sim_trace_open(sim_t *sim, const char *path);

IMC_END_DECLS

#endif /* IMCSIM_KERNEL_FST_H */
