/*
 * tb_system_trace.c - one inference of the whole four-chip system to VCD.
 *
 * Builds the default system (layers on chips 0, 1, 2; chip 3 calibrated
 * and idle), loads a random network through the SRAM write ports,
 * calibrates the four chips in parallel, writes the thresholds into the
 * compensation rows, then streams one random 5-bit image host -> bus0 ->
 * chip0 -> bus1 -> chip1 -> bus2 -> chip2 -> bus3 -> host. The VCD has
 * the buses, every chip's sequencer / SRAM / calibration signals and the
 * BL/BLB analog traces of columns 0 and 1 of each chip; the save file
 * (system.gtkw beside the dump) opens on the inference (sys_trace_one_view).
 *
 * Usage: tb_system_trace [-o PATH] [--seed N] [--help]
 */
#include <stdio.h>
#include <stdlib.h>

#include "kernel/rng.h"
#include "system/system.h"
#include "tb_args.h"

int main(int argc, char **argv)
{
	tb_args_t a;
	int rc = tb_args_parse(&a, argc, argv, "tb_system_trace", "system.vcd",
			       "One inference of the four-chip system with a "
			       "random network and image.",
			       NULL, 0);
	if (rc)
		return rc == 1 ? 0 : 2;
	uint64_t seed = a.seed;
	const char *path = a.out;
	sys_params_t p;
	sys_net_t net;
	sys_result_t r;
	uint8_t img[96];
	sys_params_default(&p);
	p.seed = seed;
	sys_net_init(&net);
	sys_net_random(&net, seed, 4);
	for (unsigned i = 0; i < 96; i++)
		img[i] = (uint8_t)(rng_u64(seed, RNG_STREAM_TEST, 77, i, 0) &
				   31);
	sim_gtkw_t *g = sim_gtkw_new("imcsim four-chip system "
				     "(tb_system_trace): one inference");
	rc = g ? sys_trace_one_view(&p, &net, img, 2, path, g, &r) : -1;
	if (rc) {
		fprintf(stderr, "tb_system_trace: %s\n",
			g ? imc_last_error() : "out of memory");
		sim_gtkw_free(g);
		tb_args_free(&a);
		return 1;
	}
	printf("tb_system_trace: seed %llu\n", (unsigned long long)seed);
	printf("scores:");
	for (unsigned k = 0; k < p.readout.nclass; k++)
		printf(" %u", r.score[k]);
	printf("\npredicted class %u, latency %llu cycles (%.2f us), "
	       "%.1f pJ (chips %.1f + %.1f + %.1f, bus %.1f)\n",
	       r.pred, (unsigned long long)r.cycles,
	       (double)r.cycles * (double)p.chip.period_ps * 1e-6,
	       r.energy_j * 1e12, r.e_chip_j[0] * 1e12, r.e_chip_j[1] * 1e12,
	       r.e_chip_j[2] * 1e12, r.e_bus_j * 1e12);
	rc = tb_args_finish(&a, g);
	sim_gtkw_free(g);
	tb_args_free(&a);
	return rc;
}
