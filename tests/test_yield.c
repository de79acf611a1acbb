/* test_yield.c - `imcsim yield` and the grid `imcsim sweep` end to end: 1
 * rank and 2 ranks under mpirun give byte-identical JSON (and the same as
 * a run without MPI), a resumed run equals an uninterrupted one (after a
 * partial run, a torn last record and a kill), another run's results file
 * is refused, a failing instance re-run alone with `eval --chip-seed`
 * reproduces its accuracy, and the yield counts what the instances say. */
#include <cjson/cJSON.h>

#include "cli_harness.h"
#include "mpirun.h"

/* small: 300 training images, 100 test images, one epoch */
#define SMALL                                                             \
	" --quiet --set data.train_images=300 --set data.test_images=100" \
	" --set train.epochs=1"

static cJSON *load_json(const char *name)
{
	static char text[1 << 20];
	slurp_into(at(name), text, sizeof(text));
	cJSON *root = cJSON_Parse(text);
	ck_assert_msg(root != NULL, "%s is not JSON", name);
	return root;
}

/* The JSON text without its command line (each run names its files). */
static char *without_command_line(const char *name)
{
	cJSON *root = load_json(name);
	cJSON_DeleteItemFromObject(root, "command_line");
	char *s = cJSON_Print(root);
	cJSON_Delete(root);
	return s;
}

static bool same_file(const char *a, const char *b)
{
	return sh("cmp -s %s %s", a, b) == 0;
}

/* A PNG's signature and its IEND chunk at the end. */
static bool is_png(const char *name)
{
	static const unsigned char sig[8] = { 0x89, 'P',  'N',	'G',
					      '\r', '\n', 0x1a, '\n' };
	static unsigned char buf[1 << 21];
	FILE *f = fopen(at(name), "rb");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return n > 20 && !memcmp(buf, sig, 8) &&
	       !memcmp(buf + n - 8, "IEND", 4);
}

static void make_net(void)
{
	ck_assert_int_eq(sh("$IMCSIM train" SMALL " --out net.txt"), 0);
}

START_TEST(test_ranks_identical)
{
	if (!data_present())
		return;
	find_mpirun();
	make_net();
	const char *y = " yield" SMALL " --net ../net.txt --chips 7 --spec 20"
			" --json y.json";
	ck_assert_int_eq(sh("mkdir a b c && cd a && $IMCSIM %s", y), 0);
	if (!mpirun[0])
		return; /* nothing to compare the serial run with */
	ck_assert_int_eq(sh("cd b && %s -n 1 $IMCSIM %s", mpirun, y), 0);
	ck_assert_int_eq(sh("cd c && %s -n 2 $IMCSIM %s", mpirun, y), 0);
	ck_assert_ptr_nonnull(strstr(outbuf, "2 processes (MPI)"));
	ck_assert(same_file("a/y.json", "b/y.json"));
	ck_assert(same_file("a/y.json", "c/y.json"));
	/* the default net: rank 0 trains it (the cache is empty) and gives
	 * it to the others; the serial run then takes it from the cache */
	const char *t = " yield" SMALL " --chips 4 --spec 20 --json t.json";
	ck_assert_int_eq(sh("cd c && %s -n 2 $IMCSIM %s", mpirun, t), 0);
	ck_assert_int_eq(sh("cd a && $IMCSIM %s", t), 0);
	ck_assert(same_file("a/t.json", "c/t.json"));
	/* the grid too, with a training parameter that retrains a point */
	const char *s = " sweep" SMALL " --param comparator.offset_sigma_v"
			" --values 0.01,0.05 --param train.epochs --values 1,2"
			" --chips 3 --spec 20 --json s.json";
	ck_assert_int_eq(sh("cd a && $IMCSIM %s", s), 0);
	ck_assert_int_eq(sh("cd c && %s -n 2 $IMCSIM %s", mpirun, s), 0);
	ck_assert(same_file("a/s.json", "c/s.json"));
}
END_TEST

/* Number of record lines (after the header) in a results file. */
static int records(const char *name)
{
	static char text[1 << 16];
	slurp_into(at(name), text, sizeof(text));
	int n = 0;
	for (char *p = text; (p = strchr(p, '\n')); p++)
		n++;
	return n > 0 ? n - 1 : 0;
}

START_TEST(test_resume_equals_uninterrupted)
{
	if (!data_present())
		return;
	find_mpirun();
	make_net();
	const char *y = " yield" SMALL " --net net.txt --spec 20";
	ck_assert_int_eq(sh("$IMCSIM %s --chips 8 --json full.json", y), 0);
	/* a partial run, then its last record torn in half */
	ck_assert_int_eq(sh("$IMCSIM %s --chips 3 --resume r.txt", y), 0);
	ck_assert_int_eq(records("r.txt"), 3);
	ck_assert_int_eq(sh("head -c -20 r.txt > r2 && mv r2 r.txt"), 0);
	ck_assert_int_eq(sh("%s $IMCSIM %s --chips 8 --resume r.txt "
			    "--json resumed.json",
			    mpirun[0] ? mpirun : "", y),
			 0);
	ck_assert_ptr_nonnull(strstr(outbuf, "resumed 2 of 8 instances"));
	ck_assert_int_eq(records("r.txt"), 8);
	char *a = without_command_line("full.json"),
	     *b = without_command_line("resumed.json");
	ck_assert_str_eq(a, b);
	free(b);
	/* a run stopped by a signal keeps what it completed */
	char args[512];
	snprintf(args, sizeof(args),
		 "yield --quiet --set data.train_images=300 --set "
		 "data.test_images=100 --set train.epochs=1 --net net.txt "
		 "--spec 20 --chips 8 --resume k.txt --json killed.json");
	pid_t pid = spawn(args);
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int finished = 0;
	while (records("k.txt") < 1 && !finished) {
		finished = waitpid(pid, NULL, WNOHANG) == pid;
		nanosleep(&ts, NULL);
	}
	if (!finished) {
		kill(pid, SIGINT);
		waitpid(pid, NULL, 0);
	}
	ck_assert_int_eq(
		sh("$IMCSIM %s --chips 8 --resume k.txt --json k.json", y), 0);
	b = without_command_line("k.json");
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	/* another run's file is refused, and left as it was */
	ck_assert_int_eq(sh("cp r.txt r0 && $IMCSIM %s --chips 8 --resume r.txt"
			    " --set comparator.offset_sigma_v=0.02",
			    y),
			 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "written by a different run"));
	ck_assert(same_file("r.txt", "r0"));
}
END_TEST

START_TEST(test_failing_instance_reruns)
{
	if (!data_present())
		return;
	make_net();
	/* spec 100: every instance fails */
	ck_assert_int_eq(sh("$IMCSIM yield" SMALL " --net net.txt --chips 3 "
			    "--spec 100 --json y.json"),
			 0);
	cJSON *root = load_json("y.json");
	cJSON *fail = cJSON_GetObjectItem(root, "failing");
	ck_assert_int_eq(cJSON_GetArraySize(fail), 3);
	cJSON *f;
	cJSON_ArrayForEach(f, fail)
	{
		double seed = cJSON_GetObjectItem(f, "chip_seed")->valuedouble;
		double acc =
			cJSON_GetObjectItem(f, "accuracy_pct")->valuedouble;
		const char *rerun =
			cJSON_GetObjectItem(f, "rerun")->valuestring;
		ck_assert_ptr_nonnull(strstr(rerun, "eval --net net.txt"));
		ck_assert_int_eq(sh("$IMCSIM eval" SMALL " --net net.txt "
				    "--chip-seed %.0f --json e.json",
				    seed),
				 0);
		cJSON *e = load_json("e.json");
		double ea =
			cJSON_GetObjectItem(e, "test_accuracy")->valuedouble;
		ck_assert_double_eq_tol(100 * ea, acc, 1e-9);
		cJSON_Delete(e);
	}
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_yield_counts_and_grid)
{
	if (!data_present())
		return;
	make_net();
	bool plots = sh("command -v gnuplot") == 0;
	ck_assert_int_eq(sh("$IMCSIM yield" SMALL " --net net.txt --chips 6 "
			    "--spec 15 --json y.json%s",
			    plots ? " --figure h.png" : ""),
			 0);
	if (plots)
		ck_assert(is_png("h.png"));
	cJSON *root = load_json("y.json");
	cJSON *y = cJSON_GetObjectItem(root, "yield");
	int pass = 0, n = 0;
	cJSON *x;
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(root, "instances"))
	{
		pass += cJSON_GetObjectItem(x, "accuracy_pct")->valuedouble >=
			15;
		n++;
	}
	ck_assert_int_eq(n, 6);
	ck_assert_int_eq(cJSON_GetObjectItem(y, "passing")->valueint, pass);
	ck_assert_int_eq(
		cJSON_GetArraySize(cJSON_GetObjectItem(root, "failing")),
		n - pass);
	double lo = cJSON_GetObjectItem(y, "ci95_low")->valuedouble,
	       hi = cJSON_GetObjectItem(y, "ci95_high")->valuedouble;
	ck_assert(lo <= pass / 6.0 && pass / 6.0 <= hi);
	int hist = 0;
	cJSON_ArrayForEach(
		x, cJSON_GetObjectItem(cJSON_GetObjectItem(root, "histogram"),
				       "bins"))
		hist += cJSON_GetObjectItem(x, "count")->valueint;
	ck_assert_int_eq(hist, 6);
	cJSON_Delete(root);
	/* a 2 x 2 grid of 2 chips each */
	ck_assert_int_eq(sh("$IMCSIM sweep" SMALL " --net net.txt --param "
			    "comparator.offset_sigma_v --values 0.005,0.08 "
			    "--param comp.mismatch_scale --values 0,2 "
			    "--chips 2 --spec 15 --json s.json%s",
			    plots ? " --figure g.png" : ""),
			 0);
	if (plots)
		ck_assert(is_png("g.png"));
	root = load_json("s.json");
	cJSON *pts = cJSON_GetObjectItem(root, "points");
	ck_assert_int_eq(cJSON_GetArraySize(pts), 4);
	cJSON *p3 = cJSON_GetArrayItem(pts, 3);
	cJSON *v = cJSON_GetObjectItem(p3, "values");
	ck_assert_double_eq(
		cJSON_GetObjectItem(v, "comparator.offset_sigma_v")->valuedouble,
		0.08);
	ck_assert_double_eq(
		cJSON_GetObjectItem(v, "comp.mismatch_scale")->valuedouble, 2);
	cJSON *cal = cJSON_GetObjectItem(p3, "calibrated");
	ck_assert_int_eq(cJSON_GetObjectItem(cal, "chips")->valueint, 2);
	cJSON_Delete(root);
	/* --net with a grid that changes training is refused */
	ck_assert_int_eq(sh("$IMCSIM sweep" SMALL " --net net.txt --param "
			    "train.epochs --values 1,2"),
			 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "the net is fixed"));
	/* a figure draws one or two parameters; refused before any work */
	ck_assert_int_eq(sh("$IMCSIM sweep" SMALL " --net net.txt --param "
			    "comparator.offset_sigma_v --values 0.01 --param "
			    "comp.mismatch_scale --values 1 --param "
			    "comparator.noise_sigma_v --values 0.001 "
			    "--figure x.png"),
			 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "one or two parameters"));
	ck_assert(!exists(at("x.png")));
}
END_TEST

/* The one file in the net cache (the test's own XDG_CACHE_HOME). */
static int cached_net(char *path, size_t n)
{
	if (sh("ls .cache/imcsim/nets/*.bnn") != 0)
		return -1;
	size_t len = strcspn(outbuf, "\n");
	if (outbuf[len] != '\n' || outbuf[len + 1] != 0) /* exactly one */
		return -1;
	snprintf(path, n, "%.*s", (int)len, outbuf);
	return 0;
}

/* The default net is trained once and then read from the user cache: the
 * results are the same with the cache off, on a miss, on a hit and after a
 * damaged file; a hit really reads the file (a different net stored under
 * the key changes the result); another configuration is another key. */
START_TEST(test_net_cache)
{
	if (!data_present())
		return;
	const char *y = " yield" SMALL " --chips 2 --spec 20 --json";
	char f[600];
	ck_assert_int_eq(sh("IMCSIM_NET_CACHE=0 $IMCSIM %s off.json", y), 0);
	ck_assert(!exists(at(".cache/imcsim")));
	ck_assert_int_eq(sh("$IMCSIM %s miss.json", y), 0);
	ck_assert_int_eq(cached_net(f, sizeof f), 0);
	ck_assert_int_eq(sh("$IMCSIM %s hit.json", y), 0);
	char *off = without_command_line("off.json");
	char *miss = without_command_line("miss.json");
	char *hit = without_command_line("hit.json");
	ck_assert_str_eq(off, miss);
	ck_assert_str_eq(off, hit);
	/* a damaged file is trained again and replaced */
	ck_assert_int_eq(sh("echo garbage > %s", f), 0);
	ck_assert_int_eq(sh("$IMCSIM %s fixed.json", y), 0);
	char *fixed = without_command_line("fixed.json");
	ck_assert_str_eq(off, fixed);
	ck_assert_int_eq(sh("head -c 10 %s | grep -c imcsim-bnn", f), 0);
	/* a hit reads the file: another net under the key, other results */
	ck_assert_int_eq(sh("$IMCSIM train" SMALL " --set train.seed=9 --out "
			    "other.txt && cp other.txt %s",
			    f),
			 0);
	ck_assert_int_eq(sh("$IMCSIM %s other.json", y), 0);
	char *other = without_command_line("other.json");
	ck_assert_str_ne(off, other);
	/* another configuration, another key */
	ck_assert_int_eq(sh("rm -f %s && $IMCSIM %s s2.json --set "
			    "train.seed=2",
			    f, y),
			 0);
	ck_assert_int_eq(cached_net(f, sizeof f), 0);
	ck_assert_int_eq(sh("$IMCSIM %s s1.json", y), 0);
	ck_assert_int_eq(sh("ls .cache/imcsim/nets | grep -c 'bnn$'"), 0);
	ck_assert_str_eq(outbuf, "2\n");
	free(off);
	free(miss);
	free(hit);
	free(fixed);
	free(other);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("yield");
	TCase *tc = tcase_create("yield");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_ranks_identical);
	tcase_add_test(tc, test_resume_equals_uninterrupted);
	tcase_add_test(tc, test_failing_instance_reruns);
	tcase_add_test(tc, test_yield_counts_and_grid);
	tcase_add_test(tc, test_net_cache);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
