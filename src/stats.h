/*
 * stats.h - means and 95% confidence intervals of repeated runs.
 *
 * Contract. For n values x_1..x_n (one per run), stats_summary() gives
 * the mean, the sample standard deviation s (n - 1 in the denominator)
 * and the half-width of the two-sided 95% Student-t interval,
 * t_{0.975, n-1} * s / sqrt(n); with n < 2 the half-width is NaN (no
 * interval from one run). stats_t975(df) is the 0.975 quantile of
 * Student's t with df degrees of freedom: exact table values for df <= 30,
 * above that the Cornish-Fisher expansion around the normal quantile
 * (error below 1e-4 for df > 30).
 *
 * stats_binom_ci() is the exact (Clopper-Pearson) two-sided 95% interval
 * of a binomial proportion, k successes in n trials: the lower end is the
 * p at which P(X >= k) = 0.025 (0 when k = 0), the upper end the p at
 * which P(X <= k) = 0.025 (1 when k = n), each found by bisection on the
 * binomial tail summed in log space (to 1e-12). Conservative: its coverage
 * is at least 95% for every p.
 *
 * stats_percentile() of sorted values is the linear interpolation between
 * order statistics at position q * (n - 1) (Hyndman-Fan type 7, what R's
 * quantile() and numpy's percentile() do by default).
 */
#ifndef IMCSIM_STATS_H
#define IMCSIM_STATS_H

#include <stddef.h>

typedef struct stats_summary {
	size_t n;
	double mean, sd, ci95, min, max;
} stats_summary_t;

double stats_t975(unsigned df);
void stats_summary(const double *x, size_t n, stats_summary_t *s);
/* P(X <= k) for X ~ Binomial(n, p). */
double stats_binom_cdf(unsigned k, unsigned n, double p);
/* The Clopper-Pearson 95% interval of k in n (n >= 1, k <= n). */
void stats_binom_ci(unsigned k, unsigned n, double *lo, double *hi);
/* The q-quantile (0 <= q <= 1) of n >= 1 sorted values. */
double stats_percentile(const double *sorted, size_t n, double q);

#endif /* IMCSIM_STATS_H */
