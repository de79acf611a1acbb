/*
 * macro.h - the analog IMC macro of one chip, and its transaction-level path.
 *
 * Contract
 * --------
 * A macro_t is the physical state of one chip: the bitcell array (ndata data
 * rows followed by comp.nrow compensation rows, ncol columns), its WLDACs,
 * bitlines and comparator bank, with every static random quantity drawn once
 * at macro_init() from (seed, chip id) and cached: per-row nominal current
 * for every code, per-code mismatch sigma, per-cell N(0,1), per-column
 * offset and common-mode coefficient.
 *
 * One compare operation is two calls, exactly the two moments of the
 * hardware:
 *   macro_drive()  - the wordline pulse starts: the codes (and the
 *                    compensation wordline) set every cell current, summed
 *                    per line into I_BL, I_BLB;
 *   macro_strobe() - the pulse has ended: each line's end voltage from the
 *                    closed-form discharge, then one comparator decision per
 *                    column with noise keyed by the operation index, which
 *                    then increments; the energy of the operation is booked.
 * macro_compare() is the two back to back: the transaction-level path. The
 * cycle-accurate chip (chip.h) calls the same two functions at the wordline
 * and strobe clock edges, so both paths give bit-identical decisions and
 * energy for the same sequence of operations.
 *
 * Line sums: the compensation rows are summed first (cached until one of
 * them is written), then the active data rows in row order; a data row's
 * cell currents are cached for its last code, so a compare costs two adds
 * per active cell when codes repeat (binary activations), one
 * multiply-add more when they change. Per column: two closed-form
 * evaluations, and a noise draw only when the noise could change the
 * decision (|input| <= 9 sigma; a Box-Muller draw from 53-bit uniforms is
 * below 8.66 sigma), so skipping it never changes a decision. No exp/log
 * per cell. Not thread-safe per macro; distinct macros are independent.
 */
#ifndef IMCSIM_CHIP_MACRO_H
#define IMCSIM_CHIP_MACRO_H

#include <stdbool.h>
#include <stdint.h>

#include "chip/array.h"
#include "chip/bitline.h"
#include "chip/calib.h"
#include "chip/comparator.h"
#include "chip/comprow.h"
#include "chip/energy.h"
#include "chip/wldac.h"

#include "imc_export.h"

IMC_BEGIN_DECLS

/* The macro's shape, declared once (param.h); the blocks' own parameters
 * are in their headers. Rows are ndata + comp.nrow. */
#define MACRO_PARAMS(X, S)                                                       \
	X(S, ndata, UINT, "", 96, 1, MACRO_MAX_DATA,                             \
	  "data rows (one per input of the layer)",                              \
	  "published: 96 data + 32 compensation rows (Zhang, Wang, Verma 2017)") \
	X(S, ncol, UINT, "", 128, 1, CALIB_MAX_COL,                              \
	  "array columns (one per neuron)",                                      \
	  "published: 128 x 128 6T array (Zhang, Wang, Verma 2017)")

#define MACRO_MAX_DATA 1024 /* data rows at most */

typedef struct macro_params {
	MACRO_PARAMS(IMC_PARAM_FIELD, _)
	wldac_params_t wldac;
	array_params_t array;
	bitline_params_t bl;
	comparator_params_t cmp;
	comprow_params_t comp;
	energy_params_t energy;
} macro_params_t;

typedef struct macro {
	macro_params_t p;
	uint64_t seed;
	unsigned chip;
	unsigned nrow;	/* ndata + comp.nrow */
	unsigned nword; /* words of a ncol-bit row */
	chip_array_t arr;
	comparator_bank_t cmp;
	double *row_i_a;  /* ndata x (code_max+1) nominal cell current */
	double *code_sig; /* code_max+1 relative mismatch sigma */
	double comp_sig;  /* mismatch sigma at the compensation current */
	unsigned n_wl;	  /* active wordlines of the driven operation */
	double *i_bl_a, *i_blb_a; /* line currents of the driven operation */
	double *v_bl_v, *v_blb_v; /* line voltages at the last strobe */
	uint64_t *dec; /* decisions of the last strobe (bit c = +1) */
	uint64_t op;   /* compare operations strobed so far */
	chip_energy_t energy;
	/* Caches (exact: they hold the very values the sums would add):
	 * data row r's per-cell line contributions at code row_code[r]
	 * (MACRO_CODE_STALE: none), and the compensation rows' line sums
	 * (comp_ok). A row write through macro_write_row() invalidates them;
	 * write the array only through it. */
	double *row_bl_a, *row_blb_a;	/* ndata x ncol */
	uint16_t *row_code;		/* ndata */
	double *comp_bl_a, *comp_blb_a; /* ncol */
	bool comp_ok;
} macro_t;

#define MACRO_CODE_STALE 0xffffu

#define MACRO_SECTION "macro"
extern IMC_API const imc_param_block_t macro_param_block;

/* Fill *p with every block's defaults. */
void macro_params_default(macro_params_t *p);
/* 0 if every block's parameters are usable, -1 otherwise. */
int macro_params_check(const macro_params_t *p);
/* 0 if usable, else -1 with what is wrong, naming the parameter, in *m (m
 * may be NULL). */
int macro_params_problem(const macro_params_t *p, imc_msg_t *m);

/* Build the macro of chip `chip` from seed: all rows 0. Returns 0, or -1 on
 * bad parameters or allocation failure. */
int macro_init(macro_t *m, const macro_params_t *p, uint64_t seed,
	       unsigned chip);
void macro_free(macro_t *m);

/* SRAM mode: store / fetch one row (0..ndata-1 data, then compensation
 * rows), booking write / read energy. -1 on a bad row or stray bits. */
int macro_write_row(macro_t *m, unsigned row, const uint64_t *data);
int macro_read_row(macro_t *m, unsigned row, uint64_t *data);

/* Pulse start: codes[0..ndata-1] (each <= code_max; NULL means all 0) and
 * the compensation wordline. -1 (nothing changed) if a code is too large. */
int macro_drive(macro_t *m, const uint8_t *codes, bool comp_on);
/* Line voltages of column col t_s seconds into the driven pulse. */
void macro_line_v(const macro_t *m, unsigned col, double t_s, double *v_bl,
		  double *v_blb);
/* Pulse end and comparator strobe: fills m->v_*, m->dec (and dec, if not
 * NULL, with nword words), books the energy, increments m->op. */
void macro_strobe(macro_t *m, uint64_t *dec);
/* Transaction level: drive then strobe. -1 if a code is too large. */
int macro_compare(macro_t *m, const uint8_t *codes, bool comp_on,
		  uint64_t *dec);

/* Noise-free comparator input of every column (out[ncol], volts) for codes
 * (NULL: all 0) and the compensation wordline; touches no counter or
 * energy and leaves the driven operation as it was. */
int macro_input_v(macro_t *m, const uint8_t *codes, bool comp_on, double *out);

/* Noise-free comparator input of every column (out[ncol], volts) with all
 * data codes 0, the compensation wordline on and the compensation rows
 * holding the thermometer code of counts n_c[ncol] (whatever is stored):
 * the column's effective offset at count n_c, computed from the model. */
int macro_offset_counts_v(macro_t *m, const uint8_t *n_c, double *out);

/* Transaction-level calibration: runs the calib golden model against
 * macro_compare(), a compare taking lat_cycles cycles from the edge that
 * samples cmp_req to the edge that samples cmp_valid, and writes the
 * compensation rows as the FSM commands. *cal (may be NULL) receives the
 * final FSM state, *cycles (may be NULL) the cycle count from the start
 * edge to the edge entering DONE. Returns 0 or -1. */
/* Called by macro_calibrate_observed() each time the FSM takes a step's
 * decisions (WAIT -> WRITE), with the FSM after that edge: its counts are
 * the ones the step set. step_index counts from 1. */
typedef void (*macro_calib_step_fn)(void *ctx, const calib_t *c,
				    unsigned step_index);
/* macro_calibrate() with an observer (fn may be NULL). */
int macro_calibrate_observed(macro_t *m, unsigned lat_cycles, calib_t *cal,
			     uint64_t *cycles, macro_calib_step_fn fn,
			     void *ctx);
int macro_calibrate(macro_t *m, unsigned lat_cycles, calib_t *cal,
		    uint64_t *cycles);

IMC_END_DECLS

#endif /* IMCSIM_CHIP_MACRO_H */
