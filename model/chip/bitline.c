/* bitline.c - closed-form bitline discharge; see bitline.h. */
#include "chip/bitline.h"

#include <math.h>

IMC_PARAM_BLOCK_DEFINE(bitline_param_block, BITLINE_SECTION, bitline_params_t,
		       BITLINE_PARAMS);

void bitline_params_default(bitline_params_t *p)
{
	imc_param_defaults(&bitline_param_block, p);
}

int bitline_params_check(const bitline_params_t *p)
{
	return p && !imc_param_check(&bitline_param_block, p) ? 0 : -1;
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
