/*
 * tb_kernel.c - kernel testbench: a 4-bit counter, a divided clock, a
 * 128-bit shift register and an RC "bitline" discharging between clock
 * edges, all traced to kernel.vcd with its save file kernel.gtkw beside it
 * (the save file is written by the code that traces, tb_kernel_run). The
 * registers are method processes; the stimulus and the analog node are
 * thread processes (sim_thread_new + sim_wait_*), the style of a SystemC
 * testbench. -o NAME.fst writes FST instead of VCD.
 *
 * Usage: tb_kernel [-o PATH] [--cycles N] [--seed N] [--help]
 */
#include "tb_kernel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/gtkw.h"
#include "kernel/sim.h"
#include "tb_args.h"

typedef struct tb {
	sim_signal_t *clk, *rst, *count, *div2, *shift, *v_bl;
} tb_t;

/* Synchronous counter with a divided-by-two output. */
static void counter(sim_proc_t *self, void *ctx)
{
	(void)self;
	tb_t *tb = ctx;
	if (sim_bit_read(tb->rst)) {
		sim_vec_write_u64(tb->count, 0);
		return;
	}
	uint64_t n = (sim_vec_read_u64(tb->count) + 1) & 0xf;
	sim_vec_write_u64(tb->count, n);
	sim_bit_write(tb->div2, !sim_bit_read(tb->div2));
}

/* 128-bit shift register fed by the counter's LSB. */
static void shifter(sim_proc_t *self, void *ctx)
{
	(void)self;
	tb_t *tb = ctx;
	const uint64_t *w = sim_vec_read(tb->shift);
	uint64_t n[2] = { (w[0] << 1) | (sim_vec_read_u64(tb->count) & 1),
			  (w[1] << 1) | (w[0] >> 63) };
	sim_vec_write(tb->shift, n);
}

/* The bitline, written as a thread process (SystemC's SC_THREAD style):
 * at every rising edge it is precharged, then it discharges through a
 * constant current, sampled every 1 ns until just before the next edge
 * (the way the chip model draws analog waveforms). */
static void bitline(sim_thread_t *t, void *ctx)
{
	tb_t *tb = ctx;
	for (;;) {
		if (sim_wait_pos(t, tb->clk) < 0)
			return;
		for (int k = 0; k < 20; k++) {
			sim_real_write(tb->v_bl, 1.2 * exp(-(double)k / 8.0));
			if (k < 19 && sim_wait_time(t, SIM_NS) < 0)
				return;
		}
	}
}

/* The stimulus, a thread: reset held, released at 45 ns. */
static void stimulus(sim_thread_t *t, void *ctx)
{
	tb_t *tb = ctx;
	sim_bit_write(tb->rst, true);
	sim_wait_time(t, 45 * SIM_NS);
	sim_bit_write(tb->rst, false);
	/* returning ends the thread; the kernel frees its stack */
}

int tb_kernel_run(const char *path, long cycles)
{
	sim_t *sim = sim_new(NULL);
	tb_t tb = { 0 };
	tb.clk = sim_clock_new(sim, "clk", 20 * SIM_NS, 50, 10 * SIM_NS, true);
	tb.rst = sim_bit_new(sim, "rst", true);
	tb.count = sim_vec_new(sim, "count", 4, NULL);
	tb.div2 = sim_bit_new(sim, "div2", false);
	tb.shift = sim_vec_new(sim, "shift", 128, NULL);
	tb.v_bl = sim_real_new(sim, "v_bl", 1.2);

	sim_proc_t *p = sim_method_new(sim, "counter", counter, &tb);
	sim_sensitive_pos(p, tb.clk);
	sim_proc_dont_initialize(p);
	p = sim_method_new(sim, "shifter", shifter, &tb);
	sim_sensitive_pos(p, tb.clk);
	sim_proc_dont_initialize(p);
	sim_thread_t *th = sim_thread_new(sim, "bitline", bitline, &tb);
	if (th && !sim_thread_new(sim, "stimulus", stimulus, &tb))
		th = NULL;

	/* the name picks the format: .vcd or .fst */
	sim_trace_t *tr = th ? sim_trace_open(sim, path) : NULL;
	sim_gtkw_t *g = sim_gtkw_new("imcsim kernel testbench (tb_kernel)");
	char *gtkw = sim_gtkw_path_for(path);
	int rc = !tr || !g || !gtkw;
	if (!rc)
		rc = sim_gtkw_comment(g,
				      "counter, divided clock, 128-bit shift "
				      "register, an RC node") ||
		     sim_gtkw_group(g, "clock and reset", 0) ||
		     sim_gtkw_trace(g, tr, tb.clk, "tb.clk", SIM_GTKW_BIN,
				    NULL) ||
		     sim_gtkw_trace(g, tr, tb.rst, "tb.rst", SIM_GTKW_BIN,
				    NULL) ||
		     sim_gtkw_group_end(g) || sim_gtkw_group(g, "counter", 0) ||
		     sim_gtkw_trace(g, tr, tb.count, "tb.counter.count",
				    SIM_GTKW_DEC, NULL) ||
		     sim_gtkw_trace(g, tr, tb.div2, "tb.counter.div2",
				    SIM_GTKW_BIN, NULL) ||
		     sim_gtkw_group_end(g) ||
		     sim_gtkw_group(g, "shift register", 0) ||
		     sim_gtkw_trace(g, tr, tb.shift, "tb.shift.q", SIM_GTKW_HEX,
				    NULL) ||
		     sim_gtkw_group_end(g) ||
		     sim_gtkw_group(g, "analog node (1 ns samples)", 0) ||
		     sim_gtkw_trace(g, tr, tb.v_bl, "tb.analog.v_bl",
				    SIM_GTKW_ANALOG, NULL) ||
		     sim_gtkw_blank(g, 3) || sim_gtkw_group_end(g);
	if (rc) {
		fprintf(stderr, "tb_kernel: %s\n",
			!tr ? sim_error(sim) : "out of memory");
		sim_gtkw_free(g);
		free(gtkw);
		sim_free(sim);
		return 1;
	}
	/* the whole run: reset, then the counter wrapping */
	sim_time_t t_end = (sim_time_t)cycles * 20 * SIM_NS;
	/* the first 32 cycles (or all): reset, the counter wrapping; the run
	 * is long enough for all GTKWave shows of it */
	sim_time_t w = t_end * 8 / 10;
	sim_gtkw_window(g, 0, w < 640 * SIM_NS ? w : 640 * SIM_NS);
	sim_gtkw_marker(g, 45 * SIM_NS, "reset released");

	rc = sim_run(sim, t_end);
	if (rc == SIM_OK)
		rc = sim_trace_close(tr);
	if (rc != SIM_OK) {
		fprintf(stderr, "tb_kernel: %s\n", sim_error(sim));
		sim_gtkw_free(g);
		free(gtkw);
		sim_free(sim);
		return 1;
	}
	if (sim_gtkw_write(g, gtkw, path)) {
		fprintf(stderr, "tb_kernel: %s\n", imc_last_error());
		rc = 1;
	} else {
		printf("tb_kernel: %ld cycles, %llu deltas, %llu activations, "
		       "final count %llu -> %s\n  open with: gtkwave %s\n",
		       cycles, (unsigned long long)sim_delta_count(sim),
		       (unsigned long long)sim_activation_count(sim),
		       (unsigned long long)sim_vec_read_u64(tb.count), path,
		       gtkw);
	}
	sim_gtkw_free(g);
	free(gtkw);
	sim_free(sim);
	return rc;
}

#ifndef TB_KERNEL_NO_MAIN
int main(int argc, char **argv)
{
	const char *cyc = "40";
	const tb_opt_t opts[] = {
		{ "cycles", "N", "50 MHz cycles to simulate (default 40)", NULL,
		  &cyc },
	};
	tb_args_t a;
	int rc = tb_args_parse(&a, argc, argv, "tb_kernel", "kernel.vcd",
			       "The kernel testbench: a counter, a divided "
			       "clock, a 128-bit shift register and an RC\n"
			       "node on the event kernel (no random draws: "
			       "--seed is accepted and unused).",
			       opts, 1);
	if (rc)
		return rc == 1 ? 0 : 2;
	uint64_t cycles;
	if (tb_args_uint(&a, "--cycles", cyc, 1, 100000000, &cycles)) {
		tb_args_free(&a);
		return 2;
	}
	rc = tb_kernel_run(a.out, (long)cycles);
	tb_args_free(&a);
	return rc;
}
#endif
