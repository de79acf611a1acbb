/*
 * comparator.h - the clocked latch comparators, one per column.
 *
 * Contract
 * --------
 * At a strobe, column c decides +1 (true) iff
 *
 *     g(V_cm) (V_BL - V_BLB) + V_os[c] + b_c[c] * (VDD - V_cm) + n > 0,
 *
 * V_cm = (V_BL + V_BLB) / 2. Input common-mode range: the NMOS input pair
 * of the latch integrates its input only with enough overdrive, so below
 * v_cm_min_v its gain falls linearly, g = (V_cm - v_t_in_v) / (v_cm_min_v -
 * v_t_in_v), to 0 at v_t_in_v (1 above v_cm_min_v): the signal shrinks
 * against the offset and noise. Decisions below the range are counted by
 * the macro (macro_t.n_cm_low). V_os ~ N(0, offset_sigma_v) and
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

#include "param/param.h"

IMC_BEGIN_DECLS

/* The comparators' parameters, declared once (param.h). The common-mode
 * reference is VDD (bitline.v_pre_v), given to the bank when it is drawn. */
#define COMPARATOR_PARAMS(X, S)                                       \
	X(S, offset_sigma_v, DOUBLE, "V", 15e-3, 0, 0.5,              \
	  "static input offset sigma",                                \
	  "estimated: StrongARM latch of near-minimum devices")       \
	X(S, bc_sigma, DOUBLE, "", 0.05, 0, 1,                        \
	  "sigma of the common-mode coefficient b_c",                 \
	  "estimated: offset drift over the input common-mode range") \
	X(S, noise_sigma_v, DOUBLE, "V", 1e-3, 0, 0.5,                \
	  "input-referred noise sigma per decision",                  \
	  "estimated: kT/C of the latch input")                       \
	X(S, v_cm_min_v, DOUBLE, "V", 0.55, 0.01, 5,                  \
	  "lower end of the input common-mode range",                 \
	  "estimated: V_T + 0.15 V of input-pair overdrive")          \
	X(S, v_t_in_v, DOUBLE, "V", 0.40, 0, 5,                       \
	  "input-pair threshold: the gain is 0 there",                \
	  "estimated: the 130 nm NMOS threshold (array.vt0_v)")

typedef struct comparator_params {
	COMPARATOR_PARAMS(IMC_PARAM_FIELD, _)
} comparator_params_t;

/* The fixed per-column draws of one chip's comparator bank. */
typedef struct comparator_bank {
	unsigned ncol;
	double *v_os_v; /* ncol static offsets */
	double *b_c;	/* ncol common-mode coefficients */
	double vdd_v;	/* common mode without common-mode error (VDD) */
} comparator_bank_t;

#define COMPARATOR_SECTION "comparator"
extern IMC_API const imc_param_block_t comparator_param_block;

/* Fill *p with the defaults. */
void comparator_params_default(comparator_params_t *p);
/* 0 if every parameter of *p is in its declared range, -1 otherwise. */
int comparator_params_check(const comparator_params_t *p);
/* Draw the bank of one chip with supply vdd_v (the common-mode reference).
 * Returns 0, or -1 on allocation failure. */
int comparator_bank_init(comparator_bank_t *b, const comparator_params_t *p,
			 double vdd_v, unsigned ncol, uint64_t seed,
			 unsigned chip);
void comparator_bank_free(comparator_bank_t *b);
/* NULL if usable, else what is wrong, naming the parameters. */
const char *comparator_params_problem(const comparator_params_t *p);
/* Input gain g(V_cm) (1 inside the range). */
double comparator_gain(const comparator_params_t *p, double v_cm_v);
/* Noise-free decision variable of column col (volts; > 0 decides +1). */
double comparator_input_v(const comparator_bank_t *b,
			  const comparator_params_t *p, unsigned col,
			  double v_bl_v, double v_blb_v);
/* One decision of column col in operation op. */
bool comparator_decide(const comparator_bank_t *b, const comparator_params_t *p,
		       uint64_t seed, unsigned chip, unsigned col, uint64_t op,
		       double v_bl_v, double v_blb_v);

IMC_END_DECLS

#endif /* IMCSIM_CHIP_COMPARATOR_H */
