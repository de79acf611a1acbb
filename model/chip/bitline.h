/*
 * bitline.h - BL/BLB discharge during a wordline pulse, and precharge.
 *
 * Contract
 * --------
 * A bitline of capacitance c_bl_f, precharged to v_pre_v, is discharged
 * during a flat wordline pulse by the sum I_line of its cells' currents.
 * Each cell's current falls as the line drops (the access device leaves
 * saturation), h(V) = 1 - exp(-V / v_k_v), the same h for every cell of the
 * line, so
 *
 *     C dV/dt = -I_line h(V).
 *
 * With u = exp(V / V_k): du/dt = (u / V_k) dV/dt = -(I / (C V_k)) (u - 1),
 * so u - 1 decays exponentially and
 *
 *     V(t) = V_k ln(1 + (exp(V0 / V_k) - 1) exp(-I t / (C V_k))),
 *
 * exact for a flat pulse and constant I_line, never below 0 V, and linear
 * (V0 - I t / C) while V >> V_k. bitline_v() evaluates it in a form that
 * neither overflows nor cancels (see bitline.c), at any t, so the chip can
 * also sample it for the waveform. Pure functions.
 */
#ifndef IMCSIM_CHIP_BITLINE_H
#define IMCSIM_CHIP_BITLINE_H

#include <stdint.h>

#include "param/param.h"

IMC_BEGIN_DECLS

/* The bitlines' parameters, declared once (param.h). v_pre_v is the chip's
 * supply VDD: every other use of VDD (energy, comparator common mode) is
 * derived from it. */
#define BITLINE_PARAMS(X, S)                                                 \
	X(S, c_bl_f, DOUBLE, "F", 200e-15, 1e-15, 1e-11,                     \
	  "bitline capacitance",                                             \
	  "estimated: 128 cells of 130 nm SRAM plus wire")                   \
	X(S, v_pre_v, DOUBLE, "V", 1.2, 0.3, 5,                              \
	  "supply VDD; the bitlines precharge to it",                        \
	  "published: 1.2 V nominal supply of the 130 nm process")           \
	X(S, v_k_v, DOUBLE, "V", 0.3, 0.01, 5, "discharge knee V_k of h(V)", \
	  "estimated: access transistor leaving saturation")                 \
	X(S, t_wl_ps, U64, "ps", 5000, 1, 1e9, "wordline pulse width",       \
	  "estimated: a quarter of the 20 ns cycle")

typedef struct bitline_params {
	BITLINE_PARAMS(IMC_PARAM_FIELD, _)
} bitline_params_t;

#define BITLINE_SECTION "bitline"
extern IMC_API const imc_param_block_t bitline_param_block;

/* Fill *p with the defaults. */
void bitline_params_default(bitline_params_t *p);
/* 0 if every parameter of *p is in its declared range, -1 otherwise. */
int bitline_params_check(const bitline_params_t *p);
/* Line voltage after t_s seconds of discharge at line current i_a from v0_v
 * (v0_v >= 0, i_a >= 0, t_s >= 0). */
double bitline_v(const bitline_params_t *p, double v0_v, double i_a,
		 double t_s);
/* Line voltage at the end of a full pulse from precharge. */
double bitline_v_end(const bitline_params_t *p, double i_a);

IMC_END_DECLS

#endif /* IMCSIM_CHIP_BITLINE_H */
