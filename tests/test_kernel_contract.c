/* test_kernel_contract.c - what sim.h promises, case by case: the contract
 * violations found by comparing with SystemC 2.3.4. The points where
 * imcsim now behaves as SystemC (initialization, real compare, delta
 * counting, the writer check, clock timing, sim_start) are in
 * test_kernel_systemc.c. */
#include <check.h>
#include <stdlib.h>

#include "kernel/sim.h"
#include "kernel_harness.h"

/* ---- next_trigger(e) then notify(e) in the same activation ------------ */

typedef struct nt_self {
	sim_event_t *stat, *e;
	log_t log;
} nt_self_t;

static void nt_self_body(sim_proc_t *self, void *ctx)
{
	nt_self_t *c = ctx;
	log_add(&c->log, sim_proc_sim(self), 0);
	if (c->log.n == 1) {
		sim_next_trigger_event(self, c->e);
		sim_event_notify(c->e); /* own immediate notification */
	}
}

START_TEST(test_next_trigger_survives_own_notify)
{
	sim_t *sim = sim_new(NULL);
	nt_self_t c = { sim_event_new(sim, "stat"),
			sim_event_new(sim, "e"),
			{ 0 } };
	sim_proc_t *p = sim_method_new(sim, "p", nt_self_body, &c);
	sim_sensitive(p, c.stat);
	sim_event_notify_at(c.stat, 10); /* static: must not wake p */
	ck_assert_int_eq(sim_run(sim, 15), SIM_OK);
	ck_assert_int_eq(c.log.n, 1);
	sim_event_notify_at(c.e, 5); /* the dynamic trigger: wakes p */
	ck_assert_int_eq(sim_run(sim, 10), SIM_OK);
	ck_assert_int_eq(c.log.n, 2);
	ck_assert_uint_eq(c.log.at[1], 20);
	sim_free(sim);
}
END_TEST

/* ---- a clock edge at time 0 is a write of the first delta ------------- */

typedef struct edge0 {
	sim_signal_t *clk, *x, *d, *q;
	log_t reg;
} edge0_t;

static void e0_src(sim_proc_t *self, void *ctx)
{
	(void)self;
	edge0_t *e = ctx;
	sim_bit_write(e->x, true);
}

static void e0_comb(sim_proc_t *self, void *ctx)
{
	(void)self;
	edge0_t *e = ctx;
	sim_bit_write(e->d, sim_bit_read(e->x));
}

static void e0_reg(sim_proc_t *self, void *ctx)
{
	edge0_t *e = ctx;
	log_add(&e->reg, sim_proc_sim(self), sim_bit_read(e->d));
	sim_bit_write(e->q, sim_bit_read(e->d));
}

/* x is written at initialization (delta 0), d follows x one delta later:
 * the register on the edge at 0 runs in delta 1, before d has changed
 * (SystemC: the clock's edge process runs in the first delta). */
START_TEST(test_clock_edge_at_zero_in_first_delta)
{
	sim_t *sim = sim_new(NULL);
	edge0_t e = { 0 };
	e.clk = sim_clock_new(sim, "clk", 10, 50, 0, true);
	e.x = sim_bit_new(sim, "x", false);
	e.d = sim_bit_new(sim, "d", false);
	e.q = sim_bit_new(sim, "q", false);
	sim_method_new(sim, "src", e0_src, &e);
	sim_proc_t *comb = sim_method_new(sim, "comb", e0_comb, &e);
	sim_sensitive_signal(comb, e.x);
	sim_proc_dont_initialize(comb);
	sim_proc_t *reg = sim_method_new(sim, "reg", e0_reg, &e);
	sim_sensitive_pos(reg, e.clk);
	sim_proc_dont_initialize(reg);
	ck_assert_int_eq(sim_run(sim, 5), SIM_OK);
	ck_assert_int_eq(e.reg.n, 1);
	ck_assert_uint_eq(e.reg.at[0], 0);
	ck_assert_uint_eq(e.reg.delta[0], 1);
	ck_assert_uint_eq(e.reg.val[0], 0);
	ck_assert(!sim_bit_read(e.q));
	ck_assert(sim_bit_read(e.d));
	sim_free(sim);
}
END_TEST

/* ---- sim_sig_event() is false once time has advanced ----------------- */

typedef struct evq {
	sim_signal_t *s;
	int seen_event[4];
	int n;
} evq_t;

static void evq_writer(sim_proc_t *self, void *ctx)
{
	(void)self;
	evq_t *q = ctx;
	sim_bit_write(q->s, true);
}

static void evq_reader(sim_proc_t *self, void *ctx)
{
	(void)self;
	evq_t *q = ctx;
	if (q->n < 4)
		q->seen_event[q->n] = sim_sig_event(q->s);
	q->n++;
}

START_TEST(test_sig_event_false_after_time_advance)
{
	/* s changes in the last delta at time 0; nobody runs until 10 ps */
	sim_t *sim = sim_new(NULL);
	evq_t q = { sim_bit_new(sim, "s", false), { 0 }, 0 };
	sim_event_t *later = sim_event_new(sim, "later");
	sim_method_new(sim, "writer", evq_writer, &q);
	sim_proc_t *r = sim_method_new(sim, "reader", evq_reader, &q);
	sim_sensitive(r, later);
	sim_proc_dont_initialize(r);
	sim_event_notify_at(later, 10);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(q.n, 1);
	ck_assert_int_eq(q.seen_event[0], 0);
	sim_free(sim);
	/* in the delta right after the change it is true */
	sim = sim_new(NULL);
	q = (evq_t){ sim_bit_new(sim, "s", false), { 0 }, 0 };
	sim_method_new(sim, "writer", evq_writer, &q);
	r = sim_method_new(sim, "reader", evq_reader, &q);
	sim_sensitive_signal(r, q.s);
	sim_proc_dont_initialize(r);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(q.n, 1);
	ck_assert_int_eq(q.seen_event[0], 1);
	sim_free(sim);
}
END_TEST

/* ---- cancelling a delta notification keeps the others in order ------- */

typedef struct order {
	char buf[16];
	int n;
} order_t;

typedef struct order_ctx {
	order_t *o;
	char tag;
} order_ctx_t;

static void order_body(sim_proc_t *self, void *ctx)
{
	(void)self;
	order_ctx_t *c = ctx;
	c->o->buf[c->o->n++] = c->tag;
}

START_TEST(test_delta_cancel_keeps_order)
{
	sim_t *sim = sim_new(NULL);
	order_t o = { { 0 }, 0 };
	order_ctx_t ctx[5];
	sim_event_t *ev[5];
	for (int i = 0; i < 5; i++) {
		ev[i] = sim_event_new(sim, "e");
		ctx[i] = (order_ctx_t){ &o, (char)('A' + i) };
		sim_proc_t *p = sim_method_new(sim, "p", order_body, &ctx[i]);
		sim_sensitive(p, ev[i]);
		sim_proc_dont_initialize(p);
	}
	ck_assert_int_eq(sim_run(sim, 1), SIM_OK);
	for (int i = 0; i < 5; i++)
		sim_event_notify_delta(ev[i]);
	sim_event_cancel(ev[1]);
	ck_assert(!sim_event_pending(ev[1]));
	/* notified again: it goes to the end */
	sim_event_notify_delta(ev[1]);
	sim_event_cancel(ev[3]);
	ck_assert_int_eq(sim_run(sim, 1), SIM_OK);
	ck_assert_str_eq(o.buf, "ACEB");
	sim_free(sim);
}
END_TEST

/* Notify and cancel many times in one delta: the list stays bounded and
 * every event notified last is delivered once. */
START_TEST(test_delta_cancel_churn)
{
	sim_t *sim = sim_new(NULL);
	order_t o = { { 0 }, 0 };
	order_ctx_t ctx[3];
	sim_event_t *ev[3];
	for (int i = 0; i < 3; i++) {
		ev[i] = sim_event_new(sim, "e");
		ctx[i] = (order_ctx_t){ &o, (char)('A' + i) };
		sim_proc_t *p = sim_method_new(sim, "p", order_body, &ctx[i]);
		sim_sensitive(p, ev[i]);
		sim_proc_dont_initialize(p);
	}
	for (int k = 0; k < 10000; k++) {
		sim_event_notify_delta(ev[k % 3]);
		sim_event_cancel(ev[k % 3]);
	}
	sim_event_notify_delta(ev[2]);
	sim_event_notify_delta(ev[0]);
	ck_assert_int_eq(sim_run(sim, 1), SIM_OK);
	ck_assert_str_eq(o.buf, "CA");
	sim_free(sim);
}
END_TEST

/* ---- max_deltas = 0 means no guard --------------------------------- */

static void counter_down(sim_proc_t *self, void *ctx)
{
	(void)self;
	sim_signal_t *s = ctx;
	uint64_t v = sim_vec_read_u64(s);
	if (v)
		sim_vec_write_u64(s, v - 1);
}

START_TEST(test_max_deltas_zero_is_no_guard)
{
	sim_config_t cfg;
	sim_config_default(&cfg);
	cfg.max_deltas = 0;
	sim_t *sim = sim_new(&cfg);
	uint64_t init = 1000;
	sim_signal_t *s = sim_vec_new(sim, "s", 16, &init);
	sim_proc_t *p = sim_method_new(sim, "down", counter_down, s);
	sim_sensitive_signal(p, s);
	ck_assert_int_eq(sim_run(sim, 10), SIM_OK);
	ck_assert_uint_eq(sim_vec_read_u64(s), 0);
	ck_assert_uint_eq(sim_delta_count(sim), 1001);
	sim_free(sim);
	/* and a small guard still trips, after exactly that many deltas */
	sim_config_default(&cfg);
	cfg.max_deltas = 10;
	sim = sim_new(&cfg);
	s = sim_vec_new(sim, "s", 16, &init);
	p = sim_method_new(sim, "down", counter_down, s);
	sim_sensitive_signal(p, s);
	ck_assert_int_eq(sim_run(sim, 10), SIM_ERR_DELTA);
	ck_assert_uint_eq(sim_vec_read_u64(s), 990);
	sim_free(sim);
}
END_TEST

static Suite *contract_suite(void)
{
	Suite *s = suite_create("kernel_contract");
	TCase *tc = tcase_create("violations");
	tcase_add_test(tc, test_next_trigger_survives_own_notify);
	tcase_add_test(tc, test_clock_edge_at_zero_in_first_delta);
	tcase_add_test(tc, test_sig_event_false_after_time_advance);
	tcase_add_test(tc, test_delta_cancel_keeps_order);
	tcase_add_test(tc, test_delta_cancel_churn);
	tcase_add_test(tc, test_max_deltas_zero_is_no_guard);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(contract_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
