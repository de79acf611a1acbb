/* bitline.c - closed-form bitline discharge; see bitline.h. */
#include "chip/bitline.h"

#include <math.h>

void bitline_params_default(bitline_params_t *p)
{
	p->c_bl_f = 200e-15;
	p->v_pre_v = 1.2;
	p->v_k_v = 0.3;
	p->t_wl_ps = 5000;
}

int bitline_params_check(const bitline_params_t *p)
{
	if (!p || !(p->c_bl_f > 0) || !(p->v_pre_v > 0) || !(p->v_k_v > 0) ||
	    p->t_wl_ps == 0)
		return -1;
	return 0;
}

double bitline_v(const bitline_params_t *p, double v0_v, double i_a, double t_s)
{
	double a = v0_v / p->v_k_v;
	double tau = i_a * t_s / (p->c_bl_f * p->v_k_v);
	/* (exp(a) - 1) exp(-tau) = exp(a - tau) (1 - exp(-a)); k loses nothing
	 * for small a, and d decides which logarithm form cannot overflow. */
	double k = -expm1(-a);
	double d = a - tau;
	if (d > 0)
		return p->v_k_v * (d + log(exp(-d) + k));
	return p->v_k_v * log1p(exp(d) * k);
}

double bitline_v_end(const bitline_params_t *p, double i_a)
{
	return bitline_v(p, p->v_pre_v, i_a, (double)p->t_wl_ps * 1e-12);
}
