/* fold.c - batch norm -> sign flip + compensation bias; see fold.h. */
#include "bnn/fold.h"

#include <math.h>
#include <stdio.h>

int bnn_bn_decide(const struct bnn_bn *bn, int32_t z)
{
	return bn->gamma * ((double)z - bn->mean) / bn->sigma + bn->beta >= 0
		       ? 1
		       : -1;
}

int bnn_fold_bn(const struct bnn_hw *hw, const struct bnn_bn *bn, unsigned n_in,
		int8_t *w, int16_t *bias_steps, int *exact)
{
	int rc = BNN_OK;

	if (!hw || !bn || (n_in && !w) || !bias_steps || !exact)
		return imc_fail(BNN_EARG, "fold: invalid argument");
	*exact = 0;
	if (!isfinite(bn->gamma) || !isfinite(bn->beta) ||
	    !isfinite(bn->mean) || !isfinite(bn->sigma) || bn->gamma == 0 ||
	    !(bn->sigma > 0))
		return imc_fail(
			BNN_EARG,
			"fold: batch norm needs finite values, gamma != 0 "
			"and sigma > 0 (gamma %g, sigma %g)",
			bn->gamma, bn->sigma);
	double theta = bn->mean - bn->beta * bn->sigma / bn->gamma;
	/* Integer threshold t: +1 iff (stored w).x >= t. */
	double t;

	if (bn->gamma > 0) {
		t = ceil(theta);
	} else {
		t = -floor(theta);
		for (unsigned i = 0; i < n_in; i++)
			w[i] = (int8_t)-w[i];
	}
	double steps = -t / hw->comp_step;
	double r = floor(steps + 0.5);
	int in_range = fabs(r) <= hw->comp_max_steps;

	*exact = in_range && r == steps;
	if (!in_range) {
		r = r < 0 ? -hw->comp_max_steps : hw->comp_max_steps;
		rc = imc_fail(BNN_ERANGE,
			      "fold: threshold %.6g code units is outside the "
			      "compensation range +-%d",
			      t, hw->comp_step * hw->comp_max_steps);
	}
	*bias_steps = (int16_t)r;
	return rc;
}
