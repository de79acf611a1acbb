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
 * The cell current is the access transistor's (gate = wordline, drain =
 * bitline, source = the storage node held near 0 V by the pull-down, whose
 * ~1.8 kOhm triode drop at 1.5 uA is 3 mV and is neglected). It is the EKV
 * model (Enz-Krummenacher-Vittoz), valid from weak to strong inversion, with
 * drain-induced barrier lowering:
 *
 *     I(V_G, V_D) = I_spec [F(v_f) - F(v_f - V_D / U_T)],
 *     v_f = (V_G - V_T0 - dV_T + eta V_D) / (n U_T),  F(v) = ln^2(1 + e^(v/2)),
 *     I_spec = 2 n beta U_T^2,  beta = kp * W / L,  U_T = k T / q.
 *
 * The forward term alone is the saturation current; the reverse term takes
 * over when V_D falls to a few U_T above the pinch-off V_P = (V_G - V_T)/n:
 * the knee sits at the cell's own overdrive, so it depends on the code. DIBL
 * makes a weak-inversion cell (low code) lose current faster with V_D than a
 * strong-inversion one. dV_T = sig_vt * z is the cell's threshold mismatch
 * (z ~ N(0,1) fixed per cell), applied exactly at V_D = VDD (see
 * array_cell_ratio()), so the mismatch law holds down to weak inversion.
 * sig_vt = A_VT / sqrt(W L) (Pelgrom; doc/model-reference.md).
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

/* The bitcell's access device, declared once (param.h). sig_vt_v is
 * A_VT / sqrt(W L) at the default W, L (a user changing W or L sets it
 * too). */
#define ARRAY_PARAMS(X, S)                                                     \
	X(S, sig_vt_v, DOUBLE, "V", 24.8e-3, 0, 0.2,                           \
	  "access-device threshold mismatch sigma (A_VT / sqrt(W L))",         \
	  "derived: Pelgrom A_VT = 4 mV um for 130 nm (~1 mV um per nm of "    \
	  "oxide; Pelgrom, Tuinhout, Vertregt IEDM 1998) over 0.20 x 0.13 um") \
	X(S, vt0_v, DOUBLE, "V", 0.40, 0.05, 1.5,                              \
	  "access-device threshold voltage",                                   \
	  "estimated: regular-Vt 130 nm NMOS (0.3-0.45 V)")                    \
	X(S, n_slope, DOUBLE, "", 1.4, 1, 2.5, "subthreshold slope factor n",  \
	  "estimated: ~85 mV/dec swing of 130 nm bulk")                        \
	X(S, kp_a_v2, DOUBLE, "A/V^2", 300e-6, 1e-6, 1e-2,                     \
	  "mu_n Cox of the access device",                                     \
	  "estimated: mu_eff ~200 cm^2/Vs x C_ox ~15 fF/um^2")                 \
	X(S, w_um, DOUBLE, "um", 0.20, 0.05, 10, "access-device width",        \
	  "estimated: minimum 130 nm 6T access device")                        \
	X(S, l_um, DOUBLE, "um", 0.13, 0.05, 10, "access-device length",       \
	  "published: 130 nm minimum length")                                  \
	X(S, dibl, DOUBLE, "V/V", 0.08, 0, 0.3,                                \
	  "drain-induced barrier lowering eta",                                \
	  "estimated: 50-100 mV/V for minimum-length 130 nm devices")          \
	X(S, temp_k, DOUBLE, "K", 300, 200, 450, "temperature (U_T = kT/q)",   \
	  "choice: room temperature")

typedef struct array_params {
	ARRAY_PARAMS(IMC_PARAM_FIELD, _)
} array_params_t;

typedef struct array {
	unsigned nrow, ncol, nword; /* nword = 64-bit words per row */
	uint64_t *bits;		    /* nrow * nword */
	double *z; /* nrow * ncol fixed N(0,1) mismatch draws */
} chip_array_t;

#define ARRAY_SECTION "array"
extern IMC_API const imc_param_block_t array_param_block;

/* Fill *p with the defaults. */
void array_params_default(array_params_t *p);
/* 0 if usable, -1 otherwise. */
int array_params_check(const array_params_t *p);
/* Thermal voltage kT/q. */
double array_ut_v(const array_params_t *p);
/* Specific current I_spec = 2 n beta U_T^2. */
double array_ispec_a(const array_params_t *p);
/* Drain current of a nominal cell at gate vg_v, drain vd_v (source 0). */
double array_cell_i_a(const array_params_t *p, double vg_v, double vd_v);
/* Gate voltage that makes a nominal cell conduct i_a (> 0) at vd_v = vdd_v
 * (the WLDAC's replica: drain at the precharge level). */
double array_cell_vg_v(const array_params_t *p, double i_a, double vdd_v);
/* v_f of a nominal cell conducting i_a at VDD: the state array_cell_ratio
 * needs (one log per row and code). */
double array_cell_vf(const array_params_t *p, double i_a);
/* I(dV_T = sig_vt z) / I(0) at VDD for a cell of forward state vf. */
double array_cell_ratio(const array_params_t *p, double vf, double z);
/* First-order relative mismatch sigma (gm/I) sig_vt of a cell conducting
 * i_a; 0 for i_a <= 0. */
double array_sigma_rel(const array_params_t *p, double i_a);

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

/* Cell magnitudes of one row at VDD: out[c] = i_row_a * ratio(vf, z[c]),
 * the current each cell conducts whatever line it is on. */
void array_row_mag(const array_params_t *p, const chip_array_t *a, unsigned row,
		   double i_row_a, double vf, double *out);
/* Steer one row's magnitudes by its stored bits: out_blb[c] = mag[c] on a
 * stored 1, out_bl[c] = mag[c] on a 0 (the other 0). */
void array_row_split(const chip_array_t *a, unsigned row, const double *mag,
		     double *out_bl, double *out_blb);
/* Steer and add in one pass: i_blb[c] += k * mag[c] on a stored 1,
 * i_bl[c] += k * mag[c] on a 0 (the arithmetic of array_row_split()
 * followed by array_add_lines(), so the same sums bit for bit). */
void array_add_masked(const chip_array_t *a, unsigned row, double k,
		      const double *mag, double *i_bl, double *i_blb);
/* array_add_masked() with k0 into (bl0, blb0), then with k1 into (bl1,
 * blb1), in one pass over the row (the four lines distinct). */
void array_add_masked2(const chip_array_t *a, unsigned row, double k0,
		       double k1, const double *mag, double *bl0, double *blb0,
		       double *bl1, double *blb1);
/* i_bl[c] += k * add_bl[c], i_blb[c] += k * add_blb[c] for c < n; k == 1
 * adds without multiplying (vectorized). */
void array_add_lines(unsigned n, double k, const double *add_bl,
		     const double *add_blb, double *i_bl, double *i_blb);

IMC_END_DECLS

#endif /* IMCSIM_CHIP_ARRAY_H */
