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

typedef struct bitline_params {
	double c_bl_f;	  /* bitline capacitance (default 200e-15 F, est.) */
	double v_pre_v;	  /* precharge level = VDD (default 1.2 V) */
	double v_k_v;	  /* knee of h(V) (default 0.3 V, est.) */
	uint64_t t_wl_ps; /* wordline pulse width (default 5000 ps) */
} bitline_params_t;

/* Fill *p with the defaults above. */
void bitline_params_default(bitline_params_t *p);
/* 0 if usable (all > 0), -1 otherwise. */
int bitline_params_check(const bitline_params_t *p);
/* Line voltage after t_s seconds of discharge at line current i_a from v0_v
 * (v0_v >= 0, i_a >= 0, t_s >= 0). */
double bitline_v(const bitline_params_t *p, double v0_v, double i_a,
		 double t_s);
/* Line voltage at the end of a full pulse from precharge. */
double bitline_v_end(const bitline_params_t *p, double i_a);

#endif /* IMCSIM_CHIP_BITLINE_H */
