/* test_system_blocks.c - normalizer, readout, and the macro's exact
 * caches that the system's throughput relies on. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chip/macro.h"
#include "imc_bits.h"
#include "kernel/rng.h"
#include "system/normalizer.h"
#include "system/readout.h"

START_TEST(normalizer_default_levels)
{
	normalizer_params_t p;
	normalizer_params_default(&p);
	uint64_t dec[2] = { UINT64_C(0x5), UINT64_C(1) << 31 }; /* 0, 2, 95 */
	uint8_t codes[96];
	normalizer_apply(&p, dec, 96, codes);
	for (unsigned j = 0; j < 96; j++)
		ck_assert_uint_eq(codes[j],
				  (j == 0 || j == 2 || j == 95) ? 31 : 0);
}
END_TEST

START_TEST(normalizer_per_neuron_levels)
{
	normalizer_params_t p;
	normalizer_params_default(&p);
	p.lo[3] = 4;
	p.hi[3] = 20;
	p.lo[4] = 7;
	p.hi[4] = 9;
	uint64_t dec[2] = { UINT64_C(1) << 3, 0 };
	uint8_t codes[8];
	normalizer_apply(&p, dec, 8, codes);
	ck_assert_uint_eq(codes[3], 20);
	ck_assert_uint_eq(codes[4], 7);
	ck_assert_uint_eq(codes[5], 0);
	ck_assert_int_eq(normalizer_params_check(&p, 96), 0);
	p.hi[10] = 32;
	ck_assert_int_eq(normalizer_params_check(&p, 96), -1);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "neuron 10"));
	ck_assert_int_eq(normalizer_params_check(&p, 10), 0);
}
END_TEST

START_TEST(readout_votes_and_ties)
{
	readout_params_t p;
	readout_params_default(&p);
	ck_assert_uint_eq(readout_ncols(&p), 90);
	uint64_t dec[2] = { 0, 0 };
	unsigned sc[READOUT_MAX_CLASS];
	readout_scores(&p, dec, sc);
	ck_assert_uint_eq(readout_argmax(&p, sc), 0); /* all -1: class 0 */
	/* class 2 gets columns 18..21 (4 votes), class 7 gets 63..66 (4):
	 * a tie, the lower class wins */
	for (unsigned j = 18; j < 22; j++)
		dec[j / 64] |= UINT64_C(1) << (j % 64);
	for (unsigned j = 63; j < 67; j++)
		dec[j / 64] |= UINT64_C(1) << (j % 64);
	readout_scores(&p, dec, sc);
	ck_assert_uint_eq(sc[2], 4);
	ck_assert_uint_eq(sc[7], 4);
	ck_assert_uint_eq(sc[6], 0);
	ck_assert_uint_eq(readout_argmax(&p, sc), 2);
	dec[1] |= UINT64_C(1) << (67 - 64); /* class 7 now leads */
	readout_scores(&p, dec, sc);
	ck_assert_uint_eq(readout_argmax(&p, sc), 7);
	/* bits beyond the readout's columns do not count */
	dec[1] |= UINT64_C(1) << (100 - 64);
	readout_scores(&p, dec, sc);
	unsigned tot = 0;
	for (unsigned k = 0; k < 10; k++)
		tot += sc[k];
	ck_assert_uint_eq(tot, 9);
}
END_TEST

/* imc_popcount64 / imc_popcount8 (whichever path the build selects) and the word-wise
 * vote count against bit-by-bit counts, on random words and every class
 * width, so classes straddling a word boundary are covered. */
START_TEST(readout_popcount_matches_bit_count)
{
	for (unsigned k = 0; k < 2000; k++) {
		uint64_t x = rng_u64(5, RNG_STREAM_TEST, k, 0, 0);
		if (k % 3 == 1)
			x &= rng_u64(5, RNG_STREAM_TEST, k, 1, 0);
		if (k == 0)
			x = 0;
		if (k == 1)
			x = ~UINT64_C(0);
		unsigned n = 0;
		for (unsigned b = 0; b < 64; b++)
			n += (x >> b) & 1;
		ck_assert_uint_eq(imc_popcount64(x), n);
		if (k < 256) {
			unsigned m = 0;
			for (unsigned b = 0; b < 8; b++)
				m += (k >> b) & 1;
			ck_assert_uint_eq(imc_popcount8((uint8_t)k), m);
		}
	}
	for (unsigned cpc = 1; cpc <= 31; cpc++) {
		readout_params_t p = { .nclass = 256 / cpc < READOUT_MAX_CLASS
							 ? 256 / cpc
							 : READOUT_MAX_CLASS,
				       .cols_per_class = cpc };
		uint64_t dec[4];
		for (unsigned w = 0; w < 4; w++)
			dec[w] = rng_u64(6, RNG_STREAM_TEST, cpc, w, 0);
		unsigned sc[READOUT_MAX_CLASS];
		readout_scores(&p, dec, sc);
		for (unsigned c = 0, j = 0; c < p.nclass; c++) {
			unsigned n = 0;
			for (unsigned i = 0; i < cpc; i++, j++)
				n += (dec[j / 64] >> (j % 64)) & 1;
			ck_assert_uint_eq(sc[c], n);
		}
	}
}
END_TEST

START_TEST(readout_columns_per_class_param)
{
	readout_params_t p = { .nclass = 4, .cols_per_class = 3 };
	ck_assert_int_eq(readout_params_check(&p, 128), 0);
	uint64_t dec[1] = { 0x7u << 9 |
			    0x1u }; /* class 3: 3 votes, class 0: 1 */
	unsigned sc[READOUT_MAX_CLASS];
	readout_scores(&p, dec, sc);
	ck_assert_uint_eq(sc[0], 1);
	ck_assert_uint_eq(sc[3], 3);
	ck_assert_uint_eq(readout_argmax(&p, sc), 3);
	p.cols_per_class = 32;
	ck_assert_int_eq(readout_params_check(&p, 256), -1);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "5-bit"));
	p.nclass = 12;
	p.cols_per_class = 11;
	ck_assert_int_eq(readout_params_check(&p, 128), -1);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "132"));
}
END_TEST

static void random_rows(macro_t *m, uint64_t tag)
{
	uint64_t w[2];
	for (unsigned r = 0; r < m->p.ndata; r++) {
		w[0] = rng_u64(tag, RNG_STREAM_TEST, r, 0, 0);
		w[1] = rng_u64(tag, RNG_STREAM_TEST, r, 1, 0);
		ck_assert_int_eq(macro_write_row(m, r, w), 0);
	}
}

static void random_codes(uint8_t *x, uint64_t tag, unsigned k)
{
	for (unsigned i = 0; i < 96; i++) {
		uint64_t h = rng_u64(tag, RNG_STREAM_TEST, k, i, 9);
		x[i] = (h & 3) == 0 ? 0 : (uint8_t)(h >> 8 & 31);
	}
}

/* A macro whose row caches are warm from other codes (and whose rows were
 * rewritten) sums exactly what a fresh macro sums, and its strobe gives
 * exactly bitline_v() of the per-curve line amplitudes. */
START_TEST(macro_caches_are_exact)
{
	macro_params_t p;
	macro_params_default(&p);
	macro_t a, b;
	ck_assert_int_eq(macro_init(&a, &p, 5, 1), 0);
	random_rows(&a, 1);
	uint8_t x[96], y[96];
	for (unsigned k = 0; k < 5; k++) {
		random_codes(x, 3, k);
		ck_assert_int_eq(macro_compare(&a, x, true, NULL), 0);
	}
	ck_assert_int_eq(macro_calibrate(&a, 2, NULL, NULL), 0);
	random_rows(&a, 2); /* rewrite: the caches must go stale */
	uint64_t comp[2] = { 0x12345, 0 };
	ck_assert_int_eq(macro_write_row(&a, 96 + 5, comp), 0);
	for (unsigned k = 0; k < 4; k++) {
		random_codes(y, 4, k);
		ck_assert_int_eq(macro_init(&b, &p, 5, 1), 0);
		random_rows(&b, 2);
		ck_assert_int_eq(macro_calibrate(&b, 2, NULL, NULL), 0);
		/* same stored compensation rows as a */
		for (unsigned r = 0; r < p.comp.nrow; r++) {
			uint64_t row[2];
			ck_assert_int_eq(macro_read_row(&a, 96 + r, row), 0);
			ck_assert_int_eq(macro_write_row(&b, 96 + r, row), 0);
		}
		ck_assert_int_eq(macro_drive(&a, y, k & 1), 0);
		ck_assert_int_eq(macro_drive(&b, y, k & 1), 0);
		ck_assert_uint_eq(a.nact, b.nact);
		ck_assert(memcmp(a.act, b.act, a.nact * sizeof a.act[0]) == 0);
		for (unsigned i = 0; i < a.nact; i++)
			ck_assert(memcmp(a.acc + (size_t)a.act[i] * 256,
					 b.acc + (size_t)b.act[i] * 256,
					 256 * sizeof(double)) == 0);
		macro_strobe(&a, NULL);
		double t_s = (double)p.bl.t_wl_ps * 1e-12;
		for (unsigned c = 0; c < 128; c++) {
			double ab[MACRO_MAX_CURVE], abb[MACRO_MAX_CURVE];
			for (unsigned i = 0; i < a.nact; i++) {
				ab[i] = a.acc[(size_t)a.act[i] * 256 + c];
				abb[i] =
					a.acc[(size_t)a.act[i] * 256 + 128 + c];
			}
			ck_assert(a.v_bl_v[c] ==
				  bitline_v(&a.curves, a.nact, a.act, ab,
					    p.bl.v_pre_v, a.c_bl_f, t_s,
					    p.bl.rk_steps));
			ck_assert(a.v_blb_v[c] ==
				  bitline_v(&a.curves, a.nact, a.act, abb,
					    p.bl.v_pre_v, a.c_bl_f, t_s,
					    p.bl.rk_steps));
		}
		macro_free(&b);
	}
	macro_free(&a);
}
END_TEST

/* The vectorized steering and scaled adds are the scalar arithmetic bit
 * for bit (odd width: the scalar tail runs too). */
START_TEST(row_currents_match_accumulate)
{
	chip_array_t a;
	array_params_t ap;
	array_params_default(&ap);
	ck_assert_int_eq(array_init(&a, 4, 127, 3, 2), 0);
	uint64_t w[2] = { rng_u64(1, RNG_STREAM_TEST, 0, 0, 0),
			  rng_u64(1, RNG_STREAM_TEST, 1, 0, 0) >> 1 };
	ck_assert_int_eq(array_write_row(&a, 2, w), 0);
	double mag[127], sbl[127], sblb[127], bl[127], blb[127];
	for (unsigned x = 1; x <= 31; x++) {
		double i = 1e-7 * x;
		array_row_mag(&ap, &a, 2, i, array_cell_vf(&ap, i), mag);
		array_row_split(&a, 2, mag, sbl, sblb);
		for (unsigned c = 0; c < 127; c++) {
			ck_assert(mag[c] > 0);
			bool one = (w[c / 64] >> (c % 64)) & 1;
			ck_assert(sblb[c] == (one ? mag[c] : 0));
			ck_assert(sbl[c] == (one ? 0 : mag[c]));
			bl[c] = blb[c] = 1e-6;
		}
		double k = x / 31.0;
		array_add_lines(127, k, sbl, sblb, bl, blb);
		for (unsigned c = 0; c < 127; c++) {
			ck_assert(bl[c] == 1e-6 + k * sbl[c]);
			ck_assert(blb[c] == 1e-6 + k * sblb[c]);
		}
	}
	array_free(&a);
}
END_TEST

/* Skipping the noise draw far from the threshold changes no decision:
 * against comparator_decide() on every column of many operations. */
START_TEST(macro_noise_skip_is_exact)
{
	macro_params_t p;
	macro_params_default(&p);
	p.cmp.noise_sigma_v = 20e-3; /* many columns inside 9 sigma */
	macro_t a;
	ck_assert_int_eq(macro_init(&a, &p, 8, 0), 0);
	random_rows(&a, 7);
	uint8_t x[96];
	unsigned near = 0;
	for (unsigned k = 0; k < 40; k++) {
		random_codes(x, 11, k);
		uint64_t op = a.op;
		ck_assert_int_eq(macro_compare(&a, x, true, NULL), 0);
		for (unsigned c = 0; c < 128; c++) {
			bool want = comparator_decide(&a.cmp, &p.cmp, 8, 0, c,
						      op, a.v_bl_v[c],
						      a.v_blb_v[c]);
			bool got = (a.dec[c / 64] >> (c % 64)) & 1;
			ck_assert(want == got);
			double v = comparator_input_v(
				&a.cmp, &p.cmp, c, a.v_bl_v[c], a.v_blb_v[c]);
			near += fabs(v) <= 9 * p.cmp.noise_sigma_v;
		}
	}
	ck_assert_uint_gt(near, 100); /* the noisy branch was exercised */
	macro_free(&a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("system_blocks");
	TCase *tc = tcase_create("blocks");
	tcase_add_test(tc, normalizer_default_levels);
	tcase_add_test(tc, normalizer_per_neuron_levels);
	tcase_add_test(tc, readout_votes_and_ties);
	tcase_add_test(tc, readout_columns_per_class_param);
	tcase_add_test(tc, readout_popcount_matches_bit_count);
	tcase_add_test(tc, macro_caches_are_exact);
	tcase_add_test(tc, macro_noise_skip_is_exact);
	tcase_add_test(tc, row_currents_match_accumulate);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
