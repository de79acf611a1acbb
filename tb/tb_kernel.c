/*
 * tb_kernel.c - kernel testbench: a 4-bit counter, a divided clock, a
 * 128-bit shift register and an RC "bitline" discharging between clock
 * edges, all traced to waves/kernel.vcd (open with waves/kernel.gtkw).
 *
 * Usage: tb_kernel [VCD path] [cycles]
 */
#include "tb_kernel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/sim.h"

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
	if (!tr) {
		fprintf(stderr, "tb_kernel: %s\n", sim_error(sim));
		sim_free(sim);
		return 1;
	}
	sim_trace_add(tr, tb.clk, "tb.clk");
	sim_trace_add(tr, tb.rst, "tb.rst");
	sim_trace_add(tr, tb.count, "tb.counter.count");
	sim_trace_add(tr, tb.div2, "tb.counter.div2");
	sim_trace_add(tr, tb.shift, "tb.shift.q");
	sim_trace_add(tr, tb.v_bl, "tb.analog.v_bl");

	int rc = sim_run(sim, (sim_time_t)cycles * 20 * SIM_NS);
	if (rc == SIM_OK)
		rc = sim_trace_close(tr);
	if (rc != SIM_OK) {
		fprintf(stderr, "tb_kernel: %s\n", sim_error(sim));
		sim_free(sim);
		return 1;
	}
	printf("tb_kernel: %ld cycles, %llu deltas, %llu activations, "
	       "final count %llu -> %s\n",
	       cycles, (unsigned long long)sim_delta_count(sim),
	       (unsigned long long)sim_activation_count(sim),
	       (unsigned long long)sim_vec_read_u64(tb.count), path);
	sim_free(sim);
	return 0;
}

#ifndef TB_KERNEL_NO_MAIN
int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "waves/kernel.vcd";
	long cycles = argc > 2 ? strtol(argv[2], NULL, 10) : 40;
	if (cycles <= 0 || cycles > 100000000) {
		fprintf(stderr, "tb_kernel: cycles must be 1..1e8, got %s\n",
			argv[2]);
		return 2;
	}
	return tb_kernel_run(path, cycles);
}
#endif
