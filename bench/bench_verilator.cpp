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
 *
 * Built with -DBENCH_VL_TRACE (and verilator --trace), the program runs
 * `pipeline_vcd [cycles]` instead: the same loop with Verilator's own VCD
 * writer (VerilatedVcdC) dumping after each posedge into
 * $TMPDIR/imcsim-bench-verilator-<pid>.vcd, closed inside the timed
 * region and deleted afterwards, as bench_kernel's pipeline_vcd does; the
 * result line adds vcd_bytes= and changes= (N+1 per posedge: the
 * registers and the output val, which follows q[0]).
 */
#include "Vbench_ring.h"
#include "verilated.h"
#ifdef BENCH_VL_TRACE
#include "verilated_vcd_c.h"

#include <sys/stat.h>
#include <unistd.h>
#define BENCH_VL_SCEN "pipeline_vcd"
#else
#define BENCH_VL_SCEN "pipeline"
#endif

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

	if (argc < 2 || argc > 3 || strcmp(argv[1], BENCH_VL_SCEN)) {
		fprintf(stderr, "usage: %s " BENCH_VL_SCEN " [cycles]\n",
			argv[0]);
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
#ifdef BENCH_VL_TRACE
	ctx.traceEverOn(true);
#endif
	Vbench_ring top{ &ctx };

	top.clk = 0;
	top.sel = 0;
	top.eval(); /* initial blocks */
#ifdef BENCH_VL_TRACE
	VerilatedVcdC vcd;
	char path[4096];
	const char *dir = getenv("TMPDIR");

	snprintf(path, sizeof path, "%s/imcsim-bench-verilator-%ld.vcd",
		 dir && *dir ? dir : "/tmp", (long)getpid());
	top.trace(&vcd, 99);
	vcd.open(path);
	if (!vcd.isOpen()) {
		fprintf(stderr, "bench_verilator: cannot open %s\n", path);
		return 1;
	}
#endif

	bench_timer_t tm;
	bench_timer_start(&tm);
	for (unsigned long k = 0; k < cycles; k++) {
		top.clk = 1;
		top.eval();
#ifdef BENCH_VL_TRACE
		vcd.dump((uint64_t)k * BENCH_PIPE_PERIOD_NS * 1000u);
#endif
		top.clk = 0;
		top.eval();
	}
#ifdef BENCH_VL_TRACE
	vcd.close();
#endif
	bench_timer_stop(&tm);

	uint64_t h = bench_mix(0, cycles);
	for (unsigned i = 0; i < BENCH_RING_N; i++) {
		top.sel = i;
		top.eval();
		uint32_t v = top.val;
		uint32_t want =
			bench_pipe_expect(i, BENCH_RING_N, (unsigned)cycles);

		if (v != want) {
			fprintf(stderr,
				"bench_verilator: reg %u = %u, expected %u\n",
				i, v, want);
			return 1;
		}
		h = bench_mix(h, v);
	}
	top.final();
	printf("result scenario=" BENCH_VL_SCEN " elapsed_s=%.6f cpu_s=%.6f "
	       "user_s=%.6f sys_s=%.6f checksum=%016llx",
	       tm.wall_s, tm.cpu_s, tm.user_s, tm.sys_s, (unsigned long long)h);
#ifdef BENCH_VL_TRACE
	struct stat st;
	int serr = stat(path, &st);

	unlink(path);
	if (serr != 0) {
		fprintf(stderr, "\nbench_verilator: %s vanished\n", path);
		return 1;
	}
	printf(" vcd_bytes=%lld changes=%llu", (long long)st.st_size,
	       (unsigned long long)cycles * (BENCH_RING_N + 1u));
#endif
	printf("\n");
	return 0;
}
