/* test_kernel_safety.c - legal uses of the kernel that once wrote past a
 * heap block or read freed memory. Each case is legal SystemC; each must
 * give the exact activation counts below, and run clean under ASan/UBSan
 * (.ci/sanitize.sh). */
#include <check.h>
#include <stdlib.h>

#include "kernel/sim.h"

/* ---- run queue: immediate notifications re-queue processes that ran --- */

typedef struct pingpong {
	sim_event_t *ev[2];
	int runs[2];
	int limit; /* total activations */
} pingpong_t;

typedef struct pp_side {
	pingpong_t *pp;
	int me;
} pp_side_t;

static void pp_body(sim_proc_t *self, void *ctx)
{
	(void)self;
	pp_side_t *s = ctx;
	pingpong_t *pp = s->pp;
	pp->runs[s->me]++;
	if (pp->runs[0] + pp->runs[1] < pp->limit)
		sim_event_notify(pp->ev[!s->me]);
}

/* Two methods that wake each other by immediate notification: every
 * activation is in the one evaluate phase at time 0, far more than one per
 * process. */
START_TEST(test_immediate_pingpong)
{
	sim_t *sim = sim_new(NULL);
	pingpong_t pp = { { sim_event_new(sim, "a"), sim_event_new(sim, "b") },
			  { 0, 0 },
			  20001 };
	pp_side_t side[2] = { { &pp, 0 }, { &pp, 1 } };
	for (int i = 0; i < 2; i++) {
		sim_proc_t *p =
			sim_method_new(sim, i ? "b" : "a", pp_body, &side[i]);
		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(sim_sensitive(p, pp.ev[i]), SIM_OK);
		if (i)
			sim_proc_dont_initialize(p);
	}
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(pp.runs[0], 10001);
	ck_assert_int_eq(pp.runs[1], 10000);
	ck_assert_uint_eq(sim_activation_count(sim), 20001);
	ck_assert_uint_eq(sim_delta_count(sim), 1);
	sim_free(sim);
}
END_TEST

typedef struct fan {
	sim_event_t *again;
	int runs[17];
} fan_t;

typedef struct fan_ctx {
	fan_t *f;
	int i;
} fan_ctx_t;

static void fan_body(sim_proc_t *self, void *ctx)
{
	(void)self;
	fan_ctx_t *c = ctx;
	c->f->runs[c->i]++;
	if (c->i == 16)
		sim_event_notify(c->f->again);
}

/* 16 clocked methods, then a 17th on the same edge that wakes all 16
 * again by one immediate notification: 33 activations in one evaluate
 * phase for 17 processes. */
START_TEST(test_clocked_fanout_immediate_retrigger)
{
	sim_t *sim = sim_new(NULL);
	fan_t f = { sim_event_new(sim, "again"), { 0 } };
	fan_ctx_t ctx[17];
	sim_signal_t *clk = sim_clock_new(sim, "clk", 10, 50, 5, true);
	for (int i = 0; i < 17; i++) {
		ctx[i] = (fan_ctx_t){ &f, i };
		sim_proc_t *p = sim_method_new(sim, "m", fan_body, &ctx[i]);
		ck_assert_int_eq(sim_sensitive_pos(p, clk), SIM_OK);
		if (i < 16)
			ck_assert_int_eq(sim_sensitive(p, f.again), SIM_OK);
		sim_proc_dont_initialize(p);
	}
	/* rising edges at 5, 15, 25 */
	ck_assert_int_eq(sim_run(sim, 29), SIM_OK);
	for (int i = 0; i < 16; i++)
		ck_assert_int_eq(f.runs[i], 6);
	ck_assert_int_eq(f.runs[16], 3);
	sim_free(sim);
}
END_TEST

/* ---- a method created from inside a running process ---------------- */

typedef struct spawn {
	sim_t *sim;
	int ran_static[20];
	int spawned_runs;
	int spawned;
} spawn_t;

typedef struct spawn_ctx {
	spawn_t *s;
	int i;
} spawn_ctx_t;

static void spawned_body(sim_proc_t *self, void *ctx)
{
	(void)self;
	spawn_t *s = ctx;
	s->spawned_runs++;
}

static void spawner_body(sim_proc_t *self, void *ctx)
{
	(void)self;
	spawn_ctx_t *c = ctx;
	c->s->ran_static[c->i]++;
	/* the first process of the queue creates many methods, which grows
	 * the run queue while 19 entries are still waiting in it */
	if (c->i == 0 && c->s->spawned == 0) {
		for (int k = 0; k < 300; k++) {
			sim_proc_t *p = sim_method_new(c->s->sim, "spawned",
						       spawned_body, c->s);
			ck_assert_ptr_nonnull(p);
			c->s->spawned++;
		}
	}
}

START_TEST(test_method_created_inside_process)
{
	sim_t *sim = sim_new(NULL);
	spawn_t s = { sim, { 0 }, 0, 0 };
	spawn_ctx_t ctx[20];
	for (int i = 0; i < 20; i++) {
		ctx[i] = (spawn_ctx_t){ &s, i };
		ck_assert_ptr_nonnull(
			sim_method_new(sim, "static", spawner_body, &ctx[i]));
	}
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(s.ran_static[i], 1);
	ck_assert_int_eq(s.spawned_runs, 300);
	ck_assert_uint_eq(sim_activation_count(sim), 320);
	sim_free(sim);
}
END_TEST

/* ---- many due notifications at one time all fire -------------------- */

typedef struct due {
	int runs[100];
} due_t;

typedef struct due_ctx {
	due_t *d;
	int i;
} due_ctx_t;

static void due_body(sim_proc_t *self, void *ctx)
{
	(void)self;
	due_ctx_t *c = ctx;
	c->d->runs[c->i]++;
}

START_TEST(test_many_due_timed_events)
{
	sim_t *sim = sim_new(NULL);
	due_t d = { { 0 } };
	due_ctx_t ctx[100];
	for (int i = 0; i < 100; i++) {
		sim_event_t *ev = sim_event_new(sim, "ev");
		ctx[i] = (due_ctx_t){ &d, i };
		sim_proc_t *p = sim_method_new(sim, "p", due_body, &ctx[i]);
		sim_sensitive(p, ev);
		sim_proc_dont_initialize(p);
		ck_assert_int_eq(sim_event_notify_at(ev, 7), SIM_OK);
	}
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(d.runs[i], 1);
	sim_free(sim);
}
END_TEST

static Suite *safety_suite(void)
{
	Suite *s = suite_create("kernel_safety");
	TCase *tc = tcase_create("memory");
	tcase_add_test(tc, test_immediate_pingpong);
	tcase_add_test(tc, test_clocked_fanout_immediate_retrigger);
	tcase_add_test(tc, test_method_created_inside_process);
	tcase_add_test(tc, test_many_due_timed_events);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(safety_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
