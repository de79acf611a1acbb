/* test_dist.c - dist.h's MPI engine under the real mpirun (tests/
 * dist_probe): every job computed once and reported once, the same results
 * on 1, 2 and 3 ranks as without a launcher, a partial todo[], no jobs at
 * all, and a job that fails on a worker, on rank 0 or on whoever runs it
 * stopping every rank with the failing job's message (a hang is a
 * failure: each run is under timeout). */
#include "cli_harness.h"
#include "mpirun.h"

#define TIMEOUT "timeout 120 "

static unsigned long long field(const char *out, const char *name)
{
	char key[32];
	snprintf(key, sizeof(key), " %s ", name);
	const char *s = strstr(out, key);
	ck_assert_msg(s != NULL, "no %s in: %s", name, out);
	return strtoull(s + strlen(key), NULL, 10);
}

#define NEED_MPIRUN()                                               \
	do {                                                        \
		find_mpirun();                                      \
		if (!mpirun[0]) {                                   \
			fprintf(stderr, "SKIP: no mpirun found\n"); \
			return;                                     \
		}                                                   \
	} while (0)

START_TEST(test_same_results_any_ranks)
{
	NEED_MPIRUN();
	ck_assert_int_eq(sh("$IMCSIM 300"), 0);
	unsigned long long serial = field(outbuf, "sum");
	ck_assert_uint_eq(field(outbuf, "done"), 300);
	ck_assert_uint_eq(field(outbuf, "bad"), 0);
	for (unsigned n = 1; n <= 3; n++) {
		ck_assert_int_eq(sh(TIMEOUT "%s -n %u $IMCSIM 300", mpirun, n),
				 0);
		ck_assert_uint_eq(field(outbuf, "sum"), serial);
		ck_assert_uint_eq(field(outbuf, "ranks"), n);
		ck_assert_uint_eq(field(outbuf, "done"), 300);
		ck_assert_uint_eq(field(outbuf, "bad"), 0);
		/* 300 jobs of 1-4 ms: rank 0 alone would take 0.75 s,
		 * time enough for a worker to ask */
		if (n > 1)
			ck_assert_uint_ge(field(outbuf, "used"), 2);
	}
}
END_TEST

START_TEST(test_partial_and_empty_todo)
{
	NEED_MPIRUN();
	ck_assert_int_eq(sh(TIMEOUT "%s -n 2 $IMCSIM 101 --odd", mpirun), 0);
	ck_assert_uint_eq(field(outbuf, "jobs"), 50);
	ck_assert_uint_eq(field(outbuf, "done"), 50);
	ck_assert_uint_eq(field(outbuf, "bad"), 0);
	/* fewer jobs than a worker asks for, and none */
	for (unsigned n = 2; n <= 3; n++) {
		ck_assert_int_eq(sh(TIMEOUT "%s -n %u $IMCSIM 1", mpirun, n),
				 0);
		ck_assert_uint_eq(field(outbuf, "done"), 1);
		ck_assert_uint_eq(field(outbuf, "bad"), 0);
		ck_assert_int_eq(sh(TIMEOUT "%s -n %u $IMCSIM 0", mpirun, n),
				 0);
		ck_assert_uint_eq(field(outbuf, "done"), 0);
	}
}
END_TEST

/* A failed run: mpirun's status is the ranks' 1 (not timeout's 124), and
 * rank 0 names the job, the rank and the job's own message. */
static void expect_failure(const char *args, unsigned n, const char *who)
{
	int st = sh(TIMEOUT "%s -n %u $IMCSIM %s", mpirun, n, args);
	ck_assert_msg(st != 0 && st != 124, "%s on %u ranks: status %d", args,
		      n, st);
	ck_assert_msg(strstr(errbuf, who) != NULL, "%s: no \"%s\" in: %s", args,
		      who, errbuf);
	ck_assert_msg(strstr(errbuf, "failed on purpose") != NULL,
		      "%s: the job's message is lost: %s", args, errbuf);
	ck_assert_ptr_null(strstr(outbuf, " sum "));
}

START_TEST(test_failures_stop_every_rank)
{
	NEED_MPIRUN();
	/* a worker fails its first job while it holds the next one */
	expect_failure("200 --fail-rank 1", 2, "(rank 1): probe: job");
	expect_failure("200 --fail-rank 2", 3, "(rank 2): probe: job");
	/* rank 0's computing thread fails while workers compute */
	expect_failure("200 --fail-rank 0", 3, "(rank 0): probe: job");
	expect_failure("200 --fail-job 120", 3, "job 120 (rank ");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dist");
	TCase *tc = tcase_create("mpi");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_same_results_any_ranks);
	tcase_add_test(tc, test_partial_and_empty_todo);
	tcase_add_test(tc, test_failures_stop_every_rank);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
