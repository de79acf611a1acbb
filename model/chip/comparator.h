/*
 * comparator.h - the clocked latch comparators, one per column.
 *
 * Contract
 * --------
 * At a strobe, column c decides +1 (true) iff
 *
 *     V_BL - V_BLB + V_os[c] + b_c[c] * (v_cm_ref_v - V_cm) + n > 0,
 *
 * V_cm = (V_BL + V_BLB) / 2. V_os ~ N(0, offset_sigma_v) and
 * b_c ~ N(0, bc_sigma) are fixed per (seed, chip, column) (streams
 * RNG_STREAM_CMP_OFFSET, RNG_STREAM_CMP_CM); n ~ N(0, noise_sigma_v) is drawn
 * fresh per decision keyed by (seed, chip, column, operation index), stream
 * RNG_STREAM_CMP_NOISE, so a decision never depends on evaluation order. An
 * exact tie (input 0) decides -1. A sigma of 0 switches that term off
 * without drawing.
 */
#ifndef IMCSIM_CHIP_COMPARATOR_H
#define IMCSIM_CHIP_COMPARATOR_H

#include <stdbool.h>
#include <stdint.h>

typedef struct comparator_params {
	double offset_sigma_v; /* static offset sigma (default 15e-3 V, est.) */
	double bc_sigma; /* common-mode coefficient sigma (default 0.05, est.) */
	double v_cm_ref_v; /* common mode with no CM error (default 1.2 V = VDD) */
	double noise_sigma_v; /* per-decision noise sigma (default 1e-3 V, est.) */
} comparator_params_t;

/* The fixed per-column draws of one chip's comparator bank. */
typedef struct comparator_bank {
	unsigned ncol;
	double *v_os_v; /* ncol static offsets */
	double *b_c;	/* ncol common-mode coefficients */
} comparator_bank_t;

/* Fill *p with the defaults above. */
void comparator_params_default(comparator_params_t *p);
/* 0 if usable (sigmas >= 0, v_cm_ref_v finite), -1 otherwise. */
int comparator_params_check(const comparator_params_t *p);
/* Draw the bank of one chip. Returns 0, or -1 on allocation failure. */
int comparator_bank_init(comparator_bank_t *b, const comparator_params_t *p,
			 unsigned ncol, uint64_t seed, unsigned chip);
void comparator_bank_free(comparator_bank_t *b);
/* Noise-free decision variable of column col (volts; > 0 decides +1). */
double comparator_input_v(const comparator_bank_t *b,
			  const comparator_params_t *p, unsigned col,
			  double v_bl_v, double v_blb_v);
/* One decision of column col in operation op. */
bool comparator_decide(const comparator_bank_t *b, const comparator_params_t *p,
		       uint64_t seed, unsigned chip, unsigned col, uint64_t op,
		       double v_bl_v, double v_blb_v);

#endif /* IMCSIM_CHIP_COMPARATOR_H */
