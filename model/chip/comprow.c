/* comprow.c - compensation rows; see comprow.h. */
#include "chip/comprow.h"

#include <string.h>

void comprow_params_default(comprow_params_t *p)
{
	p->nrow = 32;
	p->i_comp_a = 2 * 1.5e-6 / 31;
	p->mismatch_scale = 1;
}

int comprow_params_check(const comprow_params_t *p)
{
	if (!p || p->nrow < 4 || p->nrow > 64 || (p->nrow & (p->nrow - 1)) ||
	    !(p->i_comp_a >= 0) || !(p->mismatch_scale >= 0))
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

double comprow_step_v(const comprow_params_t *p, const bitline_params_t *bl)
{
	double h = p->nrow / 2;
	/* n_c = h-1: BL carries h+1 cells, BLB h-1; n_c = h+1: the reverse. */
	double lo = bitline_v_end(bl, (h + 1) * p->i_comp_a) -
		    bitline_v_end(bl, (h - 1) * p->i_comp_a);
	return -lo; /* half of the two-step swing 2*(V(h-1) - V(h+1)) */
}
