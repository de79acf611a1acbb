/* test_kernel.c - pins the scheduler's SystemC semantics within a time
 * step: clocked and combinational chains, edge batches, immediate and
 * delta notification, next_trigger, signal writes. Timed notification and
 * run control are in test_kernel_run.c. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/sim.h"
#include "kernel_harness.h"

/* ---- register chain: one stage per clock ------------------------------ */

#define NREG 4
typedef struct regchain {
	sim_signal_t *clk;
	sim_signal_t *q[NREG + 1]; /* q[0] is the input */
} regchain_t;

typedef struct reg_ctx {
	regchain_t *rc;
	int i;
} reg_ctx_t;

static void reg_body(sim_proc_t *self, void *ctx)
{
	(void)self;
	reg_ctx_t *r = ctx;
	sim_vec_write_u64(r->rc->q[r->i + 1], sim_vec_read_u64(r->rc->q[r->i]));
}

START_TEST(test_register_chain_one_stage_per_clock)
{
	sim_t *sim = sim_new(NULL);
	regchain_t rc;
	reg_ctx_t ctx[NREG];
	rc.clk = sim_clock_new(sim, "clk", 10 * SIM_NS, 50, 5 * SIM_NS, true);
	ck_assert_ptr_nonnull(rc.clk);
	for (int i = 0; i <= NREG; i++)
		rc.q[i] = sim_vec_new(sim, "q", 8, NULL);
	for (int i = 0; i < NREG; i++) {
		ctx[i] = (reg_ctx_t){ &rc, i };
		sim_proc_t *p = sim_method_new(sim, "reg", reg_body, &ctx[i]);
		sim_sensitive_pos(p, rc.clk);
		sim_proc_dont_initialize(p);
	}
	sim_vec_write_u64(rc.q[0], 0xA5);
	ck_assert_int_eq(sim_run(sim, 1 * SIM_NS), SIM_OK);
	ck_assert_uint_eq(sim_vec_read_u64(rc.q[0]), 0xA5);
	/* rising edges at 5, 15, 25, 35 ns: stage k holds the value after
	 * edge k, not before */
	for (int edge = 1; edge <= NREG; edge++) {
		ck_assert_int_eq(sim_run(sim, 10 * SIM_NS), SIM_OK);
		for (int k = 1; k <= NREG; k++)
			ck_assert_uint_eq(sim_vec_read_u64(rc.q[k]),
					  k <= edge ? 0xA5 : 0);
	}
	sim_free(sim);
}
END_TEST

/* ---- combinational chain settles in N deltas ------------------------ */

typedef struct comb_ctx {
	sim_signal_t *in, *out;
} comb_ctx_t;

static void inverter(sim_proc_t *self, void *ctx)
{
	(void)self;
	comb_ctx_t *c = ctx;
	sim_bit_write(c->out, !sim_bit_read(c->in));
}

START_TEST(test_comb_chain_settles_in_n_deltas)
{
	enum { N = 7 };
	sim_t *sim = sim_new(NULL);
	sim_signal_t *s[N + 1];
	comb_ctx_t c[N];
	for (int i = 0; i <= N; i++)
		s[i] = sim_bit_new(sim, "s", i % 2 == 1);
	for (int i = 0; i < N; i++) {
		c[i] = (comb_ctx_t){ s[i], s[i + 1] };
		sim_proc_t *p = sim_method_new(sim, "inv", inverter, &c[i]);
		sim_sensitive_signal(p, s[i]);
		sim_proc_dont_initialize(p);
	}
	/* consistent start: s[i] = i odd; nothing runs */
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	uint64_t d0 = sim_delta_count(sim);
	sim_bit_write(s[0], 1);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	/* one delta per inverter whose output changes; the update of the
	 * input written between runs runs no process, and SystemC's
	 * sc_delta_count() does not count such a delta */
	ck_assert_uint_eq(sim_delta_count(sim) - d0, N);
	for (int i = 0; i <= N; i++)
		ck_assert_int_eq(sim_bit_read(s[i]), i % 2 == 0);
	sim_free(sim);
}
END_TEST

/* ---- posedge-only processes ignore negedges --------------------------- */

START_TEST(test_posedge_ignores_negedge)
{
	sim_t *sim = sim_new(NULL);
	sim_signal_t *clk = sim_clock_new(sim, "clk", 20 * SIM_NS, 50, 0, true);
	counter_t pos = { 0, 0 }, neg = { 0, 0 }, any = { 0, 0 };
	sim_proc_t *pp = sim_method_new(sim, "pos", count_body, &pos);
	sim_proc_t *pn = sim_method_new(sim, "neg", count_body, &neg);
	sim_proc_t *pa = sim_method_new(sim, "any", count_body, &any);
	sim_sensitive_pos(pp, clk);
	sim_sensitive_neg(pn, clk);
	sim_sensitive_signal(pa, clk);
	sim_proc_dont_initialize(pp);
	sim_proc_dont_initialize(pn);
	sim_proc_dont_initialize(pa);
	/* edges: rise 0, fall 10, rise 20, ... rise 180, fall 190 */
	ck_assert_int_eq(sim_run(sim, 195 * SIM_NS), SIM_OK);
	ck_assert_int_eq(pos.runs, 10);
	ck_assert_int_eq(neg.runs, 10);
	ck_assert_int_eq(any.runs, 20);
	ck_assert_uint_eq(pos.last, 180 * SIM_NS);
	ck_assert_uint_eq(neg.last, 190 * SIM_NS);
	/* a posedge-sensitive process on a vector is a type error */
	sim_signal_t *v = sim_vec_new(sim, "v", 4, NULL);
	ck_assert_int_eq(sim_sensitive_pos(pp, v), SIM_ERR_TYPE);
	sim_free(sim);
}
END_TEST

/* ---- edge batches: the order of eager queueing, exactly --------------- */

typedef struct batch_tb {
	sim_event_t *e;
	sim_proc_t *d;
	char log[64];
	unsigned n;
	bool d_armed;
} batch_tb_t;

static void batch_log(batch_tb_t *tb, char c, sim_proc_t *self)
{
	(void)self;
	if (tb->n < sizeof(tb->log) - 1)
		tb->log[tb->n++] = c;
}

static void batch_g(sim_proc_t *self, void *ctx)
{
	batch_log(ctx, 'G', self);
}

static void batch_a(sim_proc_t *self, void *ctx)
{
	batch_tb_t *tb = ctx;
	batch_log(tb, 'A', self);
	if (sim_time(sim_proc_sim(self)) < 20)
		sim_event_notify(tb->e); /* immediate: flushes the batch */
}

static void batch_b(sim_proc_t *self, void *ctx)
{
	batch_tb_t *tb = ctx;
	batch_log(tb, 'B', self);
	if (sim_time(sim_proc_sim(self)) == 0) /* runs in this evaluate */
		sim_method_new(sim_proc_sim(self), "g", batch_g, tb);
}

static void batch_c(sim_proc_t *self, void *ctx)
{
	batch_log(ctx, 'C', self);
}

static void batch_d(sim_proc_t *self, void *ctx)
{
	batch_tb_t *tb = ctx;
	batch_log(tb, 'D', self);
	if (!tb->d_armed) {
		tb->d_armed = true;
		sim_next_trigger_event(self, tb->e);
	}
}

static void batch_e(sim_proc_t *self, void *ctx)
{
	batch_log(ctx, 'E', self);
}

static void batch_mark_cycle(sim_proc_t *self, void *ctx)
{
	(void)self;
	batch_tb_t *tb = ctx;
	if (tb->n < sizeof(tb->log) - 1)
		tb->log[tb->n++] = '|';
}

/* A clock edge with several waiters runs them straight from its list; an
 * immediate notification, a dynamic trigger, a process listed twice and
 * a process created meanwhile must give the order of FIFO queueing at the
 * edge (sim.h), derived by hand:
 *   t=0:  A B C D queued (B once), A notifies e: C already queued, E
 *         queued; B creates G, which runs in the same evaluate; D arms
 *         next_trigger(e).
 *   t=10: A B C queued (D waits on e only), A notifies e: E (static),
 *         then D (dynamic).
 *   t=20: A B C D, nobody notifies. */
START_TEST(test_edge_batch_order)
{
	sim_t *sim = sim_new(NULL);
	batch_tb_t tb = { 0 };
	sim_signal_t *clk = sim_clock_new(sim, "clk", 10, 50, 0, true);
	sim_signal_t *clk2 = sim_clock_new(sim, "clk2", 10, 50, 5, false);
	tb.e = sim_event_new(sim, "e");
	sim_proc_t *m = sim_method_new(sim, "mark", batch_mark_cycle, &tb);
	sim_proc_t *a = sim_method_new(sim, "a", batch_a, &tb);
	sim_proc_t *b = sim_method_new(sim, "b", batch_b, &tb);
	sim_proc_t *c = sim_method_new(sim, "c", batch_c, &tb);
	tb.d = sim_method_new(sim, "d", batch_d, &tb);
	sim_proc_t *e = sim_method_new(sim, "e", batch_e, &tb);
	sim_proc_dont_initialize(m);
	sim_proc_dont_initialize(a);
	sim_proc_dont_initialize(b);
	sim_proc_dont_initialize(c);
	sim_proc_dont_initialize(tb.d);
	sim_proc_dont_initialize(e);
	ck_assert_int_eq(sim_sensitive_neg(m, clk2), SIM_OK);
	ck_assert_int_eq(sim_sensitive_pos(a, clk), SIM_OK);
	ck_assert_int_eq(sim_sensitive_pos(b, clk), SIM_OK);
	ck_assert_int_eq(sim_sensitive_pos(b, clk), SIM_OK); /* twice */
	ck_assert_int_eq(sim_sensitive_pos(c, clk), SIM_OK);
	ck_assert_int_eq(sim_sensitive(c, tb.e), SIM_OK);
	ck_assert_int_eq(sim_sensitive_pos(tb.d, clk), SIM_OK);
	ck_assert_int_eq(sim_sensitive(e, tb.e), SIM_OK);
	ck_assert_int_eq(sim_run(sim, 24), SIM_OK);
	tb.log[tb.n] = 0;
	ck_assert_str_eq(tb.log, "ABCDEG|ABCED|ABCD");
	sim_free(sim);
}
END_TEST

/* ---- immediate notification runs in the same evaluate phase ---------- */

typedef struct imm_ctx {
	sim_event_t *ev;
	uint64_t delta_seen;
	int runs;
} imm_ctx_t;

static void imm_notifier(sim_proc_t *self, void *ctx)
{
	imm_ctx_t *c = ctx;
	c->delta_seen = sim_delta_count(sim_proc_sim(self));
	sim_event_notify(c->ev);
}

static void imm_waiter(sim_proc_t *self, void *ctx)
{
	imm_ctx_t *c = ctx;
	c->runs++;
	ck_assert_uint_eq(sim_delta_count(sim_proc_sim(self)), c->delta_seen);
}

START_TEST(test_immediate_notify_same_delta)
{
	sim_t *sim = sim_new(NULL);
	imm_ctx_t c = { sim_event_new(sim, "ev"), 0, 0 };
	sim_method_new(sim, "notifier", imm_notifier, &c);
	sim_proc_t *w = sim_method_new(sim, "waiter", imm_waiter, &c);
	sim_sensitive(w, c.ev);
	sim_proc_dont_initialize(w);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(c.runs, 1);
	ck_assert_uint_eq(sim_delta_count(sim), 1);
	sim_free(sim);
}
END_TEST

/* ---- next_trigger overrides static sensitivity once -------------------- */

typedef struct nt_ctx {
	sim_event_t *stat, *dyn;
	int runs;
	sim_time_t at[8];
} nt_ctx_t;

static void nt_body(sim_proc_t *self, void *ctx)
{
	nt_ctx_t *c = ctx;
	c->at[c->runs++] = sim_time(sim_proc_sim(self));
	if (c->runs == 1)
		sim_next_trigger_time(self, 25);
	else if (c->runs == 2)
		sim_next_trigger_event(self, c->dyn);
	/* third activation on: static sensitivity again */
}

START_TEST(test_next_trigger)
{
	sim_t *sim = sim_new(NULL);
	nt_ctx_t c = {
		sim_event_new(sim, "stat"), sim_event_new(sim, "dyn"), 0, { 0 }
	};
	sim_proc_t *p = sim_method_new(sim, "p", nt_body, &c);
	sim_sensitive(p, c.stat);
	/* initialization run at 0 arms a 25 ps timer; the static event at
	 * 10 ps must not wake it */
	sim_event_notify_at(c.stat, 10);
	ck_assert_int_eq(sim_run(sim, 30), SIM_OK);
	ck_assert_int_eq(c.runs, 2);
	ck_assert_uint_eq(c.at[1], 25);
	/* now waiting on dyn only: static at 40 ignored, dyn at 50 wakes */
	sim_event_notify_at(c.stat, 10);
	sim_event_notify_at(c.dyn, 20);
	ck_assert_int_eq(sim_run(sim, 30), SIM_OK);
	ck_assert_int_eq(c.runs, 3);
	ck_assert_uint_eq(c.at[2], 50);
	/* back on static sensitivity */
	sim_event_notify_at(c.stat, 5);
	ck_assert_int_eq(sim_run(sim, 10), SIM_OK);
	ck_assert_int_eq(c.runs, 4);
	ck_assert_uint_eq(c.at[3], 65);
	sim_free(sim);
}
END_TEST

/* ---- writes: visible after update; same value notifies nobody -------- */

typedef struct wr_ctx {
	sim_signal_t *s;
	uint64_t seen_in_same_delta;
} wr_ctx_t;

static void writer(sim_proc_t *self, void *ctx)
{
	(void)self;
	wr_ctx_t *w = ctx;
	sim_vec_write_u64(w->s, 42);
	w->seen_in_same_delta = sim_vec_read_u64(w->s);
}

START_TEST(test_write_semantics)
{
	sim_t *sim = sim_new(NULL);
	wr_ctx_t w = { sim_vec_new(sim, "s", 16, NULL), 99 };
	counter_t c = { 0, 0 };
	sim_method_new(sim, "writer", writer, &w);
	sim_proc_t *watch = sim_method_new(sim, "watch", count_body, &c);
	sim_sensitive_signal(watch, w.s);
	sim_proc_dont_initialize(watch);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_uint_eq(w.seen_in_same_delta, 0);
	ck_assert_uint_eq(sim_vec_read_u64(w.s), 42);
	ck_assert_int_eq(c.runs, 1);
	sim_vec_write_u64(w.s, 42);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(c.runs, 1);
	/* out-of-width values are an error, not clipped */
	ck_assert_int_eq(sim_vec_write_u64(w.s, 0x10000), SIM_ERR_ARG);
	ck_assert_ptr_nonnull(strstr(sim_error(sim), "does not fit"));
	sim_free(sim);
}
END_TEST

START_TEST(test_wide_vector_128)
{
	sim_t *sim = sim_new(NULL);
	sim_signal_t *v = sim_vec_new(sim, "dec", 128, NULL);
	counter_t c = { 0, 0 };
	sim_proc_t *p = sim_method_new(sim, "p", count_body, &c);
	sim_sensitive_signal(p, v);
	sim_proc_dont_initialize(p);
	uint64_t w[2] = { 0, UINT64_C(1) << 63 };
	sim_vec_write(v, w);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert(sim_vec_read_bit(v, 127));
	ck_assert(!sim_vec_read_bit(v, 0));
	ck_assert_int_eq(c.runs, 1);
	sim_signal_t *v100 = sim_vec_new(sim, "v100", 100, NULL);
	ck_assert_int_eq(sim_vec_write(v100, w), SIM_ERR_ARG);
	sim_free(sim);
}
END_TEST

static Suite *kernel_suite(void)
{
	Suite *s = suite_create("kernel");
	TCase *tc = tcase_create("semantics");
	tcase_add_test(tc, test_register_chain_one_stage_per_clock);
	tcase_add_test(tc, test_comb_chain_settles_in_n_deltas);
	tcase_add_test(tc, test_posedge_ignores_negedge);
	tcase_add_test(tc, test_edge_batch_order);
	tcase_add_test(tc, test_immediate_notify_same_delta);
	tcase_add_test(tc, test_next_trigger);
	tcase_add_test(tc, test_write_semantics);
	tcase_add_test(tc, test_wide_vector_128);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(kernel_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
