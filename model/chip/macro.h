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
 * VDD is bitline.v_pre_v, defined once: the precharge level, the
 * comparator's zero-CM-error level, the WLDAC replica's drain and the
 * energy's supply all use it. The line
 * capacitance follows from the column height (bitline_c_f()). Each code x
 * has its WLDAC gate voltage V_G(x) (array_cell_vg_v() of the row's target
 * current at VDD) and so its own normalized cell curve (bitline.h).
 *
 * One compare operation is two calls, exactly the two moments of the
 * hardware:
 *   macro_drive()  - the wordline pulse starts: the codes (and the
 *                    compensation wordline) set every cell's amplitude,
 *                    summed per line and per curve;
 *   macro_strobe() - the pulse has ended: each line's end voltage from the
 *                    line ODE (bitline_v()), then one comparator decision
 *                    per column with noise keyed by the operation index,
 *                    which then increments; the energy is booked.
 * macro_compare() is the two back to back: the transaction-level path. The
 * cycle-accurate chip (chip.h) calls the same two functions at the wordline
 * and strobe clock edges, so both paths give bit-identical decisions and
 * energy for the same sequence of operations. A calibration compare
 * (macro_drive_cal()) has the data codes at 0, the compensation rows on
 * except row nrow-1 (the half step, calib.h) and the lines precharged to
 * the operating point VDD (1 - pre_code / 2^CALIB_OP_BITS).
 *
 * Curves: one per anchor code (1, 2, 4, ..., code_max) and one for the
 * compensation current. A code between two anchors puts its cells on both,
 * weighted linearly in the code (the interpolation error is measured in
 * tests/test_chip_macro.c); binary activations (0 / 31) and the
 * compensation rows are exact.
 *
 * Costs: a cell's amplitude at VDD (the exact EKV mismatch ratio, one exp
 * and log) is computed once per (row, code) and cached for the macro's
 * life (it does not depend on the stored bit); a row write re-steers the
 * cached amplitudes. Per compare: two multiply-adds per active cell (one
 * when the code is an anchor), and per line rk_steps RK4 steps over the
 * curves in use. A noise draw only when the noise could change the
 * decision (|input| <= 9 sigma; a Box-Muller draw from 53-bit uniforms is
 * below 8.66 sigma), so skipping it never changes a decision. Not
 * thread-safe per macro; distinct macros are independent.
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

#define MACRO_MAX_CURVE 10 /* anchors (<= 9 for code_max <= 255) + comp */

typedef struct macro {
	macro_params_t p;
	uint64_t seed;
	unsigned chip;
	unsigned nrow;	/* ndata + comp.nrow */
	unsigned nword; /* words of a ncol-bit row */
	double c_bl_f;	/* line capacitance from the column height */
	chip_array_t arr;
	comparator_bank_t cmp;
	bitline_curves_t curves; /* nanchor data curves, then the comp curve */
	unsigned nanchor; /* data anchors; curve nanchor = compensation */
	unsigned anchor_code[MACRO_MAX_CURVE];
	uint8_t *code_lo; /* code_max+1: lower anchor of a code */
	double *code_w;	  /* code_max+1: weight of the upper anchor */
	double *row_i_a;  /* ndata x (code_max+1) nominal cell current at VDD */
	double *row_vf;	  /* ndata x (code_max+1) EKV forward state */
	double *mag;	  /* ndata x (code_max+1) x ncol cached amplitudes */
	uint8_t *mag_ok;  /* ndata x (code_max+1) */
	double *comp_mag; /* comp.nrow x ncol compensation cell amplitudes */
	unsigned cal_pre; /* host-set calibration operating point code */
	unsigned n_wl;	  /* active wordlines of the driven operation */
	double v0_v;	  /* precharge level of the driven operation */
	unsigned nact;	  /* curves in use in the driven operation */
	unsigned act[MACRO_MAX_CURVE];
	double *acc; /* MACRO_MAX_CURVE x 2 ncol per-curve line amplitudes */
	double *v_bl_v, *v_blb_v; /* line voltages at the last strobe */
	uint64_t *dec;	   /* decisions of the last strobe (bit c = +1) */
	uint64_t op;	   /* compare operations strobed so far */
	uint64_t n_cm_low; /* decisions strobed below the comparator CM range */
	chip_energy_t energy;
	/* Cache (exact: it holds the very values the sums would add): the
	 * compensation rows' line sums, all rows (comp_*) and without row
	 * nrow-1 (cal_*), valid while comp_ok. A row write through
	 * macro_write_row() invalidates it; write the array only through it.
	 * Data rows are summed from mag and the stored bits at every compare
	 * (1 KB of amplitudes and 16 B of bits per active row). */
	double *comp_bl_a, *comp_blb_a; /* ncol */
	double *cal_bl_a, *cal_blb_a;	/* ncol */
	bool comp_ok;
} macro_t;

#define MACRO_SECTION "macro"
extern IMC_API const imc_param_block_t macro_param_block;

/* Fill *p with every block's defaults. */
void macro_params_default(macro_params_t *p);
/* 0 if every block's parameters are usable, -1 otherwise. */
int macro_params_check(const macro_params_t *p);
/* 0 if usable, else -1 with what is wrong, naming the parameter, in *m (m
 * may be NULL). */
int macro_params_problem(const macro_params_t *p);

/* Line capacitance of the column (bitline_c_f() of all rows). */
double macro_params_c_bl_f(const macro_params_t *p);
/* Small-signal differential gain of one LSB of code current at VDD
 * before any droop: (i_fs / code_max) T_wl / C_BL, volts. */
double macro_params_lsb_v(const macro_params_t *p);

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
/* Pulse start of a calibration compare at operating-point code pre_code
 * (< 2^CALIB_OP_BITS; -1 otherwise): data codes 0, compensation rows on
 * except row nrow-1, lines precharged to macro_pre_v(). */
int macro_drive_cal(macro_t *m, unsigned pre_code);
/* macro_drive_cal() then macro_strobe(). */
int macro_compare_cal(macro_t *m, unsigned pre_code, uint64_t *dec);
/* Precharge level of calibration compares at pre_code. */
double macro_pre_v(const macro_t *m, unsigned pre_code);
/* The host's calibration operating point of this chip (loaded into the
 * FSM's op register with the next calibration's start); -1 if too large. */
int macro_set_cal_point(macro_t *m, unsigned pre_code);
/* The nominal (mismatch-free) compensation step at the chip's calibration
 * operating point: data codes 0, all compensation rows on, precharge
 * macro_pre_v(cal_pre); the change of V(BL) - V(BLB) when n_c goes from
 * nrow/2 - 1 to nrow/2 + 1, halved. */
double macro_comp_step_v(macro_t *m);
/* Mean end common mode (V_BL + V_BLB) / 2 over the columns of a
 * nominal (mismatch-free, offset-free) compare with input codes x[ndata]
 * (real-valued mean codes; NULL = all 0), compensation rows at nrow/2 and
 * on, lines from VDD: the layer's operating point. */
double macro_nominal_cm_v(macro_t *m, const double *x);
/* The pre_code whose calibration compare (nominal, counts nrow/2) ends
 * nearest to common mode v_cm_v. */
unsigned macro_cal_point_for(macro_t *m, double v_cm_v);

/* Noise-free comparator input of every column (out[ncol], volts) for codes
 * (NULL: all 0) and the compensation wordline; touches no counter or
 * energy and leaves the driven operation as it was. */
int macro_input_v(macro_t *m, const uint8_t *codes, bool comp_on, double *out);

/* Noise-free comparator input of every column (out[ncol], volts) with all
 * data codes 0, every compensation row on and holding the thermometer code
 * of counts n_c[ncol] (whatever is stored), lines precharged to the chip's
 * calibration operating point: the column's effective offset at count n_c
 * where the layer runs, computed from the model. */
int macro_offset_counts_v(macro_t *m, const uint8_t *n_c, double *out);

/* Transaction-level calibration: runs the calib golden model against
 * macro_compare_cal() (op register loaded with m->cal_pre at the start
 * edge, as the chip's sequencer does), a compare taking lat_cycles cycles from the edge that
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
