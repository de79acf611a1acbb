/* wldac.c - wordline DAC transfer; see wldac.h for the contract. */
#include "chip/wldac.h"

#include "kernel/rng.h"

void wldac_params_default(wldac_params_t *p)
{
	p->code_max = 31;
	p->i_fs_a = 1.5e-6;
	p->gain_sigma = 0.02;
	p->compress = 0.03;
}

int wldac_params_check(const wldac_params_t *p)
{
	if (!p || p->code_max < 1 || p->code_max > 255 || !(p->i_fs_a > 0) ||
	    !(p->gain_sigma >= 0) || !(p->compress >= 0) || !(p->compress < 1))
		return -1;
	return 0;
}

double wldac_row_gain(const wldac_params_t *p, uint64_t seed, unsigned chip,
		      unsigned row)
{
	if (p->gain_sigma == 0)
		return 0;
	return p->gain_sigma *
	       rng_normal(seed, RNG_STREAM_ROW_GAIN, chip, row, 0);
}

double wldac_current_a(const wldac_params_t *p, unsigned code, double d_row)
{
	double x = (double)code, m = (double)p->code_max;
	return p->i_fs_a * x * (1 + d_row) * (1 - p->compress * x / m) / m;
}
