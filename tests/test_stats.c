/* test_stats.c - the statistics behind yield and sweep (src/stats.c): the
 * Clopper-Pearson interval against closed forms, published values and its
 * defining tail equations (summed here independently, term by term), and
 * type-7 percentiles. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "stats.h"

/* P(X >= k) and P(X <= k) for Binomial(n, p), by the recurrence of the
 * probability mass function (not the log-space sum stats.c uses), started
 * from the end whose term does not underflow. */
static void tails(unsigned k, unsigned n, double p, double *ge, double *le)
{
	double pmf[1001], lo = 0, hi = 0;
	ck_assert_uint_le(n, 1000);
	if (p <= 0.5) {
		pmf[0] = pow(1 - p, n);
		for (unsigned j = 0; j < n; j++)
			pmf[j + 1] = pmf[j] * (double)(n - j) / (j + 1) * p /
				     (1 - p);
	} else {
		pmf[n] = pow(p, n);
		for (unsigned j = n; j > 0; j--)
			pmf[j - 1] =
				pmf[j] * (double)j / (n - j + 1) * (1 - p) / p;
	}
	for (unsigned j = 0; j <= n; j++) {
		if (j <= k)
			lo += pmf[j];
		if (j >= k)
			hi += pmf[j];
	}
	*ge = hi;
	*le = lo;
}

START_TEST(test_binom_closed_forms)
{
	/* k = 0: the upper end solves (1 - p)^n = 0.025; k = n mirrors it */
	for (unsigned n = 1; n <= 200; n += 13) {
		double lo, hi;
		stats_binom_ci(0, n, &lo, &hi);
		ck_assert_double_eq(lo, 0);
		ck_assert_double_eq_tol(hi, 1 - pow(0.025, 1.0 / n), 1e-10);
		stats_binom_ci(n, n, &lo, &hi);
		ck_assert_double_eq_tol(lo, pow(0.025, 1.0 / n), 1e-10);
		ck_assert_double_eq(hi, 1);
		/* k = 1: P(X >= 1) = 1 - (1 - p)^n = 0.025 */
		stats_binom_ci(1, n, &lo, &hi);
		ck_assert_double_eq_tol(lo, 1 - pow(0.975, 1.0 / n), 1e-10);
	}
}
END_TEST

START_TEST(test_binom_published)
{
	/* R: binom.test(5, 10)$conf.int and binom.test(3, 4)$conf.int */
	double lo, hi;
	stats_binom_ci(5, 10, &lo, &hi);
	ck_assert_double_eq_tol(lo, 0.1870860, 1e-6);
	ck_assert_double_eq_tol(hi, 0.8129140, 1e-6);
	stats_binom_ci(3, 4, &lo, &hi);
	ck_assert_double_eq_tol(lo, 0.1941204, 1e-6);
	ck_assert_double_eq_tol(hi, 0.9936905, 1e-6);
}
END_TEST

START_TEST(test_binom_tail_equations)
{
	static const unsigned cases[][2] = {
		{ 37, 120 }, { 1, 3 }, { 88, 100 }, { 190, 200 }, { 7, 900 }
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned k = cases[i][0], n = cases[i][1];
		double lo, hi, ge, le;
		stats_binom_ci(k, n, &lo, &hi);
		ck_assert(lo < (double)k / n && (double)k / n < hi);
		tails(k, n, lo, &ge, &le);
		ck_assert_double_eq_tol(ge, 0.025, 1e-9);
		tails(k, n, hi, &ge, &le);
		ck_assert_double_eq_tol(le, 0.025, 1e-9);
		/* k of n and n - k of n are mirror images */
		double lo2, hi2;
		stats_binom_ci(n - k, n, &lo2, &hi2);
		ck_assert_double_eq_tol(lo, 1 - hi2, 1e-10);
		ck_assert_double_eq_tol(hi, 1 - lo2, 1e-10);
	}
}
END_TEST

START_TEST(test_percentile_type7)
{
	const double v[] = { 1, 2, 3, 4 };
	ck_assert_double_eq_tol(stats_percentile(v, 4, 0.5), 2.5, 1e-12);
	ck_assert_double_eq_tol(stats_percentile(v, 4, 0.25), 1.75, 1e-12);
	ck_assert_double_eq(stats_percentile(v, 4, 0), 1);
	ck_assert_double_eq(stats_percentile(v, 4, 1), 4);
	ck_assert_double_eq(stats_percentile(v, 1, 0.9), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("binomial");
	tcase_add_test(tc, test_binom_closed_forms);
	tcase_add_test(tc, test_binom_published);
	tcase_add_test(tc, test_binom_tail_equations);
	tcase_add_test(tc, test_percentile_type7);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
