/* stats.c - t-intervals; see stats.h. */
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
	s->ci95 = NAN;
	s->min = s->max = n ? x[0] : (double)NAN;
	if (!n) {
		s->mean = s->sd = NAN;
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
