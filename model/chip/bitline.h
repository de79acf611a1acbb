/*
 * bitline.h - BL/BLB discharge during a wordline pulse: the line ODE with
 * code-dependent cell curves.
 *
 * Contract
 * --------
 * A bitline of capacitance C (c_bl_f(), from the column height: every row's
 * access-device junction and wire, plus the periphery), precharged to V0,
 * is discharged during a flat wordline pulse by its cells. Each cell's
 * current depends on its own line voltage through its own overdrive (its
 * code): I_k(V) = A_k f_x(V), A_k its current at V = VDD (mismatch
 * included) and f_x(V) = I(V_G(x), V) / I(V_G(x), VDD) the normalized EKV
 * curve of its code x (array.h). So
 *
 *     C dV/dt = -sum_k I_k(V) = -sum_j A_j f_j(V),
 *
 * summed per curve j (cells sharing a curve share it, so a line needs one
 * amplitude per curve, not per cell). A curve is a table of f on
 * BITLINE_NGRID + 1 points over [0, VDD], linearly interpolated (0 at and
 * below 0 V: a line never goes negative), with its time integral
 *
 *     Phi_j(V) = int_V^VDD dV' / f_j(V'),
 *
 * tabulated from the exact device curve at init. bitline_v() integrates in
 * the variable u = Phi_d(V) of the line's dominant curve d (largest
 * amplitude): du/dt = (1/C) sum_j A_j f_j(V) / f_d(V), whose right side is
 * constant for a one-curve line (then one step is exact up to the tables)
 * and varies slowly otherwise; rk_steps midpoint (RK2) steps. The error
 * against the exact EKV ODE is bounded and measured in
 * tests/test_chip_bitline.c (doc/model-reference.md gives the figure).
 * Pure functions; curves are built once per macro.
 */
#ifndef IMCSIM_CHIP_BITLINE_H
#define IMCSIM_CHIP_BITLINE_H

#include <stdint.h>

#include "param/param.h"

IMC_BEGIN_DECLS

#define BITLINE_NGRID 512
#define BITLINE_NINV 2048 /* points of the inverse table V(u) */

/* The bitlines' parameters, declared once (param.h). v_pre_v is the chip's
 * supply VDD: every other use of VDD (energy, comparator common mode, the
 * replica's drain) is derived from it. C_BL is derived from the column
 * height (bitline_c_f()). */
#define BITLINE_PARAMS(X, S)                                             \
	X(S, c_cell_f, DOUBLE, "F", 1.0e-15, 0, 1e-13,                   \
	  "bitline capacitance per row",                                 \
	  "estimated: half a shared drain contact (~0.5 fF) + ~1 um of " \
	  "bitline wire with coupling in a 130 nm 6T cell")              \
	X(S, c_periph_f, DOUBLE, "F", 25e-15, 0, 1e-11,                  \
	  "bitline capacitance of the periphery",                        \
	  "estimated: precharge devices, comparator input, wire end")    \
	X(S, v_pre_v, DOUBLE, "V", 1.2, 0.3, 5,                          \
	  "supply VDD; the bitlines precharge to it",                    \
	  "published: 1.2 V nominal supply of the 130 nm process")       \
	X(S, t_wl_ps, U64, "ps", 5000, 1, 1e9, "wordline pulse width",   \
	  "estimated: a quarter of the 20 ns cycle")                     \
	X(S, rk_steps, UINT, "", 2, 1, 1000,                             \
	  "midpoint steps of the line ODE per pulse",                    \
	  "derived: 0.26 mV worst error vs the exact ODE (test_chip_bitline)")

typedef struct bitline_params {
	BITLINE_PARAMS(IMC_PARAM_FIELD, _)
} bitline_params_t;

#define BITLINE_SECTION "bitline"
extern IMC_API const imc_param_block_t bitline_param_block;

/* A set of normalized cell curves f_j on [0, vdd_v]. */
typedef struct bitline_curves {
	unsigned ncurve;
	double vdd_v;
	double inv_h; /* BITLINE_NGRID / vdd_v */
	double *f;    /* ncurve x (BITLINE_NGRID + 1) */
	double *phi;  /* ncurve x (BITLINE_NGRID + 1): Phi_j at the grid */
	double *vinv; /* ncurve x (BITLINE_NINV + 1): V at u = k Phi_j(v_1) / NINV */
	/* The same tables as (value, difference to the next point) pairs, the
	 * way the solver reads them: fk grid point major (all curves of one
	 * voltage in one cache line or two), vk curve major. Each difference
	 * is the very subtraction the interpolation would do. */
	double *fk; /* BITLINE_NGRID x ncurve x 2 */
	double *vk; /* ncurve x BITLINE_NINV x 2 */
} bitline_curves_t;

/* Fill *p with the defaults above. */
void bitline_params_default(bitline_params_t *p);
/* 0 if usable, -1 otherwise. */
int bitline_params_check(const bitline_params_t *p);
/* Line capacitance of a column of nrow cells. */
double bitline_c_f(const bitline_params_t *p, unsigned nrow);

/* Allocate ncurve zero curves over [0, vdd_v]; 0 or -1. */
int bitline_curves_init(bitline_curves_t *bc, unsigned ncurve, double vdd_v);
void bitline_curves_free(bitline_curves_t *bc);
/* Grid voltage k (0..BITLINE_NGRID) of the curves. */
double bitline_grid_v(const bitline_curves_t *bc, unsigned k);
/* Curve j's table (BITLINE_NGRID + 1 values, to be filled by the caller). */
double *bitline_curve(bitline_curves_t *bc, unsigned j);
/* Set curve j from the exact normalized curve fn(ctx, V) (fn(VDD) = 1,
 * fn > 0 above 0 V): fills the table and integrates Phi_j (Simpson on 16
 * sub-intervals per grid step). */
void bitline_curve_set(bitline_curves_t *bc, unsigned j,
		       double (*fn)(void *ctx, double v), void *ctx);
/* f_j(v), interpolated. */
double bitline_f(const bitline_curves_t *bc, unsigned j, double v);

/* Line voltage after t_s seconds from v0_v, with amplitude amp[i] (A, at
 * VDD) on curve act[i] for i < nact, capacitance c_f, rk_steps steps. */
double bitline_v(const bitline_curves_t *bc, unsigned nact, const unsigned *act,
		 const double *amp, double v0_v, double c_f, double t_s,
		 unsigned rk_steps);

/* BITLINE_LANES lines at once: out[l] is bit for bit bitline_v() of the
 * amplitudes amp[BITLINE_LANES i + l] (i < nact), the same curves, start
 * and pulse. The lines advance together in 4-wide vectors, several
 * independent groups interleaved (element-wise IEEE operations in the
 * scalar order, so any vector width gives the scalar bits); a lane outside
 * the tables' interior takes the scalar formula. 0, or -1 (and nothing
 * written) when nact > BITLINE_MAX_ACT. */
#define BITLINE_LANES 16
#define BITLINE_MAX_ACT 16 /* curves per line of the vector path */
int bitline_vn(const bitline_curves_t *bc, unsigned nact, const unsigned *act,
	       const double *amp, double v0_v, double c_f, double t_s,
	       unsigned rk_steps, double *out);

IMC_END_DECLS

#endif /* IMCSIM_CHIP_BITLINE_H */
