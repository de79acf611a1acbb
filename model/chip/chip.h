/*
 * chip.h - one IMC chip, cycle-accurate on the simulation kernel.
 *
 * Contract
 * --------
 * chip_new() builds, on an existing sim_t, the analog macro (macro.h) of
 * chip `id` drawn from `seed`, and the clocked blocks around it, each a
 * method process on the rising edge of the chip clock that sleeps while it
 * has nothing to do (no activation per edge; an idle chip runs nothing)
 * and is woken by its request:
 *   sequencer  (sequencer.h) - pops host commands, runs compare operations
 *              (precharge, wordline pulse, comparator strobe), serves the
 *              calibration FSM's compare requests;
 *   SRAM port  (sram.h)      - row write / read, one row per cycle, and the
 *              compensation-row write port of the calibration FSM;
 *   calib      (calib.h)     - the C golden model of the calibration FSM,
 *              wired to signals exactly as doc/calibration-contract.md says;
 *   bitlines and comparators - the pulse calls macro_drive() when the
 *              wordlines rise, the strobe calls macro_strobe(): the very
 *              functions the transaction-level path macro_compare() uses,
 *              with the same operation index, so both paths give
 *              bit-identical decisions and energy for the same commands.
 *
 * Timing of a compare (default 50 MHz, doc/timing.md): the edge E0 that
 * starts it raises `pre` (the input register is loaded on that edge for a
 * classify); at E0 + t_pre_ps the wordlines rise for t_wl_ps; at E1 the
 * comparators are strobed and the decisions appear on `dec` with `dec_valid`
 * high for the cycle E1..E2. Compares pipeline: one per cycle. The
 * calibration FSM sees cmp_valid two edges after the edge that sampled
 * cmp_req (CHIP_CMP_LATENCY).
 *
 * The host API queues commands (write row, read row, classify, calibrate);
 * the sequencer takes one per cycle, in order. chip_run_until_idle() runs
 * the kernel until every queued command has completed; processes of a
 * larger system can instead wait on chip_idle_event() or take each
 * classify's decisions in the result callback.
 *
 * Traced columns (params.trace_col) get real signals bl, blb and their
 * difference vdiff = V(BL) - V(BLB) (chip_trace.c): V_pre when the
 * precharge starts, at the pulse start (the precharge end), at
 * trace_samples evenly spaced times inside the pulse, at its end, and at
 * the strobe (the values the comparators decide on). Between those
 * samples a value holds, so a step-mode trace shows the real shape. The
 * calibration FSM's state, step and the counts n_c of the traced columns
 * are traced too (calib.state, calib.step, calib.n_<col>).
 *
 * A chip_t must be freed with chip_free() after the last run of its kernel
 * (its processes point into it); the kernel frees its own objects.
 */
#ifndef IMCSIM_CHIP_CHIP_H
#define IMCSIM_CHIP_CHIP_H

#include <stdbool.h>
#include <stdint.h>

#include "chip/macro.h"
#include "kernel/gtkw.h"
#include "kernel/sim.h"

#include "imc_export.h"

IMC_BEGIN_DECLS

#define CHIP_MAX_TRACE 16 /* traced columns at most */
#define CHIP_CMP_LATENCY \
	2 /* edges from sampling cmp_req to sampling cmp_valid */

/* The clocked chip's timing, declared once (param.h). Constraint:
 * t_pre_ps + bitline.t_wl_ps < period_ps (chip_params_problem()). */
#define CHIP_PARAMS(X, S)                                                 \
	X(S, period_ps, U64, "ps", 20000, 1000, 1e9, "chip clock period", \
	  "published: classify mode at 50 MHz (Zhang, Wang, Verma 2017)") \
	X(S, t_pre_ps, U64, "ps", 5000, 1, 1e9,                           \
	  "precharge phase after the clock edge",                         \
	  "estimated: a quarter of the cycle")                            \
	X(S, trace_samples, UINT, "", 8, 4, 1000,                         \
	  "BL/BLB samples of a traced column inside each wordline pulse", \
	  "choice: a step-mode trace shows the discharge's shape")

typedef struct chip_params {
	macro_params_t macro; /* the analog blocks (macro.h) */
	CHIP_PARAMS(IMC_PARAM_FIELD, _)
	unsigned ntrace; /* number of traced columns (default 0) */
	unsigned trace_col[CHIP_MAX_TRACE]; /* the traced columns */
} chip_params_t;

typedef struct chip chip_t;

/* Called at each classify strobe with the latched decisions (ncol bits). */
typedef void (*chip_result_fn)(void *ctx, chip_t *chip, const uint64_t *dec);

#define CHIP_SECTION "chip"
extern IMC_API const imc_param_block_t chip_param_block;

/* Fill *p with the defaults. */
void chip_params_default(chip_params_t *p);
/* 0 if usable (every block's ranges, t_pre + t_wl < period, traced columns
 * in range), -1 otherwise. */
int chip_params_check(const chip_params_t *p);
/* 0 if usable, else -1 with what is wrong, naming the parameters, in *m (m
 * may be NULL). */
int chip_params_problem(const chip_params_t *p);

/* Build chip `id` on sim. name prefixes its signal and process names
 * (e.g. "chip0"); clk is the clock to use, or NULL to create one of
 * p->period_ps (its period must then be the chip's). Returns NULL on error
 * with *err (may be NULL) set to a negative sim_err. */
chip_t *chip_new(sim_t *sim, const chip_params_t *p, uint64_t seed, unsigned id,
		 const char *name, sim_signal_t *clk, int *err);
/* Free the chip's own memory (after its kernel has stopped running). */
void chip_free(chip_t *c);

/* ---- host commands (queued; one per cycle, in order) ------------------ */

/* Write ncol bits into row (0..ndata-1 data rows, then compensation rows). */
int chip_write_row(chip_t *c, unsigned row, const uint64_t *data);
/* Read a row; its value is on the rdata port, see chip_read_data(). */
int chip_read_row(chip_t *c, unsigned row);
/* Compare ndata input codes (each <= code_max) with the compensation
 * wordline on or off; decisions come to chip_decisions() / the callback. */
int chip_classify(chip_t *c, const uint8_t *codes, bool comp_on);
/* Run the calibration FSM to DONE. */
int chip_calibrate(chip_t *c);

/* True when every queued command has completed. */
bool chip_idle(const chip_t *c);
/* Notified (delta) when the chip becomes idle. */
sim_event_t *chip_idle_event(chip_t *c);
/* Run the kernel, one clock period at a time, until the chip is idle; -1 if
 * that takes more than max_cycles, else 0 or a negative sim_err. */
int chip_run_until_idle(chip_t *c, uint64_t max_cycles);

/* ---- results ------------------------------------------------------------ */

void chip_set_result_cb(chip_t *c, chip_result_fn fn, void *ctx);
/* Decisions of the last strobe (ncol bits, bit c = column c decided +1). */
const uint64_t *chip_decisions(const chip_t *c);
/* Value on the read-data port (the last row read). */
const uint64_t *chip_read_data(const chip_t *c);
/* Compensation count n_c of a column (the FSM's cnt_out). */
unsigned chip_comp_count(const chip_t *c, unsigned col);
/* Cycles the last calibration took: from the edge sampling start to the
 * edge entering DONE (0 if none completed). */
uint64_t chip_calib_cycles(const chip_t *c);
/* Energy counters of the chip. */
const chip_energy_t *chip_energy(const chip_t *c);
/* The analog macro (for the transaction-level path and for analysis). */
macro_t *chip_macro(chip_t *c);
/* The chip clock. */
sim_signal_t *chip_clock(chip_t *c);

/* Add the chip's signals to a trace under scope (e.g. "top.chip0"); call
 * before the kernel's first run. */
int chip_trace(chip_t *c, sim_trace_t *tr, const char *scope);

/* Blocks of the chip a save file shows (chip_trace_view), one group each. */
enum chip_show {
	CHIP_SHOW_SEQ = 1,   /* busy, precharge, wordlines, strobe, decisions */
	CHIP_SHOW_WL = 2,    /* input register and the first wordline codes */
	CHIP_SHOW_CALIB = 4, /* FSM state, step, handshake, row port, n_c */
	CHIP_SHOW_ANALOG = 8, /* per traced column vdiff, BL, BLB (step mode) */
	CHIP_SHOW_SRAM = 16,  /* SRAM write / read port */
	CHIP_SHOW_CLOSED = 32 /* the groups start closed */
};
/* chip_trace() that also puts the blocks in `show` (enum chip_show bits)
 * into the save file g (may be NULL), under the same names. label names
 * the chip in the group titles (e.g. "chip0 (layer 0)"). */
int chip_trace_view(chip_t *c, sim_trace_t *tr, sim_gtkw_t *g,
		    const char *scope, const char *label, unsigned show);
/* Called at every comparator strobe (classify and calibration compares)
 * with its time: a testbench places save-file markers with it. */
typedef void (*chip_strobe_fn)(void *ctx, chip_t *chip, sim_time_t t_ps,
			       bool classify);
void chip_set_strobe_cb(chip_t *c, chip_strobe_fn fn, void *ctx);
/* Time (ps) the last calibration started (the edge sampling start), 0 if
 * none; with chip_calib_cycles() it places markers. */
sim_time_t chip_calib_t_start(const chip_t *c);

IMC_END_DECLS

#endif /* IMCSIM_CHIP_CHIP_H */
