/* test_chip_bitline.c - the closed-form discharge against a fine numerical
 * integration of C dV/dt = -I (1 - exp(-V/V_k)). */
#include <check.h>
#include <math.h>

#include "chip/bitline.h"

/* Classic RK4 with n steps over [0, t]. */
static double rk4(const bitline_params_t *p, double v0, double i, double t,
		  unsigned n)
{
	double h = t / n, v = v0;
	for (unsigned k = 0; k < n; k++) {
#define F(x) (-i * (1 - exp(-(x) / p->v_k_v)) / p->c_bl_f)
		double k1 = F(v), k2 = F(v + h / 2 * k1),
		       k3 = F(v + h / 2 * k2), k4 = F(v + h * k3);
#undef F
		v += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
	}
	return v;
}

/* Stated tolerance: 1 uV over the whole default operating range, from a
 * single cell at code 1 to all 96 rows at full scale. */
START_TEST(closed_form_matches_integration)
{
	bitline_params_t p;
	bitline_params_default(&p);
	const double i_list[] = { 0, 48e-9, 1e-6, 10e-6, 50e-6, 144e-6 };
	const double v0_list[] = { 1.2, 0.8, 0.3, 0.05 };
	for (unsigned a = 0; a < 6; a++)
		for (unsigned b = 0; b < 4; b++)
			for (unsigned k = 1; k <= 5; k++) {
				double t = k * 1e-9;
				double vc =
					bitline_v(&p, v0_list[b], i_list[a], t);
				double vn = rk4(&p, v0_list[b], i_list[a], t,
						20000);
				ck_assert_msg(fabs(vc - vn) < 1e-6,
					      "I=%g V0=%g t=%g: %.9f vs %.9f",
					      i_list[a], v0_list[b], t, vc, vn);
			}
}
END_TEST

START_TEST(limits)
{
	bitline_params_t p;
	bitline_params_default(&p);
	/* small discharge is linear: dV = I t / C */
	double v = bitline_v(&p, 1.2, 10e-9, 5e-9);
	ck_assert(fabs((1.2 - v) - 10e-9 * 5e-9 / 200e-15 * (1 - exp(-4))) <
		  1e-6);
	/* huge current: never below 0, no NaN */
	v = bitline_v(&p, 1.2, 1.0, 1e-6);
	ck_assert(v >= 0 && v < 1e-9);
	/* no overflow for a large V0/V_k */
	p.v_k_v = 1e-3;
	v = bitline_v(&p, 1.2, 1e-6, 1e-9);
	ck_assert(isfinite(v));
	ck_assert(fabs(v - (1.2 - 1e-6 * 1e-9 / 200e-15)) < 1e-9);
	/* monotone in current */
	bitline_params_default(&p);
	double prev = 2;
	for (double i = 0; i < 200e-6; i += 1e-6) {
		v = bitline_v_end(&p, i);
		ck_assert(v < prev);
		prev = v;
	}
	ck_assert_int_eq(bitline_params_check(&p), 0);
	p.c_bl_f = 0;
	ck_assert_int_eq(bitline_params_check(&p), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("chip_bitline");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, closed_form_matches_integration);
	tcase_add_test(tc, limits);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? 1 : 0;
}
