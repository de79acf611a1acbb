/*
 * comprow.h - the compensation rows: thermometer-coded offset trim per
 * column, on their own wordline.
 *
 * Contract
 * --------
 * nrow compensation rows sit below the data rows (array rows
 * ndata .. ndata+nrow-1). Column c keeps a count n_c in 0..nrow of cells at
 * 1, as a thermometer code: compensation row r holds 1 iff r < n_c. When the
 * compensation wordline is on, every compensation cell conducts the current
 * i_comp_a (set by its own DAC, independent of the data codes), and its
 * stored bit steers it to BLB (1, pushes towards +1) or BL (0), exactly as a
 * data cell does; the cells carry the same kind of mismatch (array.h) at the
 * overdrive of that current. Raising n_c by one moves one cell's discharge
 * from BL to BLB: one compensation step, about 2 * i_comp_a * T_wl / C_BL
 * (macro_comp_step_v() gives it at the calibration operating point).
 * Calibration compares run with row nrow-1 off (it holds 0 during the
 * whole search): half a step, the search's final refinement (calib.h).
 */
#ifndef IMCSIM_CHIP_COMPROW_H
#define IMCSIM_CHIP_COMPROW_H

#include <stdint.h>

#include "param/param.h"

IMC_BEGIN_DECLS

/* The compensation rows' parameters, declared once (param.h). */
#define COMPROW_PARAMS(X, S)                                                \
	X(S, nrow, UINT, "", 32, 4, 64,                                     \
	  "compensation rows per column (a power of two)",                  \
	  "published: 32 compensation rows (Zhang, Wang, Verma 2017)")      \
	X(S, i_comp_a, DOUBLE, "A", 2 * 1.5e-6 / 31, 0, 1e-3,               \
	  "cell current with the compensation wordline on",                 \
	  "choice: 2 LSB of the default WLDAC (range vs granularity)")      \
	X(S, mismatch_scale, DOUBLE, "", 1, 0, 10,                          \
	  "compensation cells' mismatch sigma relative to the data cells'", \
	  "choice: the same 6T cells as the data rows")

typedef struct comprow_params {
	COMPROW_PARAMS(IMC_PARAM_FIELD, _)
} comprow_params_t;

#define COMPROW_SECTION "comp"
extern IMC_API const imc_param_block_t comprow_param_block;

/* Fill *p with the defaults. */
void comprow_params_default(comprow_params_t *p);
/* 0 if usable (declared ranges, nrow a power of two), -1 otherwise. */
int comprow_params_check(const comprow_params_t *p);
/* NULL if usable, else what is wrong, naming the parameter. */
const char *comprow_params_problem(const comprow_params_t *p);
/* Thermometer data of compensation row r for the counts n[0..ncol-1]: bit c
 * set iff r < n[c]; writes (ncol + 63) / 64 words. */
void comprow_row_data(unsigned ncol, const uint8_t *n, unsigned r,
		      uint64_t *data);

IMC_END_DECLS

#endif /* IMCSIM_CHIP_COMPROW_H */
