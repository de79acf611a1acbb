/* comprow.c - compensation rows; see comprow.h. */
#include "chip/comprow.h"

#include <string.h>

IMC_PARAM_BLOCK_DEFINE(comprow_param_block, COMPROW_SECTION, comprow_params_t,
		       COMPROW_PARAMS);

void comprow_params_default(comprow_params_t *p)
{
	imc_param_defaults(&comprow_param_block, p);
}

const char *comprow_params_problem(const comprow_params_t *p)
{
	if (p->nrow & (p->nrow - 1))
		return "comp.nrow must be a power of two (the search halves it)";
	return NULL;
}

int comprow_params_check(const comprow_params_t *p)
{
	if (!p || imc_param_check(&comprow_param_block, p) ||
	    comprow_params_problem(p))
		return -1;
	return 0;
}

void comprow_row_data(unsigned ncol, const uint8_t *n, unsigned r,
		      uint64_t *data)
{
	memset(data, 0, ((ncol + 63) / 64) * sizeof(uint64_t));
	for (unsigned c = 0; c < ncol; c++)
		if (r < n[c])
			data[c / 64] |= UINT64_C(1) << (c % 64);
}
