/* comparator.c - comparator bank; see comparator.h. */
#include "chip/comparator.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/rng.h"

IMC_PARAM_BLOCK_DEFINE(comparator_param_block, COMPARATOR_SECTION,
		       comparator_params_t, COMPARATOR_PARAMS);

void comparator_params_default(comparator_params_t *p)
{
	imc_param_defaults(&comparator_param_block, p);
}

const char *comparator_params_problem(const comparator_params_t *p)
{
	if (!(p->v_t_in_v < p->v_cm_min_v))
		return "comparator.v_t_in_v must be below comparator.v_cm_min_v";
	return NULL;
}

int comparator_params_check(const comparator_params_t *p)
{
	return p && !imc_param_check(&comparator_param_block, p) &&
			       !comparator_params_problem(p)
		       ? 0
		       : -1;
}

double comparator_gain(const comparator_params_t *p, double v_cm_v)
{
	if (v_cm_v >= p->v_cm_min_v)
		return 1;
	double g = (v_cm_v - p->v_t_in_v) / (p->v_cm_min_v - p->v_t_in_v);
	return g > 0 ? g : 0;
}

int comparator_bank_init(comparator_bank_t *b, const comparator_params_t *p,
			 double vdd_v, unsigned ncol, uint64_t seed,
			 unsigned chip)
{
	memset(b, 0, sizeof(*b));
	b->v_os_v = calloc(ncol ? ncol : 1, sizeof(double));
	b->b_c = calloc(ncol ? ncol : 1, sizeof(double));
	if (!b->v_os_v || !b->b_c) {
		comparator_bank_free(b);
		return -1;
	}
	b->ncol = ncol;
	b->vdd_v = vdd_v;
	for (unsigned c = 0; c < ncol; c++) {
		if (p->offset_sigma_v > 0)
			b->v_os_v[c] = p->offset_sigma_v *
				       rng_normal(seed, RNG_STREAM_CMP_OFFSET,
						  chip, c, 0);
		if (p->bc_sigma > 0)
			b->b_c[c] =
				p->bc_sigma *
				rng_normal(seed, RNG_STREAM_CMP_CM, chip, c, 0);
	}
	return 0;
}

void comparator_bank_free(comparator_bank_t *b)
{
	free(b->v_os_v);
	free(b->b_c);
	memset(b, 0, sizeof(*b));
}

double comparator_input_v(const comparator_bank_t *b,
			  const comparator_params_t *p, unsigned col,
			  double v_bl_v, double v_blb_v)
{
	/* the common-mode reference is the bank's VDD */
	double v_cm = 0.5 * (v_bl_v + v_blb_v);
	return comparator_gain(p, v_cm) * (v_bl_v - v_blb_v) + b->v_os_v[col] +
	       b->b_c[col] * (b->vdd_v - v_cm);
}

bool comparator_decide(const comparator_bank_t *b, const comparator_params_t *p,
		       uint64_t seed, unsigned chip, unsigned col, uint64_t op,
		       double v_bl_v, double v_blb_v)
{
	double v = comparator_input_v(b, p, col, v_bl_v, v_blb_v);
	if (p->noise_sigma_v > 0)
		v += p->noise_sigma_v *
		     rng_normal(seed, RNG_STREAM_CMP_NOISE, chip, col, op);
	return v > 0;
}
