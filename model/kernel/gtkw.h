/*
 * gtkw.h - GTKWave save files (.gtkw) written by the code that traces.
 *
 * Contract
 * --------
 * A save file is built next to the trace it describes: sim_gtkw_trace()
 * adds a signal to a trace (sim_trace_add) and, under the very same name,
 * to the save file, so a renamed signal cannot leave a stale save file
 * behind. sim_gtkw_show() adds a name that is traced elsewhere (e.g. by
 * Verilator); the caller vouches for it. Entries appear in the order they
 * are added, inside groups (sim_gtkw_group / sim_gtkw_group_end, nested).
 *
 * sim_gtkw_window() sets the time span the save file opens on ([timestart]
 * and the zoom line: GTKWave's zoom z shows 2^-z time units per 200 pixels
 * of the wave pane, whose width follows from [size] and [signals_width]).
 * sim_gtkw_marker() places named markers A, B, ... (at most 26).
 *
 * sim_gtkw_write() writes the file atomically (temporary + rename) and
 * every translate filter file the entries use, beside it. The dump and the
 * save file are named by their base names in [dumpfile] and [savefile], so
 * GTKWave finds the dump next to the save file wherever the pair is opened
 * from or moved to (its relative-path rule: [dumpfile] is taken relative to
 * the directory of [savefile] and applied to the save file's real place).
 * The dump must therefore live in the save file's directory.
 *
 * Output is a pure function of the entries (no dates, no absolute paths):
 * equal runs give equal bytes. Errors are returned (negative sim_err codes)
 * with a message in the caller's buffer; nothing is printed.
 */
#ifndef IMCSIM_KERNEL_GTKW_H
#define IMCSIM_KERNEL_GTKW_H

#include <stddef.h>

#include "kernel/sim.h"

#include "imc_export.h"

IMC_BEGIN_DECLS

/* How a trace is drawn. */
enum sim_gtkw_fmt {
	SIM_GTKW_BIN,	 /* bits and 1-bit signals */
	SIM_GTKW_HEX,	 /* wide vectors (decision bitmaps, row data) */
	SIM_GTKW_DEC,	 /* counts, addresses, codes */
	SIM_GTKW_ANALOG, /* a real signal in step mode (the value holds
			    until the next sample) */
	SIM_GTKW_FILTER	 /* decimal, then through a translate filter (names
			    of FSM states); see sim_gtkw_filter() */
};

#define SIM_GTKW_MAX_MARKERS 26
/* Wave-pane width (pixels) the zoom fits the window into: GTKWave 3.3
 * leaves about 1100 px of the save file's 1600 px wide window to the waves
 * (the signal pane is 440 px, wider when names are longer), so the
 * window's end stays in view. */
#define SIM_GTKW_WAVE_PX 1040
/* The widest the wave pane gets (the signal pane at its minimum): GTKWave
 * may show up to this much, and it ignores [timestart] (opening at 0) when
 * what it would show runs past the dump's end; see sim_gtkw_visible_end. */
#define SIM_GTKW_PANE_MAX_PX 1160

typedef struct sim_gtkw sim_gtkw_t;

/* A new, empty save file; title goes into its comment header. NULL when
 * out of memory. */
sim_gtkw_t *sim_gtkw_new(const char *title);
void sim_gtkw_free(sim_gtkw_t *g);

/* Add a comment line ([*] ...) to the header. */
int sim_gtkw_comment(sim_gtkw_t *g, const char *text);

/* Trace s as hier (sim_trace_add) and, when g is not NULL, show it in the
 * save file in format fmt (alias: the name shown, NULL for hier). The
 * trace error, if any, is returned (sim_error() of the kernel says why). */
int sim_gtkw_trace(sim_gtkw_t *g, sim_trace_t *tr, sim_signal_t *s,
		   const char *hier, enum sim_gtkw_fmt fmt, const char *alias);

/* Show a signal traced by someone else: width bits (0 for a real). */
int sim_gtkw_show(sim_gtkw_t *g, const char *hier, unsigned width,
		  enum sim_gtkw_fmt fmt, const char *alias);

/* Use the translate filter file `file` (a base name, written beside the
 * save file) for the following SIM_GTKW_FILTER entries: value k is shown
 * as names[k] (NULL: unnamed). The names are copied. */
int sim_gtkw_filter(sim_gtkw_t *g, const char *file, const char *const *names,
		    unsigned n);

/* Open / close a group of traces (a block of the hardware). */
int sim_gtkw_group(sim_gtkw_t *g, const char *name, int closed);
int sim_gtkw_group_end(sim_gtkw_t *g);
/* An empty row (extra height after an analog trace: rows of blank). */
int sim_gtkw_blank(sim_gtkw_t *g, unsigned rows);

/* Open on [t0, t1] (t1 > t0, in trace time units: ps). */
void sim_gtkw_window(sim_gtkw_t *g, sim_time_t t0, sim_time_t t1);
/* The latest time GTKWave may show for the window set: the dump must
 * reach at least this far (run a quiet tail until then), or GTKWave opens
 * at time 0 instead. */
sim_time_t sim_gtkw_visible_end(const sim_gtkw_t *g);
/* The next named marker (A, B, ...) at t with a label. */
int sim_gtkw_marker(sim_gtkw_t *g, sim_time_t t, const char *label);

/* The primary marker at t: GTKWave then lists every trace's value at t
 * beside its name (e.g. BL and BLB at the strobe). */
void sim_gtkw_cursor(sim_gtkw_t *g, sim_time_t t);

/* Write the save file at gtkw_path describing the dump at dump_path (same
 * directory) and its filter files. 0, or a negative sim_err with a message
 * naming the file and the reason (imc_last_error()). */
int sim_gtkw_write(const sim_gtkw_t *g, const char *gtkw_path,
		   const char *dump_path);

/* The save file's path for a dump: dump_path with its extension (.vcd,
 * .fst) replaced by .gtkw, or .gtkw appended. Caller frees; NULL when out
 * of memory. */
char *sim_gtkw_path_for(const char *dump_path);

IMC_END_DECLS

#endif /* IMCSIM_KERNEL_GTKW_H */
