/*
 * wldac.h - wordline DAC: 5-bit input code to bitcell current.
 *
 * Contract
 * --------
 * Each data row has one WLDAC. Code x in 0..code_max sets the wordline
 * voltage through a scaled replica bitcell, so every cell of the row mirrors
 * the nominal current
 *
 *     I(x) = i_fs_a * g(x) / code_max,
 *     g(x) = x * (1 + d_row) * (1 - compress * x / code_max),
 *
 * where d_row ~ N(0, gain_sigma) is the row's fixed gain error (one draw per
 * (seed, chip, row), stream RNG_STREAM_ROW_GAIN) and compress models the
 * replica's compression at high codes. Per-cell mismatch is the bitcell
 * array's business (array.h); this block gives the row's nominal current.
 * Pure functions, no state, no allocation.
 */
#ifndef IMCSIM_CHIP_WLDAC_H
#define IMCSIM_CHIP_WLDAC_H

#include <stdint.h>

#include "param/param.h"

IMC_BEGIN_DECLS

/* The WLDAC's parameters, declared once (param.h); code_max = 2^bits - 1
 * is derived (wldac_code_max()). */
#define WLDAC_PARAMS(X, S)                                                  \
	X(S, bits, UINT, "", 5, 1, 8, "input code bits: codes 0..2^bits-1", \
	  "published: 5-bit wordline DAC inputs (Zhang, Wang, Verma 2017)") \
	X(S, i_fs_a, DOUBLE, "A", 1.5e-6, 1e-9, 1e-3,                       \
	  "full-scale bitcell current",                                     \
	  "estimated: 130 nm 6T cell read current")                         \
	X(S, gain_sigma, DOUBLE, "", 0.02, 0, 0.5,                          \
	  "sigma of the row gain error d_row",                              \
	  "estimated: replica-cell mismatch of one DAC")                    \
	X(S, compress, DOUBLE, "", 0.03, 0, 0.5,                            \
	  "compression a of g(x); g is monotonic for a <= 0.5",             \
	  "estimated: replica compression at high codes")

typedef struct wldac_params {
	WLDAC_PARAMS(IMC_PARAM_FIELD, _)
} wldac_params_t;

#define WLDAC_SECTION "wldac"
extern IMC_API const imc_param_block_t wldac_param_block;

/* Fill *p with the defaults. */
void wldac_params_default(wldac_params_t *p);
/* 0 if every parameter of *p is in its declared range, -1 otherwise. */
int wldac_params_check(const wldac_params_t *p);
/* The largest input code, 2^bits - 1. */
static inline unsigned wldac_code_max(const wldac_params_t *p)
{
	return (1u << p->bits) - 1;
}
/* The fixed gain error d_row of one row of one chip. */
double wldac_row_gain(const wldac_params_t *p, uint64_t seed, unsigned chip,
		      unsigned row);
/* Nominal cell current of a row at code x with gain error d_row; codes above
 * code_max are the caller's error (the chip checks them). */
double wldac_current_a(const wldac_params_t *p, unsigned code, double d_row);

IMC_END_DECLS

#endif /* IMCSIM_CHIP_WLDAC_H */
