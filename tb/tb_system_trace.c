/*
 * tb_system_trace.c - one inference of the whole four-chip system to VCD.
 *
 * Builds the default system (layers on chips 0, 1, 2; chip 3 calibrated
 * and idle), loads a random network through the SRAM write ports,
 * calibrates the four chips in parallel, writes the thresholds into the
 * compensation rows, then streams one random 5-bit image host -> bus0 ->
 * chip0 -> bus1 -> chip1 -> bus2 -> chip2 -> bus3 -> host. The VCD has
 * the buses, every chip's sequencer / SRAM / calibration signals and the
 * BL/BLB analog traces of columns 0 and 1 of each chip (sys_trace_one()).
 *
 * Usage: tb_system_trace [VCD path (default waves/system.vcd)] [seed]
 * Open:  gtkwave waves/system.vcd waves/system.gtkw
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "kernel/rng.h"
#include "system/system.h"

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "waves/system.vcd";
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
	if (argc <= 1 && mkdir("waves", 0777) && errno != EEXIST) {
		perror("tb_system_trace: waves/");
		return 1;
	}
	sys_params_t p;
	sys_net_t net;
	sys_result_t r;
	uint8_t img[96];
	char msg[320];
	sys_params_default(&p);
	p.seed = seed;
	sys_net_init(&net);
	sys_net_random(&net, seed, 4);
	for (unsigned i = 0; i < 96; i++)
		img[i] = (uint8_t)(rng_u64(seed, RNG_STREAM_TEST, 77, i, 0) &
				   31);
	int rc = sys_trace_one(&p, &net, img, 2, path, &r, msg, sizeof msg);
	if (rc) {
		fprintf(stderr, "tb_system_trace: %s\n", msg);
		return 1;
	}
	printf("tb_system_trace: wrote %s\n", path);
	printf("scores:");
	for (unsigned k = 0; k < p.readout.nclass; k++)
		printf(" %u", r.score[k]);
	printf("\npredicted class %u, latency %llu cycles (%.2f us), "
	       "%.1f pJ (chips %.1f + %.1f + %.1f, bus %.1f)\n",
	       r.pred, (unsigned long long)r.cycles,
	       (double)r.cycles * (double)p.chip.period_ps * 1e-6,
	       r.energy_j * 1e12, r.e_chip_j[0] * 1e12, r.e_chip_j[1] * 1e12,
	       r.e_chip_j[2] * 1e12, r.e_bus_j * 1e12);
	return 0;
}
