/* test_chip_array.c - bitcell array storage and mismatch, WLDAC transfer,
 * comparator bank. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "chip/array.h"
#include "chip/comparator.h"
#include "chip/wldac.h"
#include "kernel/rng.h"

START_TEST(read_after_write)
{
	chip_array_t a;
	ck_assert_int_eq(array_init(&a, 128, 100, 7, 1), 0);
	uint64_t w[2], r[2];
	for (unsigned row = 0; row < 128; row++) {
		w[0] = rng_u64(1, RNG_STREAM_TEST, row, 0, 0);
		w[1] = rng_u64(1, RNG_STREAM_TEST, row, 1, 0) &
		       ((UINT64_C(1) << 36) - 1);
		ck_assert_int_eq(array_write_row(&a, row, w), 0);
	}
	for (unsigned row = 0; row < 128; row++) {
		ck_assert_int_eq(array_read_row(&a, row, r), 0);
		ck_assert(r[0] == rng_u64(1, RNG_STREAM_TEST, row, 0, 0));
		ck_assert(r[1] == (rng_u64(1, RNG_STREAM_TEST, row, 1, 0) &
				   ((UINT64_C(1) << 36) - 1)));
		ck_assert(array_bit(&a, row, 3) == ((r[0] >> 3) & 1));
	}
	/* a bit beyond column 99 is refused, not dropped */
	w[1] = UINT64_C(1) << 36;
	ck_assert_int_eq(array_write_row(&a, 5, w), -1);
	ck_assert_int_eq(array_write_row(&a, 128, w), -1);
	array_free(&a);
}
END_TEST

START_TEST(accumulate_steers_by_weight)
{
	chip_array_t a;
	ck_assert_int_eq(array_init(&a, 2, 64, 3, 0), 0);
	uint64_t w = UINT64_C(0xF0F0F0F0F0F0F0F0);
	array_write_row(&a, 0, &w);
	double mag[64], bl[64] = { 0 }, blb[64] = { 0 }, sb[64], sbb[64];
	for (unsigned c = 0; c < 64; c++)
		mag[c] = 1e-6 * (1 + 0.01 * c);
	array_row_split(&a, 0, mag, sb, sbb);
	array_add_lines(64, 0.25, sb, sbb, bl, blb);
	for (unsigned c = 0; c < 64; c++) {
		if ((w >> c) & 1) {
			ck_assert(bl[c] == 0 && blb[c] == 0.25 * mag[c]);
		} else {
			ck_assert(blb[c] == 0 && bl[c] == 0.25 * mag[c]);
		}
	}
	array_free(&a);
}
END_TEST

START_TEST(mismatch_statistics)
{
	array_params_t p;
	array_params_default(&p);
	/* Pelgrom: A_VT 4 mV um over the 0.20 x 0.13 um access device */
	ck_assert(fabs(p.sig_vt_v - 24.8e-3) < 0.1e-3);
	/* the law holds down to weak inversion: sigma(I)/I = (gm/I) sig_vt
	 * tends to sig_vt / (n U_T) at low current and 2 sig_vt / V_ov in
	 * strong inversion */
	double wi = p.sig_vt_v / (p.n_slope * array_ut_v(&p));
	ck_assert(fabs(array_sigma_rel(&p, 1e-12) / wi - 1) < 1e-3);
	double vov = array_cell_vg_v(&p, 1e-3, 1.2) - p.vt0_v + p.dibl * 1.2;
	ck_assert(fabs(array_sigma_rel(&p, 1e-3) / (2 * p.sig_vt_v / vov) - 1) <
		  0.1);
	ck_assert(array_sigma_rel(&p, 1.5e-6) < array_sigma_rel(&p, 0.1e-6));
	ck_assert(array_sigma_rel(&p, 0) == 0);
	/* the exact EKV ratio: log-normal in weak inversion (std = wi), never
	 * negative, median 1 */
	double vf = array_cell_vf(&p, 1e-10);
	for (int k = -400; k <= 400; k++) {
		double z = k / 100.0, r = array_cell_ratio(&p, vf, z);
		ck_assert(r > 0);
		if (k == 0)
			ck_assert(fabs(r - 1) < 1e-12);
		if (k == 100)
			ck_assert(fabs(log(r) + wi) < 0.01 * wi);
	}
	chip_array_t a;
	ck_assert_int_eq(array_init(&a, 128, 128, 11, 2), 0);
	double s = 0, s2 = 0;
	unsigned n = 128 * 128;
	for (unsigned k = 0; k < n; k++) {
		s += a.z[k];
		s2 += a.z[k] * a.z[k];
	}
	double mean = s / n, var = s2 / n - mean * mean;
	ck_assert(fabs(mean) < 0.03);
	ck_assert(fabs(var - 1) < 0.05);
	/* same key, same draw; other chip, other draws */
	chip_array_t b;
	ck_assert_int_eq(array_init(&b, 128, 128, 11, 3), 0);
	unsigned same = 0;
	for (unsigned k = 0; k < n; k++)
		same += a.z[k] == b.z[k];
	ck_assert_uint_eq(same, 0);
	ck_assert(a.z[5 * 128 + 9] == rng_normal(11, RNG_STREAM_CELL, 2, 5, 9));
	array_free(&a);
	array_free(&b);
}
END_TEST

START_TEST(wldac_transfer)
{
	wldac_params_t p;
	wldac_params_default(&p);
	ck_assert(wldac_current_a(&p, 0, 0.05) == 0);
	ck_assert(fabs(wldac_current_a(&p, 31, 0) - 1.5e-6 * 0.97) < 1e-15);
	double prev = -1;
	for (unsigned x = 0; x <= 31; x++) { /* monotone despite compression */
		double i = wldac_current_a(&p, x, 0);
		ck_assert(i > prev);
		prev = i;
	}
	ck_assert(fabs(wldac_current_a(&p, 16, 0.02) /
			       wldac_current_a(&p, 16, 0) -
		       1.02) < 1e-12);
	double g0 = wldac_row_gain(&p, 5, 0, 7),
	       g1 = wldac_row_gain(&p, 5, 1, 7);
	ck_assert(g0 != g1 && g0 == wldac_row_gain(&p, 5, 0, 7));
	p.gain_sigma = 0;
	ck_assert(wldac_row_gain(&p, 5, 0, 7) == 0);
	p.compress = 1;
	ck_assert_int_eq(wldac_params_check(&p), -1);
}
END_TEST

START_TEST(comparator_bank)
{
	comparator_params_t p;
	comparator_params_default(&p);
	comparator_bank_t b;
	ck_assert_int_eq(comparator_bank_init(&b, &p, 1.2, 128, 9, 0), 0);
	double s2 = 0;
	for (unsigned c = 0; c < 128; c++)
		s2 += b.v_os_v[c] * b.v_os_v[c];
	ck_assert(sqrt(s2 / 128) > 10e-3 && sqrt(s2 / 128) < 20e-3);
	/* the decision variable includes offset and common mode */
	double v = comparator_input_v(&b, &p, 3, 1.0, 0.9);
	ck_assert(fabs(v - (0.1 + b.v_os_v[3] + b.b_c[3] * (1.2 - 0.95))) <
		  1e-15);
	/* noise keyed by operation: same op same decision, and the noise is
	 * really there near zero input */
	unsigned flips = 0;
	double base = 1.0 - b.v_os_v[3] - b.b_c[3] * (1.2 - 1.0);
	for (uint64_t op = 0; op < 400; op++) {
		bool d = comparator_decide(&b, &p, 9, 0, 3, op, base, 1.0);
		ck_assert(d ==
			  comparator_decide(&b, &p, 9, 0, 3, op, base, 1.0));
		flips += d;
	}
	ck_assert(flips > 100 && flips < 300);
	comparator_bank_free(&b);
	/* an ideal comparator decides the sign, ties to -1 */
	p.offset_sigma_v = p.bc_sigma = p.noise_sigma_v = 0;
	ck_assert_int_eq(comparator_bank_init(&b, &p, 1.2, 4, 9, 0), 0);
	ck_assert(comparator_decide(&b, &p, 9, 0, 1, 0, 0.5000001, 0.5));
	ck_assert(!comparator_decide(&b, &p, 9, 0, 1, 0, 0.5, 0.5000001));
	ck_assert(!comparator_decide(&b, &p, 9, 0, 1, 0, 0.5, 0.5));
	/* below the input common-mode range the gain falls, to 0 at V_T */
	ck_assert(comparator_gain(&p, 0.8) == 1);
	ck_assert(fabs(comparator_gain(&p, 0.475) - 0.5) < 1e-12);
	ck_assert(comparator_gain(&p, 0.3) == 0);
	ck_assert(fabs(comparator_input_v(&b, &p, 1, 0.5, 0.45) -
		       comparator_gain(&p, 0.475) * 0.05) < 1e-15);
	comparator_bank_free(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("chip_array");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, read_after_write);
	tcase_add_test(tc, accumulate_steers_by_weight);
	tcase_add_test(tc, mismatch_statistics);
	tcase_add_test(tc, wldac_transfer);
	tcase_add_test(tc, comparator_bank);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? 1 : 0;
}
