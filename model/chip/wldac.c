/* wldac.c - wordline DAC transfer; see wldac.h for the contract. */
#include "chip/wldac.h"

#include "kernel/rng.h"

IMC_PARAM_BLOCK_DEFINE(wldac_param_block, WLDAC_SECTION, wldac_params_t,
		       WLDAC_PARAMS);

void wldac_params_default(wldac_params_t *p)
{
	imc_param_defaults(&wldac_param_block, p);
}

int wldac_params_check(const wldac_params_t *p)
{
	return p && !imc_param_check(&wldac_param_block, p) ? 0 : -1;
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
	double x = (double)code, m = (double)wldac_code_max(p);
	return p->i_fs_a * x * (1 + d_row) * (1 - p->compress * x / m) / m;
}
