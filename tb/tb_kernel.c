/*
 * tb_kernel.c - kernel testbench: a 4-bit counter, a divided clock, a
 * 128-bit shift register and an RC "bitline" discharging between clock
 * edges, all traced to kernel.vcd with its save file kernel.gtkw beside it
 * (the save file is written by the code that traces, tb_kernel_run).
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
	sim_time_t t_pre;
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

/* The bitline: precharged on the rising edge, discharging through a
 * constant current until the next one, sampled every 1 ns by its own
 * dynamic trigger (the way the chip model draws analog waveforms). */
static void bitline(sim_proc_t *self, void *ctx)
{
	tb_t *tb = ctx;
	sim_t *sim = sim_proc_sim(self);
	sim_time_t now = sim_time(sim);
	if (sim_sig_event(tb->clk) && sim_bit_read(tb->clk))
		tb->t_pre = now;
	double t_ns = (double)(now - tb->t_pre) / 1000.0;
	sim_real_write(tb->v_bl, 1.2 * exp(-t_ns / 8.0));
	if (now - tb->t_pre < 19 * SIM_NS)
		sim_next_trigger_time(self, SIM_NS);
}

static void release_reset(sim_proc_t *self, void *ctx)
{
	(void)self;
	tb_t *tb = ctx;
	sim_bit_write(tb->rst, sim_time(sim_proc_sim(self)) == 0);
	if (sim_time(sim_proc_sim(self)) == 0)
		sim_next_trigger_time(self, 45 * SIM_NS);
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
	p = sim_method_new(sim, "bitline", bitline, &tb);
	sim_sensitive_pos(p, tb.clk);
	sim_proc_dont_initialize(p);
	sim_method_new(sim, "reset", release_reset, &tb);

	sim_trace_t *tr = sim_trace_vcd_open(sim, path);
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
			tr ? sim_error(sim) : "out of memory");
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
	char err[512];
	if (sim_gtkw_write(g, gtkw, path, err, sizeof err)) {
		fprintf(stderr, "tb_kernel: %s\n", err);
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
