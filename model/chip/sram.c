/* sram.c - SRAM row port; see sram.h. */
#include "chip/sram.h"

#include <stdio.h>

#include "chip/chip_internal.h"

static void sram_edge(sim_proc_t *self, void *ctx)
{
	struct chip *c = ctx;
	macro_t *m = &c->m;
	if (c->sram_asleep) { /* woken by a request: acts at the next edge */
		c->sram_asleep = false;
		return;
	}
	bool we = sim_bit_read(c->sram_we), re = sim_bit_read(c->sram_re),
	     row_we = sim_bit_read(c->row_we);
	if (!we && !re && !row_we) {
		/* no request sampled: nothing to do until one is raised
		 * (the requesters notify ev_sram_req in the same delta) */
		c->sram_asleep = true;
		sim_next_trigger_event(self, c->ev_sram_req);
		return;
	}
	if (we) {
		unsigned row = (unsigned)sim_vec_read_u64(c->sram_addr);
		if (macro_write_row(m, row, sim_vec_read(c->sram_wdata)))
			sim_fail(c->sim, "%s: SRAM write to bad row %u",
				 c->name, row);
	}
	if (re) {
		unsigned row = (unsigned)sim_vec_read_u64(c->sram_addr);
		if (macro_read_row(m, row, c->scratch))
			sim_fail(c->sim, "%s: SRAM read of bad row %u", c->name,
				 row);
		else
			sim_vec_write(c->sram_rdata, c->scratch);
	}
	if (row_we) {
		unsigned r = (unsigned)sim_vec_read_u64(c->row_addr);
		if (macro_write_row(m, m->p.ndata + r,
				    sim_vec_read(c->row_data)))
			sim_fail(c->sim, "%s: bad compensation row write %u",
				 c->name, r);
	}
}

int sram_init(struct chip *c)
{
	char nm[256];
	snprintf(nm, sizeof nm, "%s.sram", c->name);
	sim_proc_t *p = sim_method_new(c->sim, nm, sram_edge, c);
	if (!p)
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
	sim_proc_dont_initialize(p);
	return sim_sensitive_pos(p, c->clk);
}
