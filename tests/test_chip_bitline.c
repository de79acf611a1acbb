/* test_chip_bitline.c - the line ODE over tabulated EKV cell curves against
 * a fine integration of the exact EKV currents, the code dependence of the
 * knee, and the limits of the integrator. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chip/array.h"
#include "chip/bitline.h"
#include "chip/wldac.h"

#define VDD 1.2

/* Line current of k cells at gate vg, from the device model itself. */
typedef struct load {
	unsigned n;
	double vg[4], k[4];
} load_t;

static double load_i(const array_params_t *a, const load_t *l, double v)
{
	double s = 0;
	for (unsigned i = 0; i < l->n; i++)
		s += l->k[i] * array_cell_i_a(a, l->vg[i], v > 0 ? v : 0);
	return s;
}

/* Classic RK4, n steps, exact currents. */
static double rk4_exact(const array_params_t *a, const load_t *l, double v0,
			double c, double t, unsigned n)
{
	double h = t / n, v = v0;
	for (unsigned k = 0; k < n; k++) {
		double k1 = -load_i(a, l, v) / c;
		double k2 = -load_i(a, l, v + h / 2 * k1) / c;
		double k3 = -load_i(a, l, v + h / 2 * k2) / c;
		double k4 = -load_i(a, l, v + h * k3) / c;
		v += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
	}
	return v;
}

typedef struct cctx {
	const array_params_t *a;
	double vg, i0;
} cctx_t;

static double cfn(void *ctx, double v)
{
	const cctx_t *k = ctx;
	return array_cell_i_a(k->a, k->vg, v) / k->i0;
}

static void curve_of(const array_params_t *a, bitline_curves_t *bc, unsigned j,
		     double vg)
{
	cctx_t k = { a, vg, array_cell_i_a(a, vg, VDD) };
	bitline_curve_set(bc, j, cfn, &k);
}

/* Stated error bound (doc/model-reference.md): 0.5 mV against the exact
 * EKV ODE at the default 2 steps, over loads from one cell at code 1
 * to 96 cells at full scale and mixed codes, from VDD and from lower
 * precharge levels, pulses of 1..5 ns. */
START_TEST(integration_error_bound)
{
	array_params_t a;
	array_params_default(&a);
	wldac_params_t w;
	wldac_params_default(&w);
	bitline_params_t p;
	bitline_params_default(&p);
	double c = bitline_c_f(&p, 128);
	const unsigned codes[4] = { 1, 4, 16, 31 };
	bitline_curves_t bc;
	ck_assert_int_eq(bitline_curves_init(&bc, 4, VDD), 0);
	double vg[4];
	for (unsigned j = 0; j < 4; j++) {
		vg[j] = array_cell_vg_v(&a, wldac_current_a(&w, codes[j], 0),
					VDD);
		curve_of(&a, &bc, j, vg[j]);
	}
	const double kmix[][4] = { { 1, 0, 0, 0 },  { 0, 0, 0, 1 },
				   { 0, 0, 0, 96 }, { 0, 0, 0, 20 },
				   { 30, 0, 0, 0 }, { 5, 10, 10, 10 },
				   { 0, 48, 0, 0 }, { 2, 0, 40, 3 } };
	const double v0s[] = { 1.2, 0.9, 0.6 };
	double worst = 0;
	for (unsigned m = 0; m < sizeof kmix / sizeof kmix[0]; m++)
		for (unsigned b = 0; b < 3; b++)
			for (unsigned t = 1; t <= 5; t++) {
				load_t l = { 4, { 0 }, { 0 } };
				unsigned act[4] = { 0, 1, 2, 3 };
				double amp[4];
				for (unsigned j = 0; j < 4; j++) {
					l.vg[j] = vg[j];
					l.k[j] = kmix[m][j];
					amp[j] = kmix[m][j] *
						 array_cell_i_a(&a, vg[j], VDD);
				}
				double ts = t * 1e-9;
				double vt = bitline_v(&bc, 4, act, amp, v0s[b],
						      c, ts, p.rk_steps);
				double ve =
					rk4_exact(&a, &l, v0s[b], c, ts, 4000);
				worst = fmax(worst, fabs(vt - ve));
				ck_assert_msg(fabs(vt - ve) < 0.5e-3,
					      "mix %u V0 %g t %u ns: %.6f vs "
					      "%.6f",
					      m, v0s[b], t, vt, ve);
			}
	printf("bitline: worst |tabulated (%u steps) - exact RK4| = %.1f uV\n",
	       p.rk_steps, 1e6 * worst);
	bitline_curves_free(&bc);
}
END_TEST

/* The knee sits at each cell's own overdrive: normalized to its current
 * at VDD, a low-code cell (weak inversion) and a full-scale cell do not
 * share a curve, and the difference is large where the lines run. */
START_TEST(knee_depends_on_code)
{
	array_params_t a;
	array_params_default(&a);
	wldac_params_t w;
	wldac_params_default(&w);
	double vg1 = array_cell_vg_v(&a, wldac_current_a(&w, 1, 0), VDD);
	double vg31 = array_cell_vg_v(&a, wldac_current_a(&w, 31, 0), VDD);
	ck_assert(vg31 > vg1);
	/* the replica condition: exactly the target current at VDD */
	ck_assert(fabs(array_cell_i_a(&a, vg31, VDD) /
			       wldac_current_a(&w, 31, 0) -
		       1) < 1e-9);
	double f1 = array_cell_i_a(&a, vg1, 0.5) / array_cell_i_a(&a, vg1, VDD);
	double f31 =
		array_cell_i_a(&a, vg31, 0.5) / array_cell_i_a(&a, vg31, VDD);
	ck_assert_msg(f1 < f31 - 0.1, "f1 %.3f f31 %.3f", f1, f31);
	/* deep in the knee every cell falls to 0 at 0 V */
	ck_assert(array_cell_i_a(&a, vg31, 0) == 0);
	/* without DIBL, a saturated cell's current does not depend on V_D */
	a.dibl = 0;
	double s = array_cell_i_a(&a, vg1, 0.6) / array_cell_i_a(&a, vg1, VDD);
	ck_assert(fabs(s - 1) < 1e-6);
}
END_TEST

static double flat(void *ctx, double v)
{
	(void)ctx;
	(void)v;
	return 1;
}

START_TEST(limits)
{
	bitline_params_t p;
	bitline_params_default(&p);
	bitline_curves_t bc;
	ck_assert_int_eq(bitline_curves_init(&bc, 1, VDD), 0);
	bitline_curve_set(&bc, 0, flat, NULL); /* a pure current source */
	unsigned act[1] = { 0 };
	double c = 150e-15, i = 10e-9;
	/* small constant-current discharge is linear: dV = I t / C */
	double v = bitline_v(&bc, 1, act, &i, 1.2, c, 5e-9, p.rk_steps);
	ck_assert(fabs((1.2 - v) - i * 5e-9 / c) < 1e-9);
	/* huge current: never below 0, no NaN */
	i = 1.0;
	v = bitline_v(&bc, 1, act, &i, 1.2, c, 1e-6, p.rk_steps);
	ck_assert(v >= 0 && v < 1e-3);
	/* no current: the precharge level */
	ck_assert(bitline_v(&bc, 0, act, &i, 0.9, c, 5e-9, 4) == 0.9);
	/* capacitance from the column height */
	ck_assert(fabs(bitline_c_f(&p, 128) - (128 * 1e-15 + 25e-15)) < 1e-20);
	ck_assert_int_eq(bitline_params_check(&p), 0);
	p.rk_steps = 0;
	ck_assert_int_eq(bitline_params_check(&p), -1);
	bitline_curves_free(&bc);
}
END_TEST

/* BITLINE_LANES lanes at once give every lane exactly the scalar bits: random
 * mixes of up to seven EKV curves, lanes with no current, lanes driven to
 * 0 V, starts at, below and far below VDD, 1..4 steps. */
START_TEST(four_lanes_bit_identical)
{
	array_params_t a;
	wldac_params_t w;
	array_params_default(&a);
	wldac_params_default(&w);
	bitline_curves_t bc;
	ck_assert_int_eq(bitline_curves_init(&bc, 7, VDD), 0);
	for (unsigned j = 0; j < 7; j++)
		curve_of(&a, &bc, j,
			 array_cell_vg_v(&a, w.i_fs_a * (j + 1) / 7.0, VDD));
	uint64_t x = 88172645463325252ull;
	unsigned n_same = 0, n_low = 0;
	for (unsigned trial = 0; trial < 5000; trial++) {
		unsigned nact = 1 + trial % 7, act[7];
		for (unsigned i = 0; i < nact; i++) /* distinct curves */
			act[i] = (i + trial) % 7;
		double amp[BITLINE_LANES * 7];
		for (unsigned k = 0; k < BITLINE_LANES * nact; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			double r = (double)(x >> 11) / 9007199254740992.0;
			unsigned kind = (x >> 3) % 16;
			amp[k] = kind == 0 ? 0 : kind == 1 ? 1e-3 : r * 60e-6;
		}
		double v0 = trial % 5 == 0    ? VDD * (0.2 + 0.6 * (trial % 3))
			    : trial % 11 == 0 ? 1e-4
			    : trial % 13 == 0 ? VDD + 0.1 /* above the grid */
					      : VDD;
		unsigned steps = 1 + trial % 4;
		double out[BITLINE_LANES];
		ck_assert_int_eq(bitline_vn(&bc, nact, act, amp, v0, 150e-15,
					    5e-9, steps, out),
				 0);
		for (unsigned l = 0; l < BITLINE_LANES; l++) {
			double al[7];
			for (unsigned i = 0; i < nact; i++)
				al[i] = amp[BITLINE_LANES * i + l];
			double v = bitline_v(&bc, nact, act, al, v0, 150e-15,
					     5e-9, steps);
			ck_assert_msg(memcmp(&v, &out[l], sizeof v) == 0,
				      "trial %u lane %u: %.17g vs %.17g", trial,
				      l, v, out[l]);
			n_same++;
			n_low += v < 2e-3;
		}
	}
	ck_assert_uint_eq(n_same, 5000 * BITLINE_LANES);
	ck_assert_uint_gt(n_low, 100); /* the below-grid paths were taken */
	unsigned many[BITLINE_MAX_ACT + 1] = { 0 };
	double amp[BITLINE_LANES * (BITLINE_MAX_ACT + 1)] = { 0 }, out[1];
	ck_assert_int_eq(bitline_vn(&bc, BITLINE_MAX_ACT + 1, many, amp, VDD,
				    150e-15, 5e-9, 2, out),
			 -1);
	bitline_curves_free(&bc);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("chip_bitline");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, integration_error_bound);
	tcase_add_test(tc, knee_depends_on_code);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, four_lanes_bit_identical);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int nf = srunner_ntests_failed(r);
	srunner_free(r);
	return nf ? 1 : 0;
}
