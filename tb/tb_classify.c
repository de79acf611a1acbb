/*
 * tb_classify.c - one classify operation on one chip, cycle by cycle.
 *
 * Loads random weights (one row per cycle), calibrates, then runs one
 * classify of a random 5-bit input vector with the compensation wordline on.
 * The waveform (default classify.vcd) opens with classify.gtkw on that
 * classify: the wordline codes, precharge, the wordline pulse, BL, BLB and
 * V(BL)-V(BLB) of a few columns in step mode (chip.trace_samples samples
 * inside the pulse), the comparator strobe and the decisions, with markers
 * at the precharge, the wordline pulse, its end and the strobe. Prints the
 * decisions against the ideal sign and the energy of the classify.
 *
 * Usage: tb_classify [-o PATH] [--seed N] [--samples N] [--help]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fst.h"
#include "chip/chip.h"
#include "kernel/rng.h"
#include "tb_args.h"

static const unsigned traced[] = { 0, 1, 2, 3, 17, 64 };
#define NTRACED (sizeof traced / sizeof traced[0])

/* The classify's strobe time. */
static void on_strobe(void *ctx, chip_t *c, sim_time_t t, bool classify)
{
	(void)c;
	if (classify)
		*(sim_time_t *)ctx = t;
}

int main(int argc, char **argv)
{
	const char *samples = NULL;
	const tb_opt_t opts[] = {
		{ "samples", "N",
		  "BL/BLB samples inside the pulse (chip.trace_samples, "
		  "default 8)",
		  NULL, &samples },
	};
	tb_args_t a;
	int rc = tb_args_parse(&a, argc, argv, "tb_classify", "classify.vcd",
			       "One classify on one chip, cycle by cycle: "
			       "decisions against the ideal sign, energy.",
			       opts, 1);
	if (rc)
		return rc == 1 ? 0 : 2;
	uint64_t seed = a.seed, ns = 8;
	const char *path = a.out;
	if (samples && tb_args_uint(&a, "--samples", samples, 4, 1000, &ns))
		return 2;
	sim_t *sim = sim_new(NULL);
	chip_params_t p;
	chip_params_default(&p);
	p.ntrace = NTRACED;
	p.trace_samples = (unsigned)ns;
	memcpy(p.trace_col, traced, sizeof traced);
	int err;
	chip_t *c = chip_new(sim, &p, seed, 0, "chip0", NULL, &err);
	sim_trace_t *tr = c ? sim_trace_open(sim, path) : NULL;
	sim_gtkw_t *g = sim_gtkw_new("imcsim classify testbench (tb_classify):"
				     " one compare of all columns");
	if (!c || !tr || !g ||
	    chip_trace_view(c, tr, g, "top.chip0", "chip0",
			    CHIP_SHOW_SEQ | CHIP_SHOW_WL | CHIP_SHOW_ANALOG)) {
		fprintf(stderr, "tb_classify: %s\n",
			c ? sim_error(sim) : "bad chip parameters");
		return 1;
	}
	sim_time_t t_strobe = 0;
	chip_set_strobe_cb(c, on_strobe, &t_strobe);
	uint64_t w[2];
	for (unsigned r = 0; r < 96; r++) {
		w[0] = rng_u64(seed, RNG_STREAM_TEST, r, 0, 1);
		w[1] = rng_u64(seed, RNG_STREAM_TEST, r, 1, 1);
		chip_write_row(c, r, w);
	}
	chip_calibrate(c);
	rc = chip_run_until_idle(c, 100000);
	chip_energy_t e0 = *chip_energy(c);
	sim_time_t t0 = sim_time(sim);
	uint8_t x[96];
	for (unsigned r = 0; r < 96; r++) /* an image-like input: half dark */
		x[r] = rng_u64(seed, RNG_STREAM_TEST, r, 9, 2) % 2
			       ? (uint8_t)(rng_u64(seed, RNG_STREAM_TEST, r, 9,
						   3) %
					   32)
			       : 0;
	if (!rc)
		rc = chip_classify(c, x, true);
	if (!rc)
		rc = chip_run_until_idle(c, 100);
	/* precharge at the edge before the strobe, pulse t_pre later */
	sim_time_t t_pre = t_strobe - p.period_ps, t_wl = t_pre + p.t_pre_ps,
		   t_wl_end = t_wl + p.macro.bl.t_wl_ps;
	sim_gtkw_marker(g, t_pre, "precharge");
	sim_gtkw_marker(g, t_wl, "wordlines on");
	sim_gtkw_marker(g, t_wl_end, "wordlines off");
	sim_gtkw_marker(g, t_strobe, "strobe");
	sim_gtkw_cursor(g, t_strobe); /* values at the strobe by the names */
	sim_gtkw_window(g, t_pre - p.period_ps / 2, t_strobe + p.period_ps);
	if (!rc) /* a quiet tail */
		rc = tb_args_tail(sim, g, p.period_ps);
	if (!rc)
		rc = sim_trace_close(tr);
	if (rc) {
		fprintf(stderr, "tb_classify: %s\n", sim_error(sim));
		return 1;
	}
	const chip_energy_t *e = chip_energy(c);
	macro_t *m = chip_macro(c);
	const uint64_t *dec = chip_decisions(c);
	unsigned agree = 0;
	printf("tb_classify: seed %llu, classify issued at %.1f ns\n",
	       (unsigned long long)seed, (double)t0 / 1000);
	printf("  col  dot   V(BL)    V(BLB)   dec  ideal\n");
	for (unsigned col = 0; col < 128; col++) {
		int s = 0;
		for (unsigned r = 0; r < 96; r++)
			s += array_bit(&m->arr, r, col) ? x[r] : -(int)x[r];
		bool d = (dec[col / 64] >> (col % 64)) & 1;
		agree += (s > 0) == d;
		if (col < 8)
			printf("  %3u %5d  %.4f   %.4f   %+d   %+d\n", col, s,
			       m->v_bl_v[col], m->v_blb_v[col], d ? 1 : -1,
			       s > 0 ? 1 : -1);
	}
	printf("  decisions equal to sign(dot): %u / 128\n", agree);
	printf("  energy of this classify: %.2f pJ (restore %.2f, WLDAC %.2f, "
	       "comparators %.2f)\n",
	       1e12 * (energy_total_j(e) - energy_total_j(&e0)),
	       1e12 * (e->restore_j - e0.restore_j),
	       1e12 * (e->wldac_j - e0.wldac_j), 1e12 * (e->cmp_j - e0.cmp_j));
	rc = tb_args_finish(&a, g);
	sim_gtkw_free(g);
	tb_args_free(&a);
	sim_free(sim);
	chip_free(c);
	return rc;
}
