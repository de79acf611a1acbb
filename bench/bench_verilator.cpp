/*
 * bench_verilator.cpp - the harness of bench_ring.v: the pipeline scenario
 * of bench_kernel.c compiled by Verilator, so `make bench` keeps the gap
 * between the event kernel and compiled simulation in view.
 *
 * Contract: `bench_verilator pipeline [cycles]` (the command line of
 * bench_kernel, one scenario) runs `cycles` posedges (default
 * BENCH_PIPE_CYCLES) of a ring of BENCH_RING_N registers (the model's
 * parameter N, 1000 as bench_kernel's pipeline), checks every register
 * against bench_pipe_expect() and prints bench_common.h's result line with
 * the same checksum as `bench_kernel pipeline cycles 1000`. The timed
 * region is the clock loop only (eval of each edge).
 */
#include "Vbench_ring.h"
#include "verilated.h"

#include "bench_common.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#ifndef BENCH_RING_N
#define BENCH_RING_N 1000u
#endif

int main(int argc, char **argv)
{
	unsigned long cycles = BENCH_PIPE_CYCLES;

	if (argc < 2 || argc > 3 || strcmp(argv[1], "pipeline")) {
		fprintf(stderr, "usage: %s pipeline [cycles]\n", argv[0]);
		return 2;
	}
	if (argc == 3) {
		char *end;

		cycles = strtoul(argv[2], &end, 10);
		if (*end || cycles == 0 || cycles > 0xffffffffu) {
			fprintf(stderr, "bench_verilator: bad cycles '%s'\n",
				argv[2]);
			return 2;
		}
	}
	VerilatedContext ctx;
	Vbench_ring top{ &ctx };

	top.clk = 0;
	top.sel = 0;
	top.eval(); /* initial blocks */

	bench_timer_t tm;
	bench_timer_start(&tm);
	for (unsigned long k = 0; k < cycles; k++) {
		top.clk = 1;
		top.eval();
		top.clk = 0;
		top.eval();
	}
	bench_timer_stop(&tm);

	uint64_t h = bench_mix(0, cycles);
	for (unsigned i = 0; i < BENCH_RING_N; i++) {
		top.sel = i;
		top.eval();
		uint32_t v = top.val;
		uint32_t want = bench_pipe_expect(i, BENCH_RING_N,
						  (unsigned)cycles);

		if (v != want) {
			fprintf(stderr,
				"bench_verilator: reg %u = %u, expected %u\n",
				i, v, want);
			return 1;
		}
		h = bench_mix(h, v);
	}
	top.final();
	printf("result scenario=pipeline elapsed_s=%.6f cpu_s=%.6f "
	       "checksum=%016llx\n",
	       tm.wall_s, tm.cpu_s, (unsigned long long)h);
	return 0;
}
