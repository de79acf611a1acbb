/*
 * test_imc_err.c - the library's one error convention (imc_err.h): a
 * failing call returns its code and records one message in
 * imc_last_error(); successful calls record nothing; an object's own copy
 * (sim_error, sys_error) says the same; the message is per thread.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "bnn/bnn.h"
#include "bnn/idx.h"
#include "imc_err.h"
#include "kernel/sim.h"
#include "system/system.h"

START_TEST(test_failure_sets_code_and_message)
{
	struct idx_images img;
	imc_clear_error();
	ck_assert_str_eq(imc_last_error(), "");
	int rc = idx_read_images("/nonexistent/imc-err-test", &img);
	ck_assert_int_eq(rc, IMC_EIO);
	ck_assert_ptr_nonnull(
		strstr(imc_last_error(), "/nonexistent/imc-err-test"));
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "cannot open"));
	ck_assert_str_eq(imc_strerror(rc), "cannot read or write the file");
}
END_TEST

/* The documented semantic (errno's): a success records nothing, so after
 * imc_clear_error() a run of successful calls leaves "" and a stale
 * message is never mistaken for a fresh one by a caller that clears. A
 * later failure replaces the whole message, however long the old one. */
START_TEST(test_success_records_nothing)
{
	struct bnn_hw hw;
	sys_params_t sp;
	bnn_hw_defaults(&hw);
	sys_params_default(&sp);
	hw.comp_step = 0;
	ck_assert_int_eq(bnn_hw_check(&hw), BNN_EARG);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "comp_step 0"));
	hw.comp_step = 4;
	ck_assert_int_eq(bnn_hw_check(&hw), 0);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "comp_step 0"));
	imc_clear_error();
	ck_assert_int_eq(bnn_hw_check(&hw), 0);
	ck_assert_int_eq(sys_params_check(&sp), 0);
	ck_assert_str_eq(imc_last_error(), "");
	/* a long message, then a short one: nothing of the first is left */
	char long_path[600];
	memset(long_path, 'x', sizeof long_path - 1);
	long_path[sizeof long_path - 1] = '\0';
	long_path[0] = '/';
	struct idx_labels lab;
	ck_assert_int_lt(idx_read_labels(long_path, &lab), 0);
	ck_assert_uint_gt(strlen(imc_last_error()), 600);
	sp.nchips = 1;
	ck_assert_int_eq(sys_params_check(&sp), SYS_EARG);
	ck_assert_ptr_null(strstr(imc_last_error(), "xxx"));
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "nchips"));
}
END_TEST

/* Even a bare argument error says something, and never leaves an older
 * message standing as if it were its own. */
START_TEST(test_argument_errors_have_messages)
{
	imc_fail(IMC_EIO, "an older failure");
	ck_assert_int_eq(sys_calibrate(NULL), SYS_EARG);
	ck_assert_str_eq(imc_last_error(), "sys_calibrate: invalid argument");
	imc_fail(IMC_EIO, "an older failure");
	ck_assert_int_eq(sim_sensitive(NULL, NULL), SIM_ERR_ARG);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "sim_sensitive"));
}
END_TEST

START_TEST(test_fail_wraps_and_truncates)
{
	ck_assert_int_eq(imc_fail(IMC_ERANGE, "inner %d", 7), IMC_ERANGE);
	/* the inner message may be an argument of the outer one */
	ck_assert_int_eq(imc_fail(IMC_EEVAL, "outer: %s", imc_last_error()),
			 IMC_EEVAL);
	ck_assert_str_eq(imc_last_error(), "outer: inner 7");
	char big[IMC_ERRMSG_MAX * 2];
	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	imc_fail(IMC_EINVAL, "%s", big);
	ck_assert_uint_eq(strlen(imc_last_error()), IMC_ERRMSG_MAX - 1);
}
END_TEST

static void fail_twice(sim_proc_t *self, void *ctx)
{
	sim_t *sim = ctx;
	(void)self;
	sim_fail(sim, "first fault");
	sim_fail(sim, "second fault"); /* the run keeps the first */
	imc_fail(IMC_EINVAL, "something else on the way out");
}

/* An object's own message and the thread's are the same text. */
START_TEST(test_objects_agree)
{
	sim_config_t cfg;
	sim_config_default(&cfg);
	sim_t *sim = sim_new(&cfg);
	ck_assert_ptr_nonnull(sim);
	ck_assert_ptr_nonnull(sim_method_new(sim, "p", fail_twice, sim));
	imc_clear_error();
	ck_assert_int_eq(sim_run(sim, 10), SIM_ERR_PROCESS);
	ck_assert_str_eq(sim_error(sim), "first fault");
	ck_assert_str_eq(imc_last_error(), "first fault");
	imc_clear_error();
	ck_assert_int_eq(sim_run(sim, 10), SIM_ERR_PROCESS); /* stays failed */
	ck_assert_str_eq(imc_last_error(), "first fault");
	sim_free(sim);

	sys_params_t sp;
	sys_params_default(&sp);
	sys_t *s = sys_new(&sp, SYS_TLM, NULL);
	ck_assert_ptr_nonnull(s);
	imc_clear_error();
	ck_assert_int_eq(sys_load_layer(s, 7, NULL), SYS_EARG);
	ck_assert_str_eq(sys_error(s), imc_last_error());
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "no layer 7"));
	sys_free(s);
}
END_TEST

/* Two threads fail at once, each with its own message; neither sees the
 * other's. The barrier makes both failures happen before either reads. */
static pthread_barrier_t both_failed;

static void *fail_in_thread(void *arg)
{
	const char *name = arg;
	struct bnn_hw hw;
	bnn_hw_defaults(&hw);
	hw.comp_max_steps = name[0] == 'a' ? -1 : 2000;
	int rc = bnn_hw_check(&hw);
	pthread_barrier_wait(&both_failed);
	char want[64];
	snprintf(want, sizeof want, "comp_max_steps %d", hw.comp_max_steps);
	int ok = rc == BNN_EARG && strstr(imc_last_error(), want) != NULL;
	pthread_barrier_wait(&both_failed); /* the other thread has read too */
	return ok ? arg : NULL;
}

START_TEST(test_thread_local)
{
	pthread_t a, b;
	void *ra = NULL, *rb = NULL;
	imc_fail(IMC_EIO, "the main thread's own");
	ck_assert_int_eq(pthread_barrier_init(&both_failed, NULL, 2), 0);
	ck_assert_int_eq(pthread_create(&a, NULL, fail_in_thread, "a"), 0);
	ck_assert_int_eq(pthread_create(&b, NULL, fail_in_thread, "b"), 0);
	ck_assert_int_eq(pthread_join(a, &ra), 0);
	ck_assert_int_eq(pthread_join(b, &rb), 0);
	pthread_barrier_destroy(&both_failed);
	ck_assert_ptr_nonnull(ra);
	ck_assert_ptr_nonnull(rb);
	ck_assert_str_eq(imc_last_error(), "the main thread's own");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("imc_err");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_failure_sets_code_and_message);
	tcase_add_test(tc, test_success_records_nothing);
	tcase_add_test(tc, test_argument_errors_have_messages);
	tcase_add_test(tc, test_fail_wraps_and_truncates);
	tcase_add_test(tc, test_objects_agree);
	tcase_add_test(tc, test_thread_local);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
