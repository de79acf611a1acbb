/* energy.c - energy counters; see energy.h. */
#include "chip/energy.h"

#include <string.h>

IMC_PARAM_BLOCK_DEFINE(energy_param_block, ENERGY_SECTION, energy_params_t,
		       ENERGY_PARAMS);

void energy_params_default(energy_params_t *p)
{
	imc_param_defaults(&energy_param_block, p);
}

int energy_params_check(const energy_params_t *p)
{
	return p && !imc_param_check(&energy_param_block, p) ? 0 : -1;
}

void energy_reset(chip_energy_t *e)
{
	memset(e, 0, sizeof(*e));
}

void energy_add_compare(chip_energy_t *e, const energy_params_t *p,
			const bitline_params_t *bl, double c_bl_f,
			double droop_sum_v, unsigned n_wl, unsigned n_dec)
{
	e->restore_j += c_bl_f * bl->v_pre_v * droop_sum_v;
	e->wldac_j += p->e_wl_row_j * n_wl;
	e->cmp_j += p->e_cmp_j * n_dec;
	e->n_compare++;
}

void energy_add_write(chip_energy_t *e, const bitline_params_t *bl,
		      double c_bl_f, unsigned ncol)
{
	e->write_j += c_bl_f * bl->v_pre_v * bl->v_pre_v * ncol;
	e->n_write++;
}

void energy_add_read(chip_energy_t *e, const energy_params_t *p,
		     const bitline_params_t *bl, double c_bl_f, unsigned ncol)
{
	e->read_j += c_bl_f * bl->v_pre_v * p->v_read_v * ncol;
	e->n_read++;
}

double energy_total_j(const chip_energy_t *e)
{
	return e->restore_j + e->wldac_j + e->cmp_j + e->write_j + e->read_j;
}

double energy_digital_baseline_j(const energy_params_t *p,
				 const bitline_params_t *bl, double c_bl_f,
				 double n_mac, double n_neuron, double *sram_j)
{
	double sram = n_mac * c_bl_f * bl->v_pre_v * p->v_read_v;
	if (sram_j)
		*sram_j = sram;
	return sram + (n_mac + n_neuron) * p->e_mac_digital_j;
}
