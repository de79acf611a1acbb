/* test_kernel_oom.c - allocation failures inside a run are reported, never
 * swallowed. This program defines realloc() (and calloc/malloc pass
 * through untouched) so a test can make every realloc fail from a chosen
 * moment; libimcsim is linked into it, so the kernel's reallocs come here.
 * The real allocator is the next definition in link order (libc's, or the
 * sanitizer runtime's under .ci/sanitize.sh). */
#define _GNU_SOURCE
#include <check.h>
#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/sim.h"

static bool fail_realloc;

void *realloc(void *p, size_t n)
{
	static void *(*real)(void *, size_t);
	if (!real) {
		void *sym = dlsym(RTLD_NEXT, "realloc");
		memcpy(&real, &sym, sizeof(real));
	}
	if (fail_realloc)
		return NULL;
	return real(p, n);
}

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

/* 100 notifications due at one time while no allocation can succeed: the
 * run either delivers every one of them or fails with SIM_ERR_NOMEM;
 * it never reports success with some of them lost. */
START_TEST(test_due_events_survive_failing_realloc)
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
	/* initialization needs no allocation either: run it first */
	ck_assert_int_eq(sim_run(sim, 1), SIM_OK);
	fail_realloc = true;
	int rc = sim_run_to_starvation(sim);
	fail_realloc = false;
	int fired = 0;
	for (int i = 0; i < 100; i++)
		fired += d.runs[i];
	if (rc == SIM_OK)
		ck_assert_int_eq(fired, 100);
	else
		ck_assert_int_eq(rc, SIM_ERR_NOMEM);
	sim_free(sim);
}
END_TEST

typedef struct chain {
	sim_event_t *ev[2];
	int runs;
} chain_t;

static void chain_body(sim_proc_t *self, void *ctx)
{
	(void)self;
	chain_t *c = ctx;
	if (++c->runs < 1000)
		sim_event_notify(c->ev[(c->runs + 1) % 2]);
}

/* A run queue that has to grow while allocation fails: the run stops
 * with SIM_ERR_NOMEM and says so, or completes every activation. */
START_TEST(test_runq_growth_failure_is_reported)
{
	sim_t *sim = sim_new(NULL);
	chain_t c = { { sim_event_new(sim, "a"), sim_event_new(sim, "b") }, 0 };
	sim_proc_t *p[2];
	for (int i = 0; i < 2; i++) {
		p[i] = sim_method_new(sim, "p", chain_body, &c);
		sim_sensitive(p[i], c.ev[i]);
		sim_proc_dont_initialize(p[i]);
	}
	sim_event_t *go = sim_event_new(sim, "go");
	sim_sensitive(p[1], go);
	sim_event_notify_at(go, 5);
	ck_assert_int_eq(sim_run(sim, 1), SIM_OK);
	fail_realloc = true;
	int rc = sim_run_to_starvation(sim);
	fail_realloc = false;
	if (rc == SIM_OK)
		ck_assert_int_eq(c.runs, 1000);
	else {
		ck_assert_int_eq(rc, SIM_ERR_NOMEM);
		ck_assert_ptr_nonnull(strstr(sim_error(sim), "memory"));
	}
	sim_free(sim);
}
END_TEST

static Suite *oom_suite(void)
{
	Suite *s = suite_create("kernel_oom");
	TCase *tc = tcase_create("realloc_fails");
	tcase_add_test(tc, test_due_events_survive_failing_realloc);
	tcase_add_test(tc, test_runq_growth_failure_is_reported);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(oom_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
