/*
 * tb_classify.c - one classify operation on one chip, cycle by cycle.
 *
 * Loads random weights (one row per cycle), calibrates, then runs one
 * classify of a random 5-bit input vector with the compensation wordline on.
 * The VCD shows the wordline codes, precharge, the wordline pulse, BL/BLB of
 * a few columns as analog traces (sampled every 500 ps), the comparator
 * strobe and the decisions. Prints the decisions against the ideal sign and
 * the energy of the classify operation.
 *
 * Usage: tb_classify [VCD path (default waves/classify.vcd)] [seed]
 * Open:  gtkwave waves/classify.vcd waves/classify.gtkw
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chip/chip.h"
#include "kernel/rng.h"

static const unsigned traced[] = { 0, 1, 2, 3, 17, 64 };
#define NTRACED (sizeof traced / sizeof traced[0])

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "waves/classify.vcd";
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
	if (argc <= 1 && mkdir("waves", 0777) && errno != EEXIST) {
		perror("tb_classify: waves/");
		return 1;
	}
	sim_t *sim = sim_new(NULL);
	chip_params_t p;
	chip_params_default(&p);
	p.ntrace = NTRACED;
	memcpy(p.trace_col, traced, sizeof traced);
	int err;
	chip_t *c = chip_new(sim, &p, seed, 0, "chip0", NULL, &err);
	sim_trace_t *tr = c ? sim_trace_vcd_open(sim, path) : NULL;
	if (!c || !tr || chip_trace(c, tr, "top.chip0")) {
		fprintf(stderr, "tb_classify: %s\n",
			c ? sim_error(sim) : "bad chip parameters");
		return 1;
	}
	uint64_t w[2];
	for (unsigned r = 0; r < 96; r++) {
		w[0] = rng_u64(seed, RNG_STREAM_TEST, r, 0, 1);
		w[1] = rng_u64(seed, RNG_STREAM_TEST, r, 1, 1);
		chip_write_row(c, r, w);
	}
	chip_calibrate(c);
	int rc = chip_run_until_idle(c, 100000);
	energy_t e0 = *chip_energy(c);
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
	if (!rc)
		rc = sim_run(sim, 2 * p.period_ps); /* a quiet tail */
	if (!rc)
		rc = sim_trace_close(tr);
	if (rc) {
		fprintf(stderr, "tb_classify: %s\n", sim_error(sim));
		return 1;
	}
	const energy_t *e = chip_energy(c);
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
	printf("  VCD: %s (gtkwave %s waves/classify.gtkw)\n", path, path);
	sim_free(sim);
	chip_free(c);
	return 0;
}
