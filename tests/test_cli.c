/* test_cli.c - the imcsim command end to end: small real jobs (MNIST from
 * the fetched cache), their JSON, determinism, and the bad-input matrix:
 * every bad input gives one clear message naming the problem, a non-zero
 * exit and no output file. */
#include <check.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mnist_dir.h"

static char tmp[128];
static char errbuf[8192];
static char outbuf[65536];
/* Shell commands run before imcsim (e.g. a file size limit). */
static const char *run_prefix = "";

/* Small, fast settings for the real jobs. */
#define SMALL                                                       \
	" --quiet --set data.test_images=500 --set train.epochs=10" \
	" --set system.chip_seeds=2 --set train.cil_epochs=1"       \
	" --set train.seeds=1"

static void slurp_into(const char *path, char *buf, size_t cap)
{
	buf[0] = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	size_t n = fread(buf, 1, cap - 1, f);
	buf[n] = 0;
	fclose(f);
}

/* Run imcsim with args; exit status; stdout/stderr kept in the buffers. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char args[2048], cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd),
		 "%sIMCSIM_MNIST_DIR=%s %s %s >%s/out 2>%s/err", run_prefix,
		 data_dir(), IMCSIM_BIN, args, tmp, tmp);
	int st = system(cmd);
	slurp_into(strcat(strcpy(cmd, tmp), "/out"), outbuf, sizeof(outbuf));
	slurp_into(strcat(strcpy(cmd, tmp), "/err"), errbuf, sizeof(errbuf));
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void setup(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/imcsim-cli-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
}

static void teardown(void)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	ck_assert_int_eq(system(cmd), 0);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* No file in dir whose name contains part (temporary leftovers). */
static bool no_leftovers(const char *dir, const char *part)
{
	DIR *d = opendir(dir);
	if (!d)
		return true;
	struct dirent *e;
	bool clean = true;
	while ((e = readdir(d)))
		if (strstr(e->d_name, part))
			clean = false;
	closedir(d);
	return clean;
}

static bool data_present(void)
{
	return exists(data_file("train-images-idx3-ubyte"));
}

/* ---- real jobs ------------------------------------------------------ */

START_TEST(test_demo_json_and_determinism)
{
	if (!data_present()) {
		fprintf(stderr, "SKIP: no MNIST cache in %s\n", data_dir());
		return;
	}
	ck_assert_int_eq(run("demo" SMALL " --json %s/a.json", tmp), 0);
	ck_assert_int_eq(run("demo" SMALL " --json %s/b.json", tmp), 0);
	char pa[200], pb[200];
	snprintf(pa, sizeof(pa), "%s/a.json", tmp);
	snprintf(pb, sizeof(pb), "%s/b.json", tmp);
	static char a[1 << 16], b[1 << 16];
	slurp_into(pa, a, sizeof(a));
	slurp_into(pb, b, sizeof(b));
	/* same seed, same bytes, except the command line (the file names) */
	char *line_a = strstr(a, "\"command_line\":"),
	     *line_b = strstr(b, "\"command_line\":");
	ck_assert(line_a && line_b);
	char *after_a = strstr(line_a, "],"), *after_b = strstr(line_b, "],");
	ck_assert(after_a && after_b);
	ck_assert(strstr(line_a, "a.json") && strstr(line_b, "b.json"));
	ck_assert_int_eq(line_a - a, line_b - b);
	ck_assert(!memcmp(a, b, (size_t)(line_a - a)));
	ck_assert(!strcmp(after_a, after_b));
	ck_assert_ptr_nonnull(strstr(outbuf, "chip_in_the_loop"));
	cJSON *root = cJSON_Parse(a);
	ck_assert_ptr_nonnull(root);
	/* the contract itself is tested in test_demo */
	cJSON *rows = cJSON_GetObjectItem(root, "rows");
	ck_assert_int_eq(cJSON_GetArraySize(rows), 7);
	for (int i = 0; i < 7; i++) {
		cJSON *m = cJSON_GetArrayItem(rows, i);
		double acc =
			cJSON_GetObjectItem(m, "accuracy_mean")->valuedouble;
		ck_assert_double_gt(acc, 60.0); /* far above chance (10%) */
		ck_assert_double_le(acc, 100.0);
	}
	ck_assert_double_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(root, "parameters"),
				    "train")
			->child->valuedouble,
		1.0); /* train.seed */
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_train_eval_levels_agree)
{
	if (!data_present())
		return;
	ck_assert_int_eq(run("train" SMALL " --out %s/net.txt", tmp), 0);
	ck_assert_ptr_nonnull(strstr(outbuf, "test accuracy"));
	ck_assert_int_eq(run("eval" SMALL " --net %s/net.txt --json %s/t.json",
			     tmp, tmp),
			 0);
	static char tlm[sizeof(outbuf)];
	memcpy(tlm, outbuf, sizeof(outbuf));
	ck_assert_int_eq(run("eval" SMALL " --net %s/net.txt --level ca", tmp),
			 0);
	/* the cycle-accurate path is bit-identical: same accuracies */
	char *a = strstr(tlm, "mean accuracy"), *b = strstr(outbuf, "mean "
								    "accuracy");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(strncmp(a, b, 40), 0);
	ck_assert_ptr_nonnull(strstr(outbuf, "cycles/image"));
}
END_TEST

START_TEST(test_calibrate_and_trace)
{
	if (!data_present())
		return;
	ck_assert_int_eq(run("calibrate --quiet --json %s/c.json", tmp), 0);
	char p[200];
	static char buf[1 << 20];
	snprintf(p, sizeof(p), "%s/c.json", tmp);
	slurp_into(p, buf, sizeof(buf));
	cJSON *root = cJSON_Parse(buf);
	ck_assert_ptr_nonnull(root);
	cJSON *chips = cJSON_GetObjectItem(root, "chips");
	ck_assert_int_eq(cJSON_GetArraySize(chips), 4);
	cJSON *c0 = cJSON_GetArrayItem(chips, 0);
	ck_assert_double_gt(
		cJSON_GetObjectItem(c0, "fraction_within_one_step")->valuedouble,
		0.7);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(c0, "columns")),
			 128);
	cJSON_Delete(root);
	ck_assert_int_eq(run("trace" SMALL " --vcd %s/s.vcd --image 3", tmp),
			 0);
	snprintf(p, sizeof(p), "%s/s.vcd", tmp);
	ck_assert(exists(p));
	ck_assert_ptr_nonnull(strstr(outbuf, "predicted"));
	ck_assert(no_leftovers(tmp, ".tmp-"));
}
END_TEST

/* ---- the bad-input matrix ------------------------------------------- */

typedef struct bad_case {
	const char *args;   /* %s is the temporary directory */
	int status;	    /* expected exit status */
	const char *phrase; /* the message must contain it */
} bad_case_t;

static const bad_case_t bad[] = {
	{ "frobnicate", 2, "unknown command 'frobnicate'" },
	{ "demo --frob", 2, "unknown option '--frob'" },
	{ "demo --set comparator.bogus=1", 2,
	  "unknown parameter 'comparator.bogus'" },
	{ "demo --set nodot=1", 2, "section.key=value" },
	{ "demo --set comparator.offset_sigma_v", 2, "section.key=value" },
	{ "demo --set comparator.offset_sigma_v=abc", 2,
	  "is not a finite decimal number" },
	{ "demo --set comparator.offset_sigma_v=nan", 2,
	  "is not a finite decimal number" },
	{ "demo --set comparator.offset_sigma_v=inf", 2,
	  "is not a finite decimal number" },
	{ "demo --set comparator.offset_sigma_v=-0.01", 2, "out of range" },
	{ "demo --set bitline.c_cell_f=1", 2, "out of range" },
	{ "demo --set train.epochs=1.5", 2, "is not a whole decimal number" },
	{ "demo --set train.epochs=-3", 2, "'-3' is negative" },
	{ "demo --set train.epochs=0", 2, "out of range" },
	{ "demo --set chip.t_pre_ps=19000", 2, "invalid parameters" },
	{ "demo --set system.layer1_chip=0", 2, "invalid parameters" },
	{ "demo --config %s/missing.ini", 2, "cannot read config" },
	{ "demo --config %s/malformed.ini", 2, "malformed.ini:2" },
	{ "demo --config %s/unknown.ini", 2,
	  "unknown parameter 'comparator.gain'" },
	{ "demo --config %s/range.ini", 2, "out of range" },
	{ "demo --config %s/nosection.ini", 2, "before any [section]" },
	{ "demo --json /nonexistent-dir/r.json", 1,
	  "cannot write /nonexistent-dir" },
	{ "demo --json %s/ro/r.json", 1, "cannot write" },
	{ "demo --data %s/nodata --json %s/x.json", 1, "imcsim fetch-data" },
	{ "demo --data %s/trunc --json %s/x.json", 1, "truncated" },
	{ "demo --data %s/magic --json %s/x.json", 1, "magic" },
	{ "demo --data %s/count --json %s/x.json", 1, "count" },
	{ "eval", 2, "--net FILE is required" },
	{ "eval --net %s/missing.net", 1, "missing.net" },
	{ "eval --net %s/bad.net", 1, "bad.net:" },
	{ "eval --net %s/bad.net --level rtl", 2, "--level must be tlm or ca" },
	{ "sweep --param comparator.offset_sigma_v --values 0.01,x", 2,
	  "is not a finite decimal number" },
	{ "sweep --param comparator.nope --values 1", 2, "unknown parameter" },
	{ "trace --image 99999999 --vcd %s/x.vcd --set data.test_images=5", 2,
	  "test split has 5 images" },
	{ "trace --image 4x --vcd %s/x.vcd", 2, "not an index" },
	{ "demo --set", 2, "needs a value" },
};

static void write_file(const char *name, const char *text)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", tmp, name);
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* A copy of the MNIST cache with one file damaged by cmd (run in it). */
static void bad_data_dir(const char *name, const char *cmd)
{
	char c[1024];
	snprintf(c, sizeof(c),
		 "mkdir -p %s/%s && cp %s/*-ubyte %s/%s/ && cd %s/%s && %s",
		 tmp, name, data_dir(), tmp, name, tmp, name, cmd);
	ck_assert_int_eq(system(c), 0);
}

START_TEST(test_bad_inputs)
{
	const bad_case_t *bc = &bad[_i];
	write_file("malformed.ini", "[comparator]\nthis line has no equals\n");
	write_file("unknown.ini", "[comparator]\ngain = 2\n");
	write_file("range.ini", "[wldac]\ncompress = 0.9\n");
	write_file("nosection.ini", "seed = 3\n");
	write_file("bad.net", "imcsim-bnn 1\nhw 4 16 0 31 banana\n");
	char ro[256];
	snprintf(ro, sizeof(ro), "%s/ro", tmp);
	mkdir(ro, 0555);
	/* the cases that read the digits before they can fail */
	if (strstr(bc->args, "data.test_images") && !data_present())
		return;
	if (strstr(bc->args, "/trunc") || strstr(bc->args, "/magic") ||
	    strstr(bc->args, "/count")) {
		if (!data_present())
			return;
		bad_data_dir("trunc", "truncate -s 1000000 "
				      "t10k-images-idx3-ubyte");
		bad_data_dir("magic", "printf '\\x00\\x00\\x09\\x03' | dd "
				      "of=train-labels-idx1-ubyte bs=1 "
				      "conv=notrunc status=none");
		bad_data_dir("count", "printf '\\x00\\x00\\x07\\xcf' | dd "
				      "of=t10k-labels-idx1-ubyte bs=1 seek=4 "
				      "conv=notrunc status=none && truncate -s "
				      "2007 t10k-labels-idx1-ubyte");
	}
	char args[1024];
	const char *fmt = bc->args ? bc->args : "";
	snprintf(args, sizeof(args), fmt, tmp, tmp);
	/* root ignores directory permissions: skip that case as root */
	if (strstr(bc->args, "/ro/") && geteuid() == 0)
		return;
	int st = run("%s", args);
	ck_assert_msg(st == bc->status, "'%s': exit %d, expected %d (%s)", args,
		      st, bc->status, errbuf);
	ck_assert_msg(strstr(errbuf, bc->phrase),
		      "'%s': message '%s' lacks '%s'", args, errbuf,
		      bc->phrase);
	/* one message: a single line on stderr, nothing on stdout */
	ck_assert_msg(strchr(errbuf, '\n') == errbuf + strlen(errbuf) - 1,
		      "'%s': more than one line: %s", args, errbuf);
	char p[256];
	snprintf(p, sizeof(p), "%s/x.json", tmp);
	ck_assert(!exists(p));
	snprintf(p, sizeof(p), "%s/x.vcd", tmp);
	ck_assert(!exists(p));
	ck_assert(no_leftovers(tmp, ".tmp-"));
}
END_TEST

/* params --json: the parameters as the header of every result holds them,
 * with the values --set gave. */
START_TEST(test_params_json)
{
	ck_assert_int_eq(run("params --set comparator.offset_sigma_v=0.02 "
			     "--json %s/p.json",
			     tmp),
			 0);
	ck_assert_ptr_nonnull(strstr(outbuf, "comparator.offset_sigma_v"));
	char p[256];
	snprintf(p, sizeof(p), "%s/p.json", tmp);
	static char text[1 << 16];
	slurp_into(p, text, sizeof(text));
	cJSON *root = cJSON_Parse(text);
	ck_assert_ptr_nonnull(root);
	cJSON *cmp = cJSON_GetObjectItem(
		cJSON_GetObjectItem(root, "parameters"), "comparator");
	ck_assert_ptr_nonnull(cmp);
	ck_assert_double_eq_tol(
		cJSON_GetObjectItem(cmp, "offset_sigma_v")->valuedouble, 0.02,
		1e-12);
	ck_assert_str_eq(cJSON_GetObjectItem(root, "command")->valuestring,
			 "params");
	cJSON_Delete(root);
}
END_TEST

/* ---- a full disk, simulated by a file size limit ------------------------
 * With SIGXFSZ ignored, a write past `ulimit -f` fails with EFBIG as a write
 * to a full disk fails with ENOSPC: after part of the file is out. Each
 * output must fail with one line naming the file the user asked for (not
 * the temporary one) and leave nothing behind. */

typedef struct full_case {
	const char *args;   /* %s is the temporary directory */
	const char *blocks; /* the ulimit -f value */
	const char *phrase; /* the message must contain it */
	const char *file;   /* the output asked for, under tmp */
	bool needs_data;
} full_case_t;

static const full_case_t full[] = {
	{ "params --json %s/p.json", "1", "/p.json: File too large", "p.json",
	  false },
	{ "train --quiet --out %s/n.net --set data.train_images=1000 --set "
	  "data.test_images=100 --set train.epochs=1",
	  "16", "/n.net: write error: File too large", "n.net", true },
	{ "trace --quiet --image 3 --vcd %s/t.vcd --set data.train_images=1000 "
	  "--set data.test_images=100",
	  "64", "writing VCD", "t.vcd", true },
};

START_TEST(test_disk_full)
{
	const full_case_t *fc = &full[_i];
	if (fc->needs_data && !data_present())
		return;
	char prefix[128], args[512], p[300];
	snprintf(prefix, sizeof(prefix), "trap '' XFSZ; ulimit -f %s; ",
		 fc->blocks);
	snprintf(args, sizeof(args), fc->args, tmp);
	run_prefix = prefix;
	int st = run("%s", args);
	run_prefix = "";
	ck_assert_msg(st == 1, "'%s': exit %d, expected 1 (%s)", args, st,
		      errbuf);
	ck_assert_msg(strstr(errbuf, fc->phrase),
		      "'%s': message '%s' lacks '%s'", args, errbuf,
		      fc->phrase);
	snprintf(p, sizeof(p), "%s/%s", tmp, fc->file);
	ck_assert_msg(strstr(errbuf, p), "'%s' does not name %s", errbuf, p);
	ck_assert_msg(!strstr(errbuf, ".tmp-"), "'%s' names the temporary",
		      errbuf);
	ck_assert_msg(strchr(errbuf, '\n') == errbuf + strlen(errbuf) - 1,
		      "more than one line: %s", errbuf);
	ck_assert(!exists(p));
	ck_assert(no_leftovers(tmp, ".tmp-"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *jobs = tcase_create("jobs");
	tcase_add_checked_fixture(jobs, setup, teardown);
	tcase_set_timeout(jobs, 600);
	tcase_add_test(jobs, test_demo_json_and_determinism);
	tcase_add_test(jobs, test_train_eval_levels_agree);
	tcase_add_test(jobs, test_calibrate_and_trace);
	suite_add_tcase(s, jobs);
	TCase *badc = tcase_create("bad-input");
	tcase_add_checked_fixture(badc, setup, teardown);
	tcase_set_timeout(badc, 120);
	tcase_add_loop_test(badc, test_bad_inputs, 0,
			    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(badc, test_params_json);
	tcase_add_loop_test(badc, test_disk_full, 0,
			    (int)(sizeof(full) / sizeof(full[0])));
	suite_add_tcase(s, badc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
