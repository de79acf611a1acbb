/*
 * array.h - the 6T bitcell array: stored weights and per-cell current
 * mismatch.
 *
 * Contract
 * --------
 * An chip_array_t holds nrow x ncol bits (row-major, ncol bits per row in 64-bit
 * words, bit c of a row = column c) and one fixed N(0,1) draw z per cell,
 * keyed by (seed, RNG_STREAM_CELL, chip, row, column), drawn once at init.
 * A stored 1 is weight +1 and discharges BLB; a 0 is weight -1 and
 * discharges BL.
 *
 * Mismatch comes from threshold-voltage mismatch of the cell's pull-down
 * path, so its relative size grows as the wordline overdrive falls:
 *
 *     I_cell = I_row * max(0, 1 + e),  e = z * 2 sig_vt / V_ov,
 *     V_ov   = v_ov_fs_v * sqrt(i_ratio),
 *
 * with i_ratio = x / code_max for a data row at code x and I_comp / i_fs for
 * a compensation row. The clamp at 0 only matters for e < -1 (2.6 sigma at
 * the compensation current's overdrive): a cell cannot source current.
 *
 * array_accumulate() adds one row's cell currents into the per-line sums,
 * which is all the discharge model needs (bitline.h): the cells of a line
 * share one bitline voltage, so summing first is exact.
 */
#ifndef IMCSIM_CHIP_ARRAY_H
#define IMCSIM_CHIP_ARRAY_H

#include <stdbool.h>
#include <stdint.h>

#include "param/param.h"

IMC_BEGIN_DECLS

/* The bitcell array's parameters, declared once (param.h). */
#define ARRAY_PARAMS(X, S)                                          \
	X(S, sig_vt_v, DOUBLE, "V", 15e-3, 0, 0.2,                  \
	  "bitcell threshold-voltage mismatch sigma",               \
	  "estimated: Pelgrom mismatch of a minimum 130 nm device") \
	X(S, v_ov_fs_v, DOUBLE, "V", 0.3, 0.01, 2,                  \
	  "wordline overdrive at full scale", "estimated: WLDAC design point")

typedef struct array_params {
	ARRAY_PARAMS(IMC_PARAM_FIELD, _)
} array_params_t;

typedef struct array {
	unsigned nrow, ncol, nword; /* nword = 64-bit words per row */
	uint64_t *bits;		    /* nrow * nword */
	double *wmask; /* nrow * ncol, 1.0 where the bit is 1 (vector friendly) */
	double *z;     /* nrow * ncol fixed N(0,1) mismatch draws */
} chip_array_t;

#define ARRAY_SECTION "array"
extern IMC_API const imc_param_block_t array_param_block;

/* Fill *p with the defaults. */
void array_params_default(array_params_t *p);
/* 0 if every parameter of *p is in its declared range, -1 otherwise. */
int array_params_check(const array_params_t *p);
/* Relative mismatch sigma at a current ratio i_ratio in (0, 1]; 0 for
 * i_ratio <= 0 (the cell is off). */
double array_sigma_rel(const array_params_t *p, double i_ratio);

/* Allocate an nrow x ncol array of zeros and draw its mismatch. Returns 0,
 * or -1 on bad shape or allocation failure. */
int array_init(chip_array_t *a, unsigned nrow, unsigned ncol, uint64_t seed,
	       unsigned chip);
void array_free(chip_array_t *a);

/* Store one row (ncol bits from data; bits at or above ncol must be 0).
 * Returns 0, or -1 for a bad row or stray high bits. */
int array_write_row(chip_array_t *a, unsigned row, const uint64_t *data);
/* Copy one row out (nword words). Returns 0, or -1 for a bad row. */
int array_read_row(const chip_array_t *a, unsigned row, uint64_t *data);
/* One stored bit. */
bool array_bit(const chip_array_t *a, unsigned row, unsigned col);

/* Add the currents of row's cells, at nominal row current i_row_a and
 * relative mismatch sigma_rel, into i_bl[c] (cells storing 0) or i_blb[c]
 * (cells storing 1). */
void array_accumulate(const chip_array_t *a, unsigned row, double i_row_a,
		      double sigma_rel, double *i_bl, double *i_blb);

/* The same cells' contributions, stored instead of added: cell c of row
 * puts out_bl[c] on BL and out_blb[c] on BLB (one of them 0), computed with
 * exactly array_accumulate()'s arithmetic, so adding them later gives the
 * same sums bit for bit. The macro caches rows this way. */
void array_row_currents(const chip_array_t *a, unsigned row, double i_row_a,
			double sigma_rel, double *out_bl, double *out_blb);
/* i_bl[c] += add_bl[c], i_blb[c] += add_blb[c] for c < n (vectorized). */
void array_add_lines(unsigned n, const double *add_bl, const double *add_blb,
		     double *i_bl, double *i_blb);

IMC_END_DECLS

#endif /* IMCSIM_CHIP_ARRAY_H */
