/* test_kernel_run.c - pins the scheduler's SystemC semantics across time
 * and runs: the timed heap, same-time order, running for a duration,
 * sim_stop, the runaway delta guard, misuse errors, process failure. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/sim.h"
#include "kernel_harness.h"

/* ---- timed heap under churn: cancels, replacements, stale entries ------ */

#define CHURN_EVENTS 300

typedef struct churn_log {
	unsigned n;
	unsigned id[CHURN_EVENTS];
	sim_time_t t[CHURN_EVENTS];
} churn_log_t;

typedef struct churn_ctx {
	churn_log_t *log;
	unsigned id;
} churn_ctx_t;

static void churn_body(sim_proc_t *self, void *ctx)
{
	churn_ctx_t *c = ctx;
	churn_log_t *log = c->log;
	if (log->n < CHURN_EVENTS) {
		log->id[log->n] = c->id;
		log->t[log->n++] = sim_time(sim_proc_sim(self));
	}
}

/* The reference: each event's effective notification (time, call order). */
typedef struct churn_ref {
	bool pending;
	sim_time_t when;
	unsigned order;
} churn_ref_t;

static int churn_cmp(const void *a, const void *b)
{
	const churn_ref_t *x = a, *y = b;
	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Thousands of notify / cancel / earlier-replaces calls leave many stale
 * entries in the lazy heap (and force rebuilds); what fires must still be
 * exactly the pending notifications in (time, notify order). */
START_TEST(test_timed_heap_churn_order)
{
	sim_t *sim = sim_new(NULL);
	sim_event_t *ev[CHURN_EVENTS];
	churn_ctx_t ctx[CHURN_EVENTS];
	churn_ref_t ref[CHURN_EVENTS];
	churn_log_t log = { 0 };
	for (unsigned i = 0; i < CHURN_EVENTS; i++) {
		ev[i] = sim_event_new(sim, "churn");
		ctx[i] = (churn_ctx_t){ &log, i };
		sim_proc_t *p =
			sim_method_new(sim, "churn", churn_body, &ctx[i]);
		ck_assert_int_eq(sim_sensitive(p, ev[i]), SIM_OK);
		sim_proc_dont_initialize(p);
		ref[i] = (churn_ref_t){ false, 0, 0 };
	}
	uint64_t x = 88172645463325252u;
	unsigned order = 0;
	for (unsigned k = 0; k < 20000; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		unsigned i = (unsigned)(x % CHURN_EVENTS);
		sim_time_t d = 1 + (x >> 20) % 50; /* many equal times */
		if ((x >> 40) % 3 == 0) {
			sim_event_cancel(ev[i]);
			ref[i].pending = false;
		} else {
			ck_assert_int_eq(sim_event_notify_at(ev[i], d), SIM_OK);
			if (!ref[i].pending || d < ref[i].when)
				ref[i] = (churn_ref_t){ true, d, order };
			order++; /* every call takes a sequence number or not */
		}
		ck_assert(sim_event_pending(ev[i]) == ref[i].pending);
	}
	unsigned npend = 0;
	churn_ref_t sorted[CHURN_EVENTS];
	unsigned ids[CHURN_EVENTS];
	for (unsigned i = 0; i < CHURN_EVENTS; i++)
		if (ref[i].pending) {
			sorted[npend] = ref[i];
			sorted[npend].order = ref[i].order * CHURN_EVENTS + i;
			npend++;
		}
	qsort(sorted, npend, sizeof(sorted[0]), churn_cmp);
	for (unsigned k = 0; k < npend; k++)
		ids[k] = sorted[k].order % CHURN_EVENTS;
	ck_assert_uint_gt(npend, 50);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_uint_eq(log.n, npend);
	for (unsigned k = 0; k < npend; k++) {
		ck_assert_uint_eq(log.id[k], ids[k]);
		ck_assert_uint_eq(log.t[k], sorted[k].when);
	}
	sim_free(sim);
}
END_TEST

/* ---- timed notification: earliest wins, cancel ------------------------ */

START_TEST(test_timed_notify_override_and_cancel)
{
	sim_t *sim = sim_new(NULL);
	sim_event_t *ev = sim_event_new(sim, "ev");
	counter_t c = { 0, 0 };
	sim_proc_t *p = sim_method_new(sim, "p", count_body, &c);
	sim_sensitive(p, ev);
	sim_proc_dont_initialize(p);

	sim_event_notify_at(ev, 50);
	sim_event_notify_at(ev, 30); /* earlier: replaces */
	sim_event_notify_at(ev, 70); /* later: ignored */
	ck_assert(sim_event_pending(ev));
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(c.runs, 1);
	ck_assert_uint_eq(c.last, 30);

	sim_event_notify_at(ev, 10);
	sim_event_cancel(ev);
	ck_assert(!sim_event_pending(ev));
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(c.runs, 1);

	/* a delta notification beats a pending timed one */
	sim_event_notify_at(ev, 100);
	sim_event_notify_delta(ev);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(c.runs, 2);
	ck_assert_uint_eq(c.last, 30);
	ck_assert_uint_eq(sim_time(sim), 30);
	sim_free(sim);
}
END_TEST

/* ---- same-time ordering is FIFO by notification -------------------- */

typedef struct order_log {
	char buf[16];
	int n;
} order_log_t;

typedef struct order_ctx {
	order_log_t *log;
	char tag;
} order_ctx_t;

static void order_body(sim_proc_t *self, void *ctx)
{
	(void)self;
	order_ctx_t *o = ctx;
	o->log->buf[o->log->n++] = o->tag;
}

START_TEST(test_same_time_fifo)
{
	sim_t *sim = sim_new(NULL);
	order_log_t log = { { 0 }, 0 };
	order_ctx_t ctx[4];
	sim_event_t *ev[4];
	for (int i = 0; i < 4; i++) {
		ev[i] = sim_event_new(sim, "e");
		ctx[i] = (order_ctx_t){ &log, (char)('A' + i) };
		sim_proc_t *p = sim_method_new(sim, "p", order_body, &ctx[i]);
		sim_sensitive(p, ev[i]);
		sim_proc_dont_initialize(p);
	}
	sim_event_notify_at(ev[2], 100);
	sim_event_notify_at(ev[0], 100);
	sim_event_notify_at(ev[3], 100);
	sim_event_notify_at(ev[1], 100);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_str_eq(log.buf, "CADB");
	sim_free(sim);
}
END_TEST

/* ---- run for a duration stops at the right time, keeps the rest ------- */

START_TEST(test_run_until_keeps_pending)
{
	sim_t *sim = sim_new(NULL);
	sim_event_t *ev = sim_event_new(sim, "ev");
	counter_t c = { 0, 0 };
	sim_proc_t *p = sim_method_new(sim, "p", count_body, &c);
	sim_sensitive(p, ev);
	sim_proc_dont_initialize(p);
	sim_event_notify_at(ev, 1000);
	ck_assert_int_eq(sim_run(sim, 999), SIM_OK);
	ck_assert_uint_eq(sim_time(sim), 999);
	ck_assert_int_eq(c.runs, 0);
	ck_assert(sim_event_pending(ev));
	ck_assert_uint_eq(sim_next_time(sim), 1000);
	ck_assert_int_eq(sim_run(sim, 1), SIM_OK);
	ck_assert_int_eq(c.runs, 1);
	ck_assert_uint_eq(c.last, 1000);
	ck_assert_uint_eq(sim_next_time(sim), SIM_TIME_MAX);
	sim_free(sim);
}
END_TEST

/* ---- stop from inside a process -------------------------------------- */

static void stopper(sim_proc_t *self, void *ctx)
{
	counter_t *c = ctx;
	count_body(self, ctx);
	if (c->runs == 3)
		sim_stop(sim_proc_sim(self));
}

START_TEST(test_stop)
{
	sim_t *sim = sim_new(NULL);
	sim_signal_t *clk = sim_clock_new(sim, "clk", 10, 50, 0, true);
	counter_t c = { 0, 0 };
	sim_proc_t *p = sim_method_new(sim, "p", stopper, &c);
	sim_sensitive_pos(p, clk);
	sim_proc_dont_initialize(p);
	ck_assert_int_eq(sim_run(sim, 1000), SIM_OK);
	ck_assert_int_eq(c.runs, 3);
	ck_assert_uint_eq(sim_time(sim), 20);
	sim_free(sim);
}
END_TEST

/* ---- runaway delta guard ------------------------------------------------ */

static void oscillator(sim_proc_t *self, void *ctx)
{
	(void)self;
	sim_signal_t *s = ctx;
	sim_bit_write(s, !sim_bit_read(s));
}

START_TEST(test_runaway_delta_guard)
{
	sim_config_t cfg;
	sim_config_default(&cfg);
	cfg.max_deltas = 500;
	sim_t *sim = sim_new(&cfg);
	sim_signal_t *s = sim_bit_new(sim, "s", false);
	sim_proc_t *p = sim_method_new(sim, "osc", oscillator, s);
	sim_sensitive_signal(p, s);
	ck_assert_int_eq(sim_run(sim, 100), SIM_ERR_DELTA);
	ck_assert_ptr_nonnull(strstr(sim_error(sim), "osc"));
	ck_assert_uint_eq(sim_time(sim), 0);
	sim_free(sim);
}
END_TEST

/* ---- misuse gives clear errors --------------------------------------- */

START_TEST(test_misuse_errors)
{
	sim_t *a = sim_new(NULL), *b = sim_new(NULL);
	sim_signal_t *sb = sim_bit_new(b, "sb", false);
	counter_t c = { 0, 0 };
	sim_proc_t *pa = sim_method_new(a, "pa", count_body, &c);
	ck_assert_int_eq(sim_sensitive_signal(pa, sb), SIM_ERR_FOREIGN);
	ck_assert_ptr_nonnull(strstr(sim_error(a), "another kernel"));
	ck_assert_int_eq(sim_real_write(sb, 1.0), SIM_ERR_TYPE);
	ck_assert_ptr_null(sim_clock_new(b, "bad", 10, 0, 0, true));
	sim_free(a);
	sim_free(b);
	sim_t *c2 = sim_new(NULL);
	ck_assert_int_eq(sim_run(c2, 100), SIM_OK);
	ck_assert_ptr_null(sim_clock_new(c2, "late", 10, 50, 50, true));
	ck_assert_int_eq(sim_run(c2, SIM_TIME_MAX), SIM_ERR_TIME);
	sim_free(c2);
}
END_TEST

/* ---- two kernels in one process do not interfere ----------------------- */

START_TEST(test_two_kernels)
{
	sim_t *a = sim_new(NULL), *b = sim_new(NULL);
	sim_signal_t *ca = sim_clock_new(a, "clk", 10, 50, 0, true);
	sim_signal_t *cb = sim_clock_new(b, "clk", 30, 50, 0, true);
	counter_t na = { 0, 0 }, nb = { 0, 0 };
	sim_proc_t *pa = sim_method_new(a, "pa", count_body, &na);
	sim_proc_t *pb = sim_method_new(b, "pb", count_body, &nb);
	sim_sensitive_pos(pa, ca);
	sim_sensitive_pos(pb, cb);
	sim_proc_dont_initialize(pa);
	sim_proc_dont_initialize(pb);
	/* interleave the two runs */
	for (int i = 0; i < 10; i++) {
		ck_assert_int_eq(sim_run(a, 30), SIM_OK);
		ck_assert_int_eq(sim_run(b, 15), SIM_OK);
	}
	ck_assert_uint_eq(sim_time(a), 300);
	ck_assert_uint_eq(sim_time(b), 150);
	/* a run covers its end time: rising edges 0..300 and 0..150 */
	ck_assert_int_eq(na.runs, 31);
	ck_assert_int_eq(nb.runs, 6);
	sim_free(a);
	sim_free(b);
}
END_TEST

/* ---- sim_fail stops the run with the process's message ----------------- */

static void failing(sim_proc_t *self, void *ctx)
{
	(void)ctx;
	sim_fail(sim_proc_sim(self), "bitline %d below ground", 3);
}

START_TEST(test_process_failure)
{
	sim_t *sim = sim_new(NULL);
	sim_method_new(sim, "f", failing, NULL);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_ERR_PROCESS);
	ck_assert_str_eq(sim_error(sim), "bitline 3 below ground");
	sim_free(sim);
}
END_TEST

static Suite *kernel_run_suite(void)
{
	Suite *s = suite_create("kernel_run");
	TCase *tc = tcase_create("run");
	tcase_add_test(tc, test_timed_notify_override_and_cancel);
	tcase_add_test(tc, test_timed_heap_churn_order);
	tcase_add_test(tc, test_same_time_fifo);
	tcase_add_test(tc, test_run_until_keeps_pending);
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_runaway_delta_guard);
	tcase_add_test(tc, test_misuse_errors);
	tcase_add_test(tc, test_two_kernels);
	tcase_add_test(tc, test_process_failure);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(kernel_run_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
