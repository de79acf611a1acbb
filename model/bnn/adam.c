/* adam.c - ADAM with clipping; see adam.h. */
#include "bnn/adam.h"

#include <math.h>

void bnn_adam_init(struct bnn_adam *a)
{
	a->beta1 = 0.9;
	a->beta2 = 0.999;
	a->eps = 1e-8;
	a->t = 0;
}

void bnn_adam_tick(struct bnn_adam *a)
{
	a->t++;
}

void bnn_adam_step(const struct bnn_adam *a, double lr, size_t n, float *p,
		   const float *g, float *m, float *v, float lo, float hi)
{
	double t = (double)(a->t ? a->t : 1);
	float b1 = (float)a->beta1, b2 = (float)a->beta2;
	float c1 = (float)(1.0 / (1.0 - pow(a->beta1, t)));
	float c2 = (float)(1.0 / (1.0 - pow(a->beta2, t)));
	float step = (float)lr, eps = (float)a->eps;

	for (size_t i = 0; i < n; i++) {
		float mi = b1 * m[i] + (1 - b1) * g[i];
		float vi = b2 * v[i] + (1 - b2) * g[i] * g[i];
		float q = p[i] - step * (mi * c1) / (sqrtf(vi * c2) + eps);

		m[i] = mi;
		v[i] = vi;
		p[i] = q < lo ? lo : (q > hi ? hi : q);
	}
}
