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

typedef struct wldac_params {
	unsigned code_max; /* largest code (default 31: 5 bits) */
	double i_fs_a; /* full-scale cell current (default 1.5e-6 A, est.) */
	double gain_sigma; /* sigma of the row gain error d_row (default 0.02, est.) */
	double compress; /* compression a of g(x) (default 0.03, est.) */
} wldac_params_t;

/* Fill *p with the defaults above. */
void wldac_params_default(wldac_params_t *p);
/* 0 if *p is usable, -1 otherwise (code_max 1..255, i_fs_a > 0, sigmas >= 0,
 * compress in [0, 1)). */
int wldac_params_check(const wldac_params_t *p);
/* The fixed gain error d_row of one row of one chip. */
double wldac_row_gain(const wldac_params_t *p, uint64_t seed, unsigned chip,
		      unsigned row);
/* Nominal cell current of a row at code x with gain error d_row; codes above
 * code_max are the caller's error (the chip checks them). */
double wldac_current_a(const wldac_params_t *p, unsigned code, double d_row);

#endif /* IMCSIM_CHIP_WLDAC_H */
