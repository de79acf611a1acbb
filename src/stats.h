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

#endif /* IMCSIM_STATS_H */
