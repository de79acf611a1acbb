/* stats.c - t-intervals, binomial intervals, percentiles; see stats.h. */
#include "stats.h"

#include <math.h>

double stats_t975(unsigned df)
{
	static const double t[31] = {
		(double)NAN, 12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469,
		2.3646,	     2.3060,  2.2622, 2.2281, 2.2010, 2.1788, 2.1604,
		2.1448,	     2.1314,  2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
		2.0796,	     2.0739,  2.0687, 2.0639, 2.0595, 2.0555, 2.0518,
		2.0484,	     2.0452,  2.0423
	};
	if (df <= 30)
		return t[df];
	double z = 1.959963984540054, v = df;
	double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
	return z + (z3 + z) / (4 * v) +
	       (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
	       (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
}

void stats_summary(const double *x, size_t n, stats_summary_t *s)
{
	s->n = n;
	s->mean = s->sd = 0;
	s->ci95 = (double)NAN;
	s->min = s->max = n ? x[0] : (double)NAN;
	if (!n) {
		s->mean = s->sd = (double)NAN;
		return;
	}
	for (size_t k = 0; k < n; k++) {
		s->mean += x[k];
		s->min = fmin(s->min, x[k]);
		s->max = fmax(s->max, x[k]);
	}
	s->mean /= (double)n;
	if (n < 2)
		return;
	double v = 0;
	for (size_t k = 0; k < n; k++)
		v += (x[k] - s->mean) * (x[k] - s->mean);
	s->sd = sqrt(v / (double)(n - 1));
	s->ci95 = stats_t975((unsigned)(n - 1)) * s->sd / sqrt((double)n);
}

/* log of C(n, j) p^j (1-p)^(n-j), 0 < p < 1 */
static double log_term(unsigned j, unsigned n, double p)
{
	return lgamma(n + 1.0) - lgamma(j + 1.0) - lgamma(n - j + 1.0) +
	       j * log(p) + (n - j) * log1p(-p);
}

double stats_binom_cdf(unsigned k, unsigned n, double p)
{
	if (k >= n || p <= 0)
		return 1.0;
	if (p >= 1)
		return 0.0;
	/* sum from the largest term down, so nothing underflows first */
	double m = -(double)INFINITY;
	for (unsigned j = 0; j <= k; j++)
		m = fmax(m, log_term(j, n, p));
	double s = 0;
	for (unsigned j = 0; j <= k; j++)
		s += exp(log_term(j, n, p) - m);
	double c = exp(m + log(s));
	return c > 1 ? 1 : c;
}

/* The p in (0, 1) where f(p) = 0.025 for f falling in p. */
static double solve(unsigned k, unsigned n, int upper)
{
	double a = 0, b = 1;
	for (int it = 0; it < 200 && b - a > 1e-13; it++) {
		double p = 0.5 * (a + b);
		/* upper: P(X <= k) falls as p grows; lower: P(X >= k) rises */
		double f = upper ? stats_binom_cdf(k, n, p)
				 : 1 - stats_binom_cdf(k - 1, n, p);
		if (upper ? f > 0.025 : f < 0.025)
			a = p;
		else
			b = p;
	}
	return 0.5 * (a + b);
}

void stats_binom_ci(unsigned k, unsigned n, double *lo, double *hi)
{
	if (n == 0 || k > n) {
		*lo = *hi = (double)NAN;
		return;
	}
	*lo = k == 0 ? 0.0 : solve(k, n, 0);
	*hi = k == n ? 1.0 : solve(k, n, 1);
}

double stats_percentile(const double *sorted, size_t n, double q)
{
	if (!n)
		return (double)NAN;
	double pos = q * (double)(n - 1);
	size_t i = (size_t)floor(pos);
	if (i + 1 >= n)
		return sorted[n - 1];
	double f = pos - (double)i;
	return sorted[i] + f * (sorted[i + 1] - sorted[i]);
}
