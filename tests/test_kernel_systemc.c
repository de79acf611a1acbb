/* test_kernel_systemc.c - the points where imcsim behaves as SystemC
 * 2.3.4, case by case: initialization, real compare, delta counting, the
 * writer check, clock timing, sim_start, methods spawned while running.
 * The contract violations are in test_kernel_contract.c. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/sim.h"
#include "kernel_harness.h"

/* ---- initialization phase ------------------------------------------- */

typedef struct initc {
	sim_signal_t *s;
	sim_event_t *ev;
	log_t seen;  /* init process: value of s */
	log_t woken; /* dont_initialize process woken by ev */
} initc_t;

static void init_reader(sim_proc_t *self, void *ctx)
{
	initc_t *c = ctx;
	log_add(&c->seen, sim_proc_sim(self), sim_vec_read_u64(c->s));
}

static void init_woken(sim_proc_t *self, void *ctx)
{
	initc_t *c = ctx;
	log_add(&c->woken, sim_proc_sim(self), 0);
}

/* Writes and delta notifications made before the first run take effect
 * in the initialization phase: the first delta sees them, and a process
 * both initialized and sensitive to the written signal runs once. */
START_TEST(test_initialization_phase)
{
	sim_t *sim = sim_new(NULL);
	initc_t c = { sim_vec_new(sim, "s", 8, NULL),
		      sim_event_new(sim, "ev"),
		      { 0 },
		      { 0 } };
	sim_proc_t *r = sim_method_new(sim, "reader", init_reader, &c);
	sim_sensitive_signal(r, c.s);
	sim_proc_t *w = sim_method_new(sim, "woken", init_woken, &c);
	sim_sensitive(w, c.ev);
	sim_proc_dont_initialize(w);
	sim_vec_write_u64(c.s, 42);
	sim_event_notify_delta(c.ev);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(c.seen.n, 1);
	ck_assert_uint_eq(c.seen.val[0], 42);
	ck_assert_uint_eq(c.seen.delta[0], 0);
	ck_assert_int_eq(c.woken.n, 1);
	ck_assert_uint_eq(c.woken.delta[0], 0);
	ck_assert_uint_eq(sim_delta_count(sim), 1);
	sim_free(sim);
}
END_TEST

/* ---- real signals compare with == ----------------------------------- */

typedef struct realc {
	sim_signal_t *r;
	int wakes;
	double next[4];
	int step;
} realc_t;

static void real_watch(sim_proc_t *self, void *ctx)
{
	(void)self;
	realc_t *c = ctx;
	c->wakes++;
}

START_TEST(test_real_compare_is_equality)
{
	sim_t *sim = sim_new(NULL);
	realc_t c = { sim_real_new(sim, "r", 0.0), 0, { 0 }, 0 };
	sim_proc_t *p = sim_method_new(sim, "watch", real_watch, &c);
	sim_sensitive_signal(p, c.r);
	sim_proc_dont_initialize(p);
	ck_assert_int_eq(sim_run(sim, 1), SIM_OK);
	sim_real_write(c.r, -0.0); /* == 0.0: no change */
	ck_assert_int_eq(sim_run(sim, 1), SIM_OK);
	ck_assert_int_eq(c.wakes, 0);
	ck_assert(!signbit(sim_real_read(c.r)));
	sim_real_write(c.r, NAN); /* a change */
	ck_assert_int_eq(sim_run(sim, 1), SIM_OK);
	ck_assert_int_eq(c.wakes, 1);
	sim_real_write(c.r, NAN); /* NaN != NaN: a change again */
	ck_assert_int_eq(sim_run(sim, 1), SIM_OK);
	ck_assert_int_eq(c.wakes, 2);
	sim_real_write(c.r, 1.5);
	ck_assert_int_eq(sim_run(sim, 1), SIM_OK);
	sim_real_write(c.r, 1.5);
	ck_assert_int_eq(sim_run(sim, 1), SIM_OK);
	ck_assert_int_eq(c.wakes, 3);
	sim_free(sim);
}
END_TEST

/* ---- delta counting -------------------------------------------------- */

static void stop_now(sim_proc_t *self, void *ctx)
{
	log_t *l = ctx;
	log_add(l, sim_proc_sim(self), 0);
	if (l->n == 3)
		sim_stop(sim_proc_sim(self));
}

START_TEST(test_delta_count_skips_empty_and_stopped)
{
	sim_t *sim = sim_new(NULL);
	log_t l = { 0 };
	sim_event_t *ev = sim_event_new(sim, "ev");
	sim_event_t *quiet = sim_event_new(sim, "quiet"); /* nobody waits */
	sim_proc_t *p = sim_method_new(sim, "p", stop_now, &l);
	sim_sensitive(p, ev);
	sim_proc_dont_initialize(p);
	sim_event_notify_at(quiet, 5);
	sim_event_notify_at(ev, 10);
	ck_assert_int_eq(sim_run(sim, 20), SIM_OK);
	/* time 5: a delta that runs nothing is not counted */
	ck_assert_uint_eq(sim_delta_count(sim), 1);
	sim_event_notify_at(ev, 10);
	ck_assert_int_eq(sim_run(sim, 20), SIM_OK);
	ck_assert_uint_eq(sim_delta_count(sim), 2);
	/* the third activation stops the run: its delta is not counted */
	sim_event_notify_at(ev, 10);
	ck_assert_int_eq(sim_run(sim, 20), SIM_OK);
	ck_assert_int_eq(l.n, 3);
	ck_assert_uint_eq(l.delta[2], 2);
	ck_assert_uint_eq(sim_delta_count(sim), 2);
	ck_assert_uint_eq(sim_time(sim), 50);
	/* unlike sc_stop, the kernel resumes: a later run goes on */
	sim_event_notify_at(ev, 10);
	ck_assert_int_eq(sim_run(sim, 20), SIM_OK);
	ck_assert_int_eq(l.n, 4);
	ck_assert_uint_eq(l.at[3], 60);
	ck_assert_uint_eq(sim_delta_count(sim), 3);
	sim_free(sim);
}
END_TEST

/* ---- one writer per signal by default (SystemC E115) ---------------- */

typedef struct drv {
	sim_signal_t *s;
	int rc[2];
	int tag;
} drv_t;

typedef struct drv_ctx {
	drv_t *d;
	int i;
} drv_ctx_t;

static void drv_body(sim_proc_t *self, void *ctx)
{
	(void)self;
	drv_ctx_t *c = ctx;
	c->d->rc[c->i] = sim_bit_write(c->d->s, c->i == 1);
}

static sim_t *two_drivers(drv_t *d, drv_ctx_t ctx[2], enum sim_writers pol,
			  bool same_delta)
{
	sim_t *sim = sim_new(NULL);
	d->s = sim_bit_new(sim, "shared", false);
	if (pol != SIM_WRITERS_ONE)
		ck_assert_int_eq(sim_sig_set_writers(d->s, pol), SIM_OK);
	sim_event_t *ev[2] = { sim_event_new(sim, "e0"),
			       sim_event_new(sim, "e1") };
	for (int i = 0; i < 2; i++) {
		ctx[i] = (drv_ctx_t){ d, i };
		sim_proc_t *p = sim_method_new(sim, i ? "drv1" : "drv0",
					       drv_body, &ctx[i]);
		sim_sensitive(p, ev[i]);
		sim_proc_dont_initialize(p);
		sim_event_notify_at(ev[i], same_delta ? 10 : 10 + 10 * i);
	}
	return sim;
}

START_TEST(test_multiple_drivers)
{
	drv_t d = { 0 };
	drv_ctx_t ctx[2];
	/* default: a second writing process is an error that stops the run */
	sim_t *sim = two_drivers(&d, ctx, SIM_WRITERS_ONE, false);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_ERR_DRIVER);
	ck_assert_int_eq(d.rc[0], SIM_OK);
	ck_assert_int_eq(d.rc[1], SIM_ERR_DRIVER);
	ck_assert_ptr_nonnull(strstr(sim_error(sim), "shared"));
	ck_assert_ptr_nonnull(strstr(sim_error(sim), "drv0"));
	ck_assert_ptr_nonnull(strstr(sim_error(sim), "drv1"));
	ck_assert(!sim_bit_read(d.s)); /* the rejected write did nothing */
	sim_free(sim);
	/* many writers: fine in different deltas... */
	sim = two_drivers(&d, ctx, SIM_WRITERS_MANY, false);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert(sim_bit_read(d.s));
	sim_free(sim);
	/* ...but not in the same one */
	sim = two_drivers(&d, ctx, SIM_WRITERS_MANY, true);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_ERR_DRIVER);
	ck_assert_ptr_nonnull(strstr(sim_error(sim), "one delta"));
	sim_free(sim);
	/* unchecked: last write wins */
	sim = two_drivers(&d, ctx, SIM_WRITERS_UNCHECKED, true);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert(sim_bit_read(d.s));
	sim_free(sim);
	/* the testbench (no process) may always write; one process too */
	sim = two_drivers(&d, ctx, SIM_WRITERS_ONE, false);
	ck_assert_int_eq(sim_bit_write(d.s, true), SIM_OK);
	ck_assert_int_eq(sim_run(sim, 15), SIM_OK);
	ck_assert_int_eq(sim_bit_write(d.s, true), SIM_OK);
	sim_free(sim);
}
END_TEST

static void clk_writer(sim_proc_t *self, void *ctx)
{
	(void)self;
	sim_bit_write(ctx, true);
}

START_TEST(test_clock_has_one_writer)
{
	sim_t *sim = sim_new(NULL);
	sim_signal_t *clk = sim_clock_new(sim, "clk", 10, 50, 5, true);
	sim_method_new(sim, "intruder", clk_writer, clk);
	ck_assert_int_eq(sim_run(sim, 20), SIM_ERR_DRIVER);
	ck_assert_ptr_nonnull(strstr(sim_error(sim), "clk"));
	ck_assert_int_eq(sim_sig_set_writers(clk, SIM_WRITERS_MANY),
			 SIM_ERR_ARG);
	sim_free(sim);
}
END_TEST

/* ---- clock timing to 1 ps -------------------------------------------- */

static void edge_log(sim_proc_t *self, void *ctx)
{
	log_t *l = ctx;
	sim_t *sim = sim_proc_sim(self);
	(void)sim;
	log_add(l, sim_proc_sim(self), 0);
}

static void clock_edges(sim_signal_t *clk, sim_t *sim, log_t *rise, log_t *fall)
{
	sim_proc_t *r = sim_method_new(sim, "rise", edge_log, rise);
	sim_proc_t *f = sim_method_new(sim, "fall", edge_log, fall);
	sim_sensitive_pos(r, clk);
	sim_sensitive_neg(f, clk);
	sim_proc_dont_initialize(r);
	sim_proc_dont_initialize(f);
}

START_TEST(test_clock_timing_ps)
{
	/* 15 ps at 50%: high 7.5 rounds to 8 (SystemC: 15 * 0.5 + 0.5) */
	sim_t *sim = sim_new(NULL);
	log_t rise = { 0 }, fall = { 0 };
	sim_signal_t *clk = sim_clock_new(sim, "clk", 15, 50, 0, true);
	ck_assert_ptr_nonnull(clk);
	clock_edges(clk, sim, &rise, &fall);
	ck_assert_int_eq(sim_run(sim, 31), SIM_OK);
	ck_assert_int_eq(rise.n, 3);
	ck_assert_uint_eq(rise.at[1], 15);
	ck_assert_int_eq(fall.n, 2);
	ck_assert_uint_eq(fall.at[0], 8);
	ck_assert_uint_eq(fall.at[1], 23);
	sim_free(sim);
	/* any high time in ps: 7 ps period, 2 ps high, negedge first at 3 */
	sim = sim_new(NULL);
	rise.n = fall.n = 0;
	clk = sim_clock_new_ps(sim, "clk", 7, 2, 3, false);
	ck_assert_ptr_nonnull(clk);
	ck_assert(sim_bit_read(clk));
	clock_edges(clk, sim, &rise, &fall);
	ck_assert_int_eq(sim_run(sim, 20), SIM_OK);
	ck_assert_int_eq(fall.n, 3); /* 3, 10, 17 */
	ck_assert_uint_eq(fall.at[2], 17);
	ck_assert_int_eq(rise.n, 2); /* 3 + 5 = 8, 15 */
	ck_assert_uint_eq(rise.at[0], 8);
	ck_assert_uint_eq(rise.at[1], 15);
	ck_assert_ptr_null(sim_clock_new_ps(sim, "bad", 7, 7, 30, true));
	ck_assert_ptr_null(sim_clock_new_ps(sim, "bad", 7, 0, 30, true));
	sim_free(sim);
}
END_TEST

/* ---- sim_start: sc_start's end-time semantics ----------------------- */

START_TEST(test_sim_start)
{
	sim_t *sim = sim_new(NULL);
	log_t l = { 0 };
	sim_event_t *ev = sim_event_new(sim, "ev");
	sim_proc_t *p = sim_method_new(sim, "p", edge_log, &l);
	sim_sensitive(p, ev);
	sim_proc_dont_initialize(p);
	sim_event_notify_at(ev, 10);
	/* sc_start(10): time 10 reached, its process held off */
	ck_assert_int_eq(sim_start(sim, 10), SIM_OK);
	ck_assert_uint_eq(sim_time(sim), 10);
	ck_assert_int_eq(l.n, 0);
	ck_assert_uint_eq(sim_next_time(sim), 10);
	/* sc_start(SC_ZERO_TIME): exactly one delta, which runs it */
	ck_assert_int_eq(sim_start(sim, 0), SIM_OK);
	ck_assert_int_eq(l.n, 1);
	ck_assert_uint_eq(l.at[0], 10);
	/* a delta notification chain: one delta per sim_start(0) */
	sim_event_notify_delta(ev);
	ck_assert_int_eq(sim_start(sim, 0), SIM_OK);
	ck_assert_int_eq(l.n, 1); /* the delta that triggers it */
	ck_assert_int_eq(sim_start(sim, 0), SIM_OK);
	ck_assert_int_eq(l.n, 2);
	/* sim_run(d) runs what is due at its end time */
	sim_event_notify_at(ev, 10);
	ck_assert_int_eq(sim_run(sim, 10), SIM_OK);
	ck_assert_int_eq(l.n, 3);
	ck_assert_uint_eq(sim_time(sim), 20);
	sim_free(sim);
}
END_TEST

/* ---- a method created by a running process runs in the same delta ---- */

typedef struct dyn {
	sim_t *sim;
	log_t spawned;
	int made;
} dyn_t;

static void dyn_child(sim_proc_t *self, void *ctx)
{
	dyn_t *d = ctx;
	log_add(&d->spawned, sim_proc_sim(self), 0);
}

static void dyn_parent(sim_proc_t *self, void *ctx)
{
	(void)self;
	dyn_t *d = ctx;
	if (!d->made++)
		sim_method_new(d->sim, "child", dyn_child, d);
}

START_TEST(test_spawned_method_same_delta)
{
	sim_t *sim = sim_new(NULL);
	dyn_t d = { sim, { 0 }, 0 };
	sim_method_new(sim, "parent", dyn_parent, &d);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(d.spawned.n, 1);
	ck_assert_uint_eq(d.spawned.delta[0], 0);
	ck_assert_uint_eq(sim_delta_count(sim), 1);
	sim_free(sim);
}
END_TEST

static Suite *systemc_suite(void)
{
	Suite *s = suite_create("kernel_systemc");
	TCase *tc = tcase_create("systemc");
	tcase_add_test(tc, test_initialization_phase);
	tcase_add_test(tc, test_real_compare_is_equality);
	tcase_add_test(tc, test_delta_count_skips_empty_and_stopped);
	tcase_add_test(tc, test_multiple_drivers);
	tcase_add_test(tc, test_clock_has_one_writer);
	tcase_add_test(tc, test_clock_timing_ps);
	tcase_add_test(tc, test_sim_start);
	tcase_add_test(tc, test_spawned_method_same_delta);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(systemc_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
