/* energy.c - energy counters; see energy.h. */
#include "chip/energy.h"

#include <string.h>

void energy_params_default(energy_params_t *p)
{
	p->vdd_v = 1.2;
	p->e_wl_row_j = 0.1e-12;
	p->e_cmp_j = 30e-15;
	p->e_write_col_j = 200e-15 * 1.2 * 1.2;
	p->e_read_col_j = 200e-15 * 1.2 * 0.2;
}

int energy_params_check(const energy_params_t *p)
{
	if (!p || !(p->vdd_v > 0) || !(p->e_wl_row_j >= 0) ||
	    !(p->e_cmp_j >= 0) || !(p->e_write_col_j >= 0) ||
	    !(p->e_read_col_j >= 0))
		return -1;
	return 0;
}

void energy_reset(energy_t *e)
{
	memset(e, 0, sizeof(*e));
}

void energy_add_compare(energy_t *e, const energy_params_t *p, double c_bl_f,
			double droop_sum_v, unsigned n_wl, unsigned n_dec)
{
	e->restore_j += c_bl_f * p->vdd_v * droop_sum_v;
	e->wldac_j += p->e_wl_row_j * n_wl;
	e->cmp_j += p->e_cmp_j * n_dec;
	e->n_compare++;
}

void energy_add_write(energy_t *e, const energy_params_t *p, unsigned ncol)
{
	e->write_j += p->e_write_col_j * ncol;
	e->n_write++;
}

void energy_add_read(energy_t *e, const energy_params_t *p, unsigned ncol)
{
	e->read_j += p->e_read_col_j * ncol;
	e->n_read++;
}

double energy_total_j(const energy_t *e)
{
	return e->restore_j + e->wldac_j + e->cmp_j + e->write_j + e->read_j;
}
