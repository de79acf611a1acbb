/* conf_imcsim.c - the conformance scenarios on imcsim's kernel (sim.h); the
 * same scenarios on SystemC 2.3.4 are in conf_systemc.cpp, in the same
 * order and under the same names. Each prints a trace of
 * "t=<ps> d=<sim_delta_count> <who> <values>" lines; run.sh compares the
 * two per (time, delta). sim_start() stands for sc_start(d) and
 * sim_run_to_starvation() for sc_start(); run_through_end_time uses
 * sim_run(), whose documented difference the SystemC side spells out.
 *
 *   conf_imcsim SCENARIO
 * Exit status 1 if a kernel call failed unexpectedly. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/sim.h"

/* One scenario runs per process: its objects live here. */
static sim_t *K;
static sim_signal_t *S[24];
static sim_event_t *E[24];
static int N[24];
static int n0, made;

static void tr(const char *who, const char *fmt, ...)
{
	printf("t=%llu d=%llu %s", (unsigned long long)sim_time(K),
	       (unsigned long long)sim_delta_count(K), who);
	if (fmt && *fmt) {
		va_list ap;
		va_start(ap, fmt);
		putchar(' ');
		vprintf(fmt, ap);
		va_end(ap);
	}
	putchar('\n');
}

static void check(int rc, const char *what)
{
	if (rc != SIM_OK) {
		fprintf(stderr, "conf_imcsim: %s: %s\n", what, sim_error(K));
		exit(1);
	}
}

/* A method process: ctx is its index i (an int smuggled in the pointer),
 * sensitive to up to two events; init false means dont_initialize. */
static void meth(const char *name, sim_method_fn fn, int i, sim_event_t *a,
		 sim_event_t *b, int init)
{
	sim_proc_t *p = sim_method_new(K, name, fn, (void *)(intptr_t)i);
	if (!p)
		check(SIM_ERR_NOMEM, name);
	if (a)
		check(sim_sensitive(p, a), name);
	if (b)
		check(sim_sensitive(p, b), name);
	if (!init)
		sim_proc_dont_initialize(p);
}

static int idx(void *ctx)
{
	return (int)(intptr_t)ctx;
}

static void end(void)
{
	tr("end", "");
}

static void start(sim_time_t d)
{
	check(sim_start(K, d), "sim_start");
}

static void starve(void)
{
	check(sim_run_to_starvation(K), "sim_run_to_starvation");
}

static sim_signal_t *u32(const char *n)
{
	return sim_vec_new(K, n, 32, NULL);
}

static sim_event_t *ev(const char *n)
{
	return sim_event_new(K, n);
}

/* ---- the scenarios ------------------------------------------------------ */

static void wv_p(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	sim_vec_write_u64(S[0], 5);
	tr("p", "read=%u", (unsigned)sim_vec_read_u64(S[0]));
}

static void wv_q(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	tr("q", "s=%u", (unsigned)sim_vec_read_u64(S[0]));
}

static void write_visible_next_delta(void)
{
	S[0] = u32("s");
	meth("p", wv_p, 0, NULL, NULL, 1);
	meth("q", wv_q, 0, sim_sig_changed(S[0]), NULL, 0);
	starve();
	end();
}

static void cc_inv(sim_proc_t *self, void *ctx)
{
	(void)self;
	int i = idx(ctx);
	sim_bit_write(S[i + 1], !sim_bit_read(S[i]));
	tr("inv", "%d in=%d", i, (int)sim_bit_read(S[i]));
}

static void comb_chain(void)
{
	S[0] = sim_bit_new(K, "s0", false);
	for (int i = 0; i < 5; i++) {
		S[i + 1] = sim_bit_new(K, "s", false);
		sim_bit_write(S[i + 1], i % 2 == 0);
		meth("inv", cc_inv, i, sim_sig_changed(S[i]), NULL, 0);
	}
	sim_bit_write(S[0], true);
	starve();
	for (int i = 0; i < 6; i++)
		tr("final", "%d=%d", i, (int)sim_bit_read(S[i]));
	end();
}

static void ip_reader(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	tr("reader", "s=%u", (unsigned)sim_vec_read_u64(S[0]));
}

static void init_phase_write(void)
{
	S[0] = u32("s");
	meth("reader", ip_reader, 0, sim_sig_changed(S[0]), NULL, 1);
	sim_vec_write_u64(S[0], 42);
	starve();
	end();
}

static void say(sim_proc_t *self, void *ctx)
{
	(void)ctx;
	tr(sim_proc_name(self), "");
}

static void init_delta_notify(void)
{
	E[0] = ev("e");
	meth("woken", say, 0, E[0], NULL, 0);
	sim_event_notify_delta(E[0]);
	starve();
	end();
}

static void dont_initialize(void)
{
	E[0] = ev("e");
	meth("init", say, 0, E[0], NULL, 1);
	meth("noinit", say, 0, E[0], NULL, 0);
	starve();
	sim_event_notify_at(E[0], 5);
	starve();
	end();
}

static void is_notifier(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	tr("notifier", "");
	sim_event_notify(E[0]);
}

static void immediate_same_delta(void)
{
	E[0] = ev("e");
	meth("notifier", is_notifier, 0, NULL, NULL, 1);
	meth("waiter", say, 0, E[0], NULL, 0);
	starve();
	end();
}

static void self_body(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	tr("self", "n=%d", ++n0);
	sim_event_notify(E[0]);
}

static void immediate_self_ignored(void)
{
	E[0] = ev("e");
	meth("self", self_body, 0, E[0], NULL, 1);
	starve();
	end();
}

static void pp_body(sim_proc_t *self, void *ctx)
{
	(void)self;
	int i = idx(ctx);
	tr(i ? "b" : "a", "n=%d", n0);
	if (++n0 < 60)
		sim_event_notify(E[!i]);
}

static void immediate_pingpong(void)
{
	E[0] = ev("a");
	E[1] = ev("b");
	meth("a", pp_body, 0, E[0], NULL, 1);
	meth("b", pp_body, 1, E[1], NULL, 0);
	starve();
	end();
}

static void ring_body(sim_proc_t *self, void *ctx)
{
	(void)self;
	int i = idx(ctx);
	N[i]++;
	if (++n0 % 32 != 0)
		sim_event_notify(E[(i + 1) % 16]);
}

static void clocked_immediate_ring(void)
{
	sim_signal_t *clk = sim_clock_new(K, "clk", 10, 50, 5, true);
	for (int i = 0; i < 16; i++)
		E[i] = ev("e");
	for (int i = 0; i < 16; i++)
		meth("m", ring_body, i, E[i], i ? NULL : sim_sig_posedge(clk),
		     0);
	start(29);
	for (int i = 0; i < 16; i++)
		tr("runs", "%d=%d", i, N[i]);
	end();
}

static void chain_body(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	tr("chain", "n=%d", n0);
	if (++n0 < 5)
		sim_event_notify_delta(E[0]);
}

static void delta_notify_chain(void)
{
	E[0] = ev("e");
	meth("chain", chain_body, 0, E[0], NULL, 1);
	starve();
	end();
}

static void timed_override(void)
{
	E[0] = ev("e");
	meth("w", say, 0, E[0], NULL, 0);
	sim_event_notify_at(E[0], 50);
	sim_event_notify_at(E[0], 30);
	sim_event_notify_at(E[0], 70);
	starve();
	end();
}

static void dbt_n(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	sim_event_notify_at(E[0], 100);
	sim_event_notify_delta(E[0]);
}

static void delta_beats_timed(void)
{
	E[0] = ev("e");
	meth("w", say, 0, E[0], NULL, 0);
	meth("n", dbt_n, 0, NULL, NULL, 1);
	starve();
	end();
}

static void icp_n(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	sim_event_notify_at(E[0], 10);
	sim_event_notify(E[0]);
}

static void immediate_cancels_pending(void)
{
	E[0] = ev("e");
	meth("w", say, 0, E[0], NULL, 0);
	meth("n", icp_n, 0, NULL, NULL, 1);
	starve();
	end();
}

static void say_tag(sim_proc_t *self, void *ctx)
{
	(void)ctx;
	tr(sim_proc_name(self), "%s",
	   sim_proc_name(self)[0] == 'w' ? "e" : "f");
}

static void cancel_timed(void)
{
	E[0] = ev("e");
	E[1] = ev("f");
	meth("w", say_tag, 0, E[0], NULL, 0);
	meth("v", say_tag, 0, E[1], NULL, 0);
	sim_event_notify_at(E[0], 10);
	sim_event_notify_at(E[1], 20);
	sim_event_cancel(E[0]);
	starve();
	end();
}

static void w_idx(sim_proc_t *self, void *ctx)
{
	(void)self;
	tr("w", "%d", idx(ctx));
}

static void cdk_n(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	for (int i = 0; i < 5; i++)
		sim_event_notify_delta(E[i]);
	sim_event_cancel(E[1]);
	sim_event_cancel(E[3]);
}

static void cancel_delta_keeps_rest(void)
{
	for (int i = 0; i < 5; i++) {
		E[i] = ev("e");
		meth("w", w_idx, i, E[i], NULL, 0);
	}
	meth("n", cdk_n, 0, NULL, NULL, 1);
	starve();
	end();
}

static void same_time_events(void)
{
	for (int i = 0; i < 4; i++) {
		E[i] = ev("e");
		meth("w", w_idx, i, E[i], NULL, 0);
	}
	sim_event_notify_at(E[2], 100);
	sim_event_notify_at(E[0], 100);
	sim_event_notify_at(E[3], 100);
	sim_event_notify_at(E[1], 100);
	starve();
	end();
}

static void ntt_p(sim_proc_t *self, void *ctx)
{
	(void)ctx;
	tr("p", "n=%d", n0);
	if (n0++ == 0)
		sim_next_trigger_time(self, 25);
}

static void next_trigger_time(void)
{
	E[0] = ev("stat");
	meth("p", ntt_p, 0, E[0], NULL, 1);
	sim_event_notify_at(E[0], 10);
	start(30);
	sim_event_notify_at(E[0], 5);
	start(10);
	end();
}

static void nte_p(sim_proc_t *self, void *ctx)
{
	(void)ctx;
	tr("p", "n=%d", n0);
	if (n0++ == 0)
		sim_next_trigger_event(self, E[1]);
}

static void next_trigger_event(void)
{
	E[0] = ev("stat");
	E[1] = ev("dyn");
	meth("p", nte_p, 0, E[0], NULL, 1);
	sim_event_notify_at(E[0], 10);
	sim_event_notify_at(E[1], 20);
	start(30);
	sim_event_notify_at(E[0], 5);
	start(10);
	end();
}

static void ntl_p(sim_proc_t *self, void *ctx)
{
	(void)ctx;
	tr("p", "n=%d", n0);
	if (n0++ == 0) {
		sim_next_trigger_time(self, 5);
		sim_next_trigger_event(self, E[0]);
	}
}

static void next_trigger_last_wins(void)
{
	E[0] = ev("e");
	meth("p", ntl_p, 0, NULL, NULL, 1);
	sim_event_notify_at(E[0], 20);
	starve();
	end();
}

static void nts_p(sim_proc_t *self, void *ctx)
{
	(void)ctx;
	tr("p", "n=%d", n0);
	if (n0++ == 0) {
		sim_next_trigger_event(self, E[1]);
		sim_event_notify(E[1]);
	}
}

static void nts_kick(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	sim_event_notify(E[1]);
}

static void next_trigger_self_notify(void)
{
	E[0] = ev("stat");
	E[1] = ev("e");
	E[2] = ev("kick");
	meth("p", nts_p, 0, E[0], NULL, 1);
	meth("kick", nts_kick, 0, E[2], NULL, 0);
	sim_event_notify_at(E[0], 10);
	sim_event_notify_at(E[2], 20);
	starve();
	end();
}

static void clk_say(sim_proc_t *self, void *ctx)
{
	(void)ctx;
	tr(sim_proc_name(self), "clk=%d", (int)sim_bit_read(S[0]));
}

static void posedge_negedge(void)
{
	S[0] = sim_clock_new(K, "clk", 20, 50, 0, true);
	meth("pos", clk_say, 0, sim_sig_posedge(S[0]), NULL, 0);
	meth("neg", clk_say, 0, sim_sig_negedge(S[0]), NULL, 0);
	meth("any", clk_say, 0, sim_sig_changed(S[0]), NULL, 0);
	start(75);
	end();
}

static void e0_src(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	sim_bit_write(S[1], true);
}

static void e0_comb(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	sim_bit_write(S[2], sim_bit_read(S[1]));
}

static void e0_reg(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	tr("reg", "d=%d", (int)sim_bit_read(S[2]));
	sim_bit_write(S[3], sim_bit_read(S[2]));
}

static void clock_edge_at_zero(void)
{
	S[0] = sim_clock_new(K, "clk", 10, 50, 0, true);
	S[1] = sim_bit_new(K, "x", false);
	S[2] = sim_bit_new(K, "d", false);
	S[3] = sim_bit_new(K, "q", false);
	meth("src", e0_src, 0, NULL, NULL, 1);
	meth("comb", e0_comb, 0, sim_sig_changed(S[1]), NULL, 0);
	meth("reg", e0_reg, 0, sim_sig_posedge(S[0]), NULL, 0);
	start(25);
	tr("final", "q=%d d=%d", (int)sim_bit_read(S[3]),
	   (int)sim_bit_read(S[2]));
	end();
}

static void edge_watch(sim_signal_t *clk, sim_time_t run)
{
	S[0] = clk;
	if (!clk)
		check(SIM_ERR_ARG, "clock");
	meth("edge", clk_say, 0, sim_sig_changed(clk), NULL, 0);
	start(run);
	end();
}

static void clock_negfirst_offset(void)
{
	sim_signal_t *clk = sim_clock_new_ps(K, "clk", 7, 2, 3, false);
	S[0] = clk;
	tr("init", "clk=%d", (int)sim_bit_read(clk));
	edge_watch(clk, 30);
}

static void clock_round_half(void)
{
	edge_watch(sim_clock_new(K, "clk", 15, 50, 0, true), 50);
}

static void clock_duty_30(void)
{
	edge_watch(sim_clock_new(K, "clk", 10 * SIM_NS, 30, SIM_NS, true),
		   35 * SIM_NS);
}

static void seq_writer(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	sim_bit_write(S[0], true);
}

static void seq_say(sim_proc_t *self, void *ctx)
{
	(void)ctx;
	tr(sim_proc_name(self), "event=%d", (int)sim_sig_event(S[0]));
}

static void sig_event_query(void)
{
	S[0] = sim_bit_new(K, "s", false);
	E[0] = ev("later");
	meth("writer", seq_writer, 0, NULL, NULL, 1);
	meth("watch", seq_say, 0, sim_sig_changed(S[0]), NULL, 0);
	meth("late", seq_say, 0, E[0], NULL, 0);
	sim_event_notify_at(E[0], 10);
	starve();
	end();
}

static void re_watch(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	tr("watch", "r=%.17g", sim_real_read(S[0]));
}

static void re_writer(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	const double seq[] = { -0.0, NAN, NAN, 1.5, 1.5, 0.0 };
	sim_real_write(S[0], seq[n0]);
	if (++n0 < 6)
		sim_event_notify_at(E[0], 10);
}

static void real_equality(void)
{
	S[0] = sim_real_new(K, "r", 0.0);
	E[0] = ev("step");
	meth("watch", re_watch, 0, sim_sig_changed(S[0]), NULL, 0);
	meth("writer", re_writer, 0, E[0], NULL, 1);
	starve();
	end();
}

static void bv_watch(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	const uint64_t *w = sim_vec_read(S[0]);
	tr("watch", "hi=%016llx lo=%016llx", (unsigned long long)w[1],
	   (unsigned long long)w[0]);
}

static void bv_writer(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	uint64_t w[2] = { 8, UINT64_C(1) << 63 };
	sim_vec_write(S[0], w);
}

static void bitvector_128(void)
{
	S[0] = sim_vec_new(K, "v", 128, NULL);
	E[0] = ev("go");
	meth("watch", bv_watch, 0, sim_sig_changed(S[0]), NULL, 0);
	meth("writer", bv_writer, 0, E[0], NULL, 0);
	sim_event_notify_at(E[0], 4);
	starve();
	end();
}

static void sv_watch(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	tr("watch", "s=%u", (unsigned)sim_vec_read_u64(S[0]));
}

static void sv_writer(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	sim_vec_write_u64(S[0], n0 < 2 ? 7 : 8);
	if (++n0 < 4)
		sim_event_notify_at(E[0], 10);
}

static void same_value_no_event(void)
{
	S[0] = u32("s");
	E[0] = ev("go");
	meth("watch", sv_watch, 0, sim_sig_changed(S[0]), NULL, 0);
	meth("writer", sv_writer, 0, E[0], NULL, 1);
	starve();
	end();
}

static void lw_writer(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	sim_vec_write_u64(S[0], 1);
	sim_vec_write_u64(S[0], 2);
}

static void last_write_wins(void)
{
	S[0] = u32("s");
	meth("watch", sv_watch, 0, sim_sig_changed(S[0]), NULL, 0);
	meth("writer", lw_writer, 0, NULL, NULL, 1);
	starve();
	end();
}

static void delta_count_empty(void)
{
	E[0] = ev("quiet");
	E[1] = ev("e");
	meth("w", say, 0, E[1], NULL, 0);
	sim_event_notify_at(E[0], 5);
	sim_event_notify_at(E[1], 10);
	start(20);
	end();
	sim_event_notify_at(E[1], 10);
	start(20);
	end();
}

static void stop_p(sim_proc_t *self, void *ctx)
{
	(void)ctx;
	tr("p", "n=%d", n0);
	if (++n0 == 3)
		sim_stop(sim_proc_sim(self));
	else
		sim_event_notify_at(E[0], 10);
}

static void stop_in_delta(void)
{
	E[0] = ev("e");
	meth("p", stop_p, 0, E[0], NULL, 1);
	starve();
	end();
}

static void sp_parent(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	tr("parent", "");
	if (!made++)
		if (!sim_method_new(K, "child", say, NULL))
			check(SIM_ERR_NOMEM, "child");
}

static void spawn_in_process(void)
{
	meth("parent", sp_parent, 0, NULL, NULL, 1);
	starve();
	end();
}

static void kid(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	n0++;
}

static void sm_static(sim_proc_t *self, void *ctx)
{
	(void)self;
	if (idx(ctx) != 0 || made)
		return;
	for (int k = 0; k < 50; k++) {
		if (!sim_method_new(K, "kid", kid, NULL))
			check(SIM_ERR_NOMEM, "kid");
		made++;
	}
}

static void spawn_many(void)
{
	for (int i = 0; i < 20; i++)
		meth("static", sm_static, i, NULL, NULL, 1);
	starve();
	tr("spawned", "runs=%d", n0);
	end();
}

static void drv_body(sim_proc_t *self, void *ctx)
{
	(void)self;
	sim_bit_write(S[0], idx(ctx) == 1);
}

static void multiple_drivers(void)
{
	S[0] = sim_bit_new(K, "shared", false);
	E[0] = ev("e0");
	E[1] = ev("e1");
	meth("drv0", drv_body, 0, E[0], NULL, 0);
	meth("drv1", drv_body, 1, E[1], NULL, 0);
	sim_event_notify_at(E[0], 10);
	sim_event_notify_at(E[1], 20);
	int rc = sim_run_to_starvation(K);
	if (rc == SIM_ERR_DRIVER) {
		tr("error", "driver s=%d", (int)sim_bit_read(S[0]));
		return;
	}
	check(rc, "run");
	end();
}

static void mw_drv(sim_proc_t *self, void *ctx)
{
	(void)self;
	sim_bit_write(S[0], idx(ctx) == 0);
}

static void mw_watch(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	tr("watch", "s=%d", (int)sim_bit_read(S[0]));
}

static void many_writers_ok(void)
{
	S[0] = sim_bit_new(K, "shared", false);
	check(sim_sig_set_writers(S[0], SIM_WRITERS_MANY), "writers");
	E[0] = ev("e0");
	E[1] = ev("e1");
	meth("drv0", mw_drv, 0, E[0], NULL, 0);
	meth("drv1", mw_drv, 1, E[1], NULL, 0);
	meth("watch", mw_watch, 0, sim_sig_changed(S[0]), NULL, 0);
	sim_event_notify_at(E[0], 10);
	sim_event_notify_at(E[1], 20);
	starve();
	end();
}

static void sz_chain(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	tr("chain", "n=%d", n0);
	if (++n0 < 3)
		sim_event_notify_delta(E[0]);
}

static void start_zero_one_delta(void)
{
	E[0] = ev("e");
	meth("chain", sz_chain, 0, E[0], NULL, 1);
	for (int i = 0; i < 4; i++) {
		start(0);
		end();
	}
}

static void start_end_time_holdoff(void)
{
	E[0] = ev("e");
	meth("w", say, 0, E[0], NULL, 0);
	sim_event_notify_at(E[0], 10);
	start(10);
	end();
	start(0);
	end();
}

static void rt_w(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	tr("w", "n=%d", n0);
	if (++n0 < 3)
		sim_event_notify_delta(E[0]);
}

/* sim_run(d), not sim_start: the documented difference (doc/kernel.md) */
static void run_through_end_time(void)
{
	E[0] = ev("e");
	meth("w", rt_w, 0, E[0], NULL, 0);
	sim_event_notify_at(E[0], 10);
	check(sim_run(K, 10), "sim_run");
	end();
}

static void run_to_time_starved(void)
{
	E[0] = ev("e");
	meth("w", say, 0, E[0], NULL, 0);
	sim_event_notify_at(E[0], 30);
	start(100);
	end();
	start(50);
	end();
}

static void st_w(sim_proc_t *self, void *ctx)
{
	(void)self, (void)ctx;
	tr("w", "n=%d", n0);
	if (++n0 < 4)
		sim_event_notify_at(E[0], (sim_time_t)(7 * n0));
}

static void starvation_time(void)
{
	E[0] = ev("e");
	meth("w", st_w, 0, E[0], NULL, 1);
	starve();
	end();
}

typedef struct scenario {
	const char *name;
	void (*fn)(void);
} scenario_t;

#define S_(n)         \
	{             \
#n, n \
	}
static const scenario_t scenarios[] = {
	S_(write_visible_next_delta),
	S_(comb_chain),
	S_(init_phase_write),
	S_(init_delta_notify),
	S_(dont_initialize),
	S_(immediate_same_delta),
	S_(immediate_self_ignored),
	S_(immediate_pingpong),
	S_(clocked_immediate_ring),
	S_(delta_notify_chain),
	S_(timed_override),
	S_(delta_beats_timed),
	S_(immediate_cancels_pending),
	S_(cancel_timed),
	S_(cancel_delta_keeps_rest),
	S_(same_time_events),
	S_(next_trigger_time),
	S_(next_trigger_event),
	S_(next_trigger_last_wins),
	S_(next_trigger_self_notify),
	S_(posedge_negedge),
	S_(clock_edge_at_zero),
	S_(clock_negfirst_offset),
	S_(clock_round_half),
	S_(clock_duty_30),
	S_(sig_event_query),
	S_(real_equality),
	S_(bitvector_128),
	S_(same_value_no_event),
	S_(last_write_wins),
	S_(delta_count_empty),
	S_(stop_in_delta),
	S_(spawn_in_process),
	S_(spawn_many),
	S_(multiple_drivers),
	S_(many_writers_ok),
	S_(start_zero_one_delta),
	S_(start_end_time_holdoff),
	S_(run_through_end_time),
	S_(run_to_time_starved),
	S_(starvation_time),
};
#undef S_

int main(int argc, char **argv)
{
	size_t n = sizeof scenarios / sizeof scenarios[0];
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", scenarios[i].name);
		return 0;
	}
	for (size_t i = 0; argc == 2 && i < n; i++)
		if (!strcmp(argv[1], scenarios[i].name)) {
			K = sim_new(NULL);
			if (!K)
				return 1;
			scenarios[i].fn();
			sim_free(K);
			return 0;
		}
	fprintf(stderr, "conf_imcsim: usage: conf_imcsim SCENARIO|--list\n");
	return 2;
}
