/*
 * calib.h - golden model of the compensation calibration FSM.
 *
 * Contract
 * --------
 * This is the C side of doc/calibration-contract.md; rtl/comp_ctrl.v is the
 * other side, and the Verilator co-simulation (make cosim) compares the two
 * on every cycle, outputs and internal counts alike. Nothing here may differ
 * from the contract; where the contract leaves a corner open, the choice made
 * is stated below and the RTL makes the same one.
 *
 * The model is a clocked Moore machine split as a simulator wants it:
 *   calib_outputs() decodes the outputs from the registered state only (plus
 *                   cnt_out, a combinational read of the count in->cnt_sel
 *                   selects); call it any time between edges;
 *   calib_clock()   applies one rising edge: samples the inputs, computes the
 *                   next state; rst overrides everything.
 * A cycle is therefore: outputs(state) -> environment -> clock(inputs).
 *
 * Per column c the count n[c] in 0..nrow is the number of compensation cells
 * at 1 (thermometer code: row r holds 1 iff r < n[c]). A calibration writes
 * every row (ascending), then runs log2(nrow) compares, a binary search with
 * a final half-step refinement. `step` is kept in half-count units: nrow/2,
 * nrow/4, ..., 2, 1. Each compare is made with compensation row nrow-1 (which
 * holds 0 throughout the search) switched off, i.e. half a count above the
 * stored count, so every compare asks "is the crossing below n + 1/2?".
 * On cmp_valid each count moves against its decision: decided +1 ->
 * n - floor(step/2), decided -1 -> n + ceil(step/2); the changed rows are
 * written back, one row per cycle in ascending order (none: no write cycle).
 * The last compare (step 1) moves a count by 0 or +1: the search ends on the
 * count nearest the crossing, n in 1..nrow, not on an odd count +-1 step.
 *
 * The calibration operating point: a register `op` (CALIB_OP_BITS wide),
 * loaded from op_code when op_we is sampled in IDLE or DONE (ignored while a
 * calibration runs), output on cmp_pre. The chip precharges the lines of a
 * calibration compare to VDD * (1 - cmp_pre / 2^CALIB_OP_BITS), so the
 * comparators are calibrated at the common mode the layer will run at
 * (doc/model-reference.md, "Calibration at the operating point").
 *
 * Choices the contract leaves open (the RTL makes the same ones):
 *   - cnt_out is 0 when cnt_sel >= ncol (the RTL's select is only
 *     ceil(log2(NCOL)) bits wide, so this arises only for NCOL not a power of
 *     two);
 *   - cmp_dec == NULL with cmp_valid set reads as all columns deciding -1;
 *   - bits of row_data at or above ncol are 0.
 *
 * No allocation, no global state; a calib_t is a plain value (copyable).
 */
#ifndef IMCSIM_CALIB_H
#define IMCSIM_CALIB_H

#include <stdbool.h>
#include <stdint.h>

#include "imc_export.h"

IMC_BEGIN_DECLS

#define CALIB_MAX_COL 1024
#define CALIB_MAX_ROW 64
#define CALIB_OP_BITS 6 /* width of the operating-point code */

/* Controller state; the numeric values are the RTL's state encoding. */
enum calib_state { CALIB_IDLE, CALIB_WRITE, CALIB_REQ, CALIB_WAIT, CALIB_DONE };

/* Array shape. ncol 1..CALIB_MAX_COL; nrow a power of two in 4..64. */
typedef struct calib_params {
	unsigned ncol; /* columns, one count each (default 128) */
	unsigned nrow; /* compensation rows per column (default 32) */
} calib_params_t;

/* Inputs sampled at a rising edge (cnt_sel is also read by calib_outputs). */
typedef struct calib_in {
	bool rst;		 /* synchronous reset, active high */
	bool start;		 /* begin a calibration (IDLE or DONE only) */
	bool op_we;		 /* load op_code into op (IDLE or DONE only) */
	unsigned op_code;	 /* operating-point code, < 2^CALIB_OP_BITS */
	bool cmp_valid;		 /* decisions are on cmp_dec this cycle */
	const uint64_t *cmp_dec; /* ncol bits; bit c set = column c decided +1 */
	unsigned cnt_sel;	 /* column whose count appears on cnt_out */
} calib_in_t;

/* Outputs, decoded from the registered state. */
typedef struct calib_out {
	bool busy;    /* state in {WRITE, REQ, WAIT} */
	bool done;    /* state == DONE */
	bool cmp_req; /* state == REQ: request one compare operation */
	bool row_we;  /* state == WRITE: write row_data into row row_addr */
	unsigned row_addr; /* lowest dirty row, 0 when none */
	uint64_t row_data[CALIB_MAX_COL / 64]; /* bit c = row_addr < n[c] */
	unsigned cnt_out; /* n[cnt_sel], 0 when cnt_sel >= ncol */
	unsigned cmp_pre; /* op: precharge code of calibration compares */
} calib_out_t;

/* Registered state; read it through the accessors, write it never. */
typedef struct calib {
	calib_params_t p;
	enum calib_state state;
	uint8_t n[CALIB_MAX_COL]; /* per-column count, 0..nrow */
	uint64_t dirty;		  /* rows still to write in this write phase */
	unsigned step; /* search step in half counts; 0 after the last one */
	unsigned op;   /* operating-point code (reset 0 = precharge at VDD) */
} calib_t;

/* Fill *p with the defaults (ncol 128, nrow 32). */
void calib_params_default(calib_params_t *p);

/* Check *p, copy it into *c and put *c in its reset state (IDLE, counts
 * nrow/2, op 0). Returns 0, or -1 (and leaves *c untouched) on bad parameters. */
int calib_init(calib_t *c, const calib_params_t *p);

/* Decode the outputs of the current state (Moore), and cnt_out from
 * in->cnt_sel (in may be NULL: cnt_out is then n[0]). */
void calib_outputs(const calib_t *c, const calib_in_t *in, calib_out_t *out);

/* Apply one rising edge with the inputs *in. */
void calib_clock(calib_t *c, const calib_in_t *in);

/* Count of column col (0 when col >= ncol). */
unsigned calib_count(const calib_t *c, unsigned col);

/* Current state, as an enum calib_state value. */
int calib_state(const calib_t *c);

IMC_END_DECLS

#endif /* IMCSIM_CALIB_H */
