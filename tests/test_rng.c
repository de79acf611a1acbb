/* test_rng.c - the keyed generator: pure function of its key, sane
 * distributions. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "kernel/rng.h"

START_TEST(test_pure_function_of_key)
{
	uint64_t a = rng_u64(1, RNG_STREAM_CELL, 3, 4, 5);
	/* interleave unrelated draws: nothing depends on call order */
	for (int i = 0; i < 100; i++)
		(void)rng_u64(7, RNG_STREAM_CMP_NOISE, (uint64_t)i, 0, 0);
	ck_assert_uint_eq(rng_u64(1, RNG_STREAM_CELL, 3, 4, 5), a);
	ck_assert_uint_ne(rng_u64(1, RNG_STREAM_CELL, 4, 3, 5), a);
	ck_assert_uint_ne(rng_u64(2, RNG_STREAM_CELL, 3, 4, 5), a);
	ck_assert_uint_ne(rng_u64(1, RNG_STREAM_ROW_GAIN, 3, 4, 5), a);
	ck_assert_uint_ne(rng_u64(1, RNG_STREAM_CELL, 3, 4, 6), a);
}
END_TEST

START_TEST(test_normal_moments)
{
	enum { N = 200000 };
	double s = 0, s2 = 0, s4 = 0;
	for (int i = 0; i < N; i++) {
		double x = rng_normal(42, RNG_STREAM_TEST, (uint64_t)i, 0, 0);
		s += x;
		s2 += x * x;
		s4 += x * x * x * x;
	}
	double mean = s / N, var = s2 / N - mean * mean;
	ck_assert_double_lt(fabs(mean), 0.01);
	ck_assert_double_lt(fabs(var - 1.0), 0.02);
	ck_assert_double_lt(fabs(s4 / N - 3.0), 0.1); /* Gaussian kurtosis */
}
END_TEST

START_TEST(test_uniform_bits_balanced)
{
	enum { N = 100000 };
	int ones[64] = { 0 };
	double lo = 1, hi = 0;
	for (int i = 0; i < N; i++) {
		uint64_t x = rng_u64(9, RNG_STREAM_TEST, 0, (uint64_t)i, 0);
		for (int b = 0; b < 64; b++)
			ones[b] += (int)((x >> b) & 1);
		double u = rng_uniform(9, RNG_STREAM_TEST, 1, (uint64_t)i, 0);
		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
	}
	for (int b = 0; b < 64; b++)
		ck_assert_int_lt(abs(ones[b] - N / 2), 800); /* ~5 sigma */
	ck_assert_double_gt(lo, 0.0);
	ck_assert_double_lt(hi, 1.0);
	ck_assert_double_lt(lo, 0.001);
	ck_assert_double_gt(hi, 0.999);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rng");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_pure_function_of_key);
	tcase_add_test(tc, test_normal_moments);
	tcase_add_test(tc, test_uniform_bits_balanced);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
