/* test_plot.c - `imcsim plot` end to end (small settings: four PNGs and the
 * JSON they are drawn from; an unwritable --out, a missing gnuplot: exit 1,
 * one message, no file) and the data behind two of its figures (plot.h):
 * the traced calibration ends where macro_calibrate() ends, the transfer
 * sweep of ideal cells is monotonic and odd-symmetric. */
#include <check.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chip/chip.h"
#include "mnist_dir.h"
#include "plot.h"

static char tmp[128];
static char errbuf[8192];

/* Small settings: 41 transfer points, 2 offsets, 1 chip seed, few images. */
#define SMALL                                                   \
	" --quiet --points 41 --sigmas 0,30 --images 20"        \
	" --set system.chip_seeds=1 --set data.test_images=100" \
	" --set data.train_images=1000 --set train.epochs=2"

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

/* Run `env imcsim plot args`; exit status; stderr kept in errbuf. */
static int run(const char *env, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int run(const char *env, const char *fmt, ...)
{
	char args[2048], cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd),
		 "IMCSIM_MNIST_DIR=%s %s %s plot %s >%s/out 2>%s/err",
		 data_dir(), env, IMCSIM_BIN, args, tmp, tmp);
	int st = system(cmd);
	snprintf(cmd, sizeof(cmd), "%s/err", tmp);
	slurp_into(cmd, errbuf, sizeof(errbuf));
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void setup(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/imcsim-plot-XXXXXX");
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

/* Entries of dir other than . and .. (-1: no such directory). */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static bool have_gnuplot(void)
{
	return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

static int array_size(cJSON *o, const char *key)
{
	cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsArray(a) ? cJSON_GetArraySize(a) : -1;
}

static double num(cJSON *o, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	ck_assert_msg(cJSON_IsNumber(v), "no number %s", key);
	return v->valuedouble;
}

/* ---- the command ------------------------------------------------------- */

START_TEST(test_plot_small_run)
{
	if (!exists(data_file("train-images-idx3-ubyte")) || !have_gnuplot()) {
		fprintf(stderr, "SKIP: no MNIST cache or no gnuplot\n");
		return;
	}
	ck_assert_msg(run("", SMALL " --out %s/figs", tmp) == 0, "%s", errbuf);
	static const char *png[4] = { "column_transfer.png", "calibration.png",
				      "accuracy_vs_offset.png",
				      "energy_breakdown.png" };
	char path[512];
	for (int i = 0; i < 4; i++) {
		unsigned char sig[8] = { 0 };
		snprintf(path, sizeof(path), "%s/figs/%s", tmp, png[i]);
		FILE *f = fopen(path, "rb");
		ck_assert_msg(f != NULL, "%s missing", path);
		ck_assert_int_eq(fread(sig, 1, 8, f), 8);
		fclose(f);
		ck_assert_msg(!memcmp(sig, "\x89PNG\r\n\x1a\n", 8),
			      "%s is not a PNG", path);
	}
	snprintf(path, sizeof(path), "%s/figs", tmp);
	ck_assert_int_eq(count_entries(path), 5); /* no temporary left */

	static char text[1 << 20];
	snprintf(path, sizeof(path), "%s/figs/figures.json", tmp);
	slurp_into(path, text, sizeof(text));
	cJSON *root = cJSON_Parse(text);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(cJSON_GetObjectItem(root, "command")->valuestring,
			 "plot");

	cJSON *t = cJSON_GetObjectItem(root, "column_transfer");
	ck_assert_int_eq(array_size(t, "dot_product_lsb"), 41);
	ck_assert_int_eq(array_size(t, "v_diff_ideal_v"), 41);
	ck_assert_int_eq(array_size(t, "v_diff_nonideal_v"), 41);
	ck_assert_double_eq(
		cJSON_GetArrayItem(cJSON_GetObjectItem(t, "dot_product_lsb"), 0)
			->valuedouble,
		-1488);
	cJSON *fit = cJSON_GetObjectItem(t, "fit_ideal");
	double g = num(fit, "gain_v_per_lsb");
	ck_assert(g > 0.5e-3 && g < num(t, "tangent_v_per_lsb"));

	cJSON *c = cJSON_GetObjectItem(root, "calibration");
	ck_assert(cJSON_IsTrue(
		cJSON_GetObjectItem(c, "matches_macro_calibrate")));
	ck_assert_int_eq(array_size(c, "steps"), 6); /* start + 5 compares */
	ck_assert_int_eq(array_size(c, "counts"), 6);
	ck_assert_int_eq(array_size(c, "offset_v"), 6);
	cJSON *n0 = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "counts"), 0);
	ck_assert_int_eq(cJSON_GetArraySize(n0), 128);
	ck_assert_int_eq(cJSON_GetArrayItem(n0, 7)->valueint, 16);
	cJSON *rms = cJSON_GetObjectItem(c, "rms_offset_v");
	ck_assert(cJSON_GetArrayItem(rms, 4)->valuedouble <
		  0.5 * cJSON_GetArrayItem(rms, 0)->valuedouble);

	cJSON *a = cJSON_GetObjectItem(root, "accuracy_vs_offset");
	ck_assert_int_eq(array_size(a, "points"), 2);
	ck_assert_int_eq(array_size(a, "chip_seeds"), 1);
	ck_assert_double_eq(num(a, "test_images"), 100);
	cJSON *p1 = cJSON_GetArrayItem(cJSON_GetObjectItem(a, "points"), 1);
	ck_assert_double_eq_tol(num(p1, "offset_sigma_v"), 0.03, 1e-12);
	ck_assert(num(p1, "accuracy_calibrated") >= 0 &&
		  num(p1, "accuracy_calibrated") <= 1);

	cJSON *e = cJSON_GetObjectItem(root, "energy");
	ck_assert_int_eq(array_size(e, "layers"), 3);
	ck_assert_double_eq(num(e, "images"), 20);
	double tot = num(e, "total_j");
	ck_assert(tot > 10e-12 && tot < 10e-9);
	ck_assert_double_eq_tol(tot, num(e, "results_total_j"), 1e-6 * tot);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_plot_unwritable_out)
{
	char file[256], path[512];
	snprintf(file, sizeof(file), "%s/a_file", tmp);
	FILE *f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	/* a directory under a regular file: not even root can create it */
	ck_assert_int_eq(run("", SMALL " --out %s/sub", file), 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "imcsim plot: cannot create"));
	ck_assert_ptr_nonnull(strstr(errbuf, "Not a directory"));
	ck_assert_int_eq(count_entries(tmp), 3); /* a_file, out, err */
	/* --out a regular file */
	ck_assert_int_eq(run("", SMALL " --out %s", file), 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "is not a directory"));
	/* a writable new --out but an unwritable --json: the new directory
	 * is removed again, nothing is left */
	snprintf(path, sizeof(path), "%s/new", tmp);
	ck_assert_int_eq(
		run("", SMALL " --out %s --json %s/x.json", path, file), 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "cannot write"));
	ck_assert(!exists(path));
	ck_assert_int_eq(count_entries(tmp), 3);
	ck_assert_ptr_null(strchr(strchr(errbuf, '\n') + 1, '\n')); /* 1 line */
}
END_TEST

START_TEST(test_plot_missing_gnuplot)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/figs", tmp);
	ck_assert_int_eq(run("PATH=/nonexistent", SMALL " --out %s", path), 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "gnuplot not found in PATH"));
	ck_assert(!exists(path));
}
END_TEST

START_TEST(test_plot_bad_options)
{
	ck_assert_int_eq(run("", "--sigmas 1,x --out %s", tmp), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "--sigmas"));
	ck_assert_int_eq(run("", "--points 1 --out %s", tmp), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "--points"));
	ck_assert_int_eq(run("", "--images 0 --out %s", tmp), 2);
	ck_assert_int_eq(count_entries(tmp), 2); /* out, err */
	ck_assert_int_eq(run("", "--help"), 0);
}
END_TEST

/* ---- the data ---------------------------------------------------------- */

START_TEST(test_calib_trace_ends_like_macro_calibrate)
{
	macro_params_t p;
	macro_params_default(&p);
	static plot_calib_t pc;
	for (uint64_t seed = 1; seed <= 4; seed++) {
		ck_assert_int_eq(plot_calib_trace(&p, seed, (unsigned)_i,
						  CHIP_CMP_LATENCY, &pc),
				 0);
		macro_t m;
		calib_t fin;
		uint64_t cycles;
		ck_assert_int_eq(macro_init(&m, &p, seed, (unsigned)_i), 0);
		ck_assert_int_eq(macro_calibrate(&m, CHIP_CMP_LATENCY, &fin,
						 &cycles),
				 0);
		macro_free(&m);
		ck_assert_uint_eq(pc.nsnap,
				  6); /* 8, 4, 2, 1 and the half step */
		ck_assert_uint_eq(pc.cycles, cycles);
		static const unsigned step[6] = { 0, 8, 4, 2, 1, 1 };
		for (unsigned s = 0; s < 6; s++)
			ck_assert_uint_eq(pc.step[s], step[s]);
		for (unsigned k = 0; k < pc.ncol; k++) {
			ck_assert_uint_eq(pc.n[0][k], 16);
			for (unsigned s = 1; s < 5; s++) /* moved by the step */
				ck_assert_uint_eq(abs((int)pc.n[s][k] -
						      (int)pc.n[s - 1][k]),
						  step[s]);
			/* the half step keeps a count or raises it by one */
			ck_assert_uint_le(pc.n[5][k] - pc.n[4][k], 1);
			ck_assert_uint_ge(pc.n[5][k], pc.n[4][k]);
			ck_assert_uint_eq(pc.n[5][k], calib_count(&fin, k));
		}
		ck_assert(plot_calib_rms_v(&pc, 5) <
			  0.5 * plot_calib_rms_v(&pc, 0));
	}
	p.comp.nrow = 64; /* one step more */
	ck_assert_int_eq(plot_calib_trace(&p, 1, 0, CHIP_CMP_LATENCY, &pc), 0);
	ck_assert_uint_eq(pc.nsnap, 7);
	ck_assert_uint_eq(pc.step[1], 16);
}
END_TEST

START_TEST(test_transfer_ideal_is_monotonic_and_odd)
{
	macro_params_t p;
	macro_params_default(&p);
	static plot_transfer_t t;
	ck_assert_int_eq(plot_transfer(&p, 3, 101, &t), 0);
	ck_assert_int_eq(t.d[0], -1488);
	ck_assert_int_eq(t.d[50], 0);
	ck_assert_int_eq(t.d[100], 1488);
	for (unsigned i = 0; i < t.n; i++) {
		if (i)
			ck_assert(t.v_ideal_v[i] > t.v_ideal_v[i - 1]);
		ck_assert_double_eq_tol(t.v_ideal_v[i],
					-t.v_ideal_v[t.n - 1 - i], 1e-12);
	}
	/* compressive: the fit is flatter than the tangent, the ends fall
	 * below it, and the non-ideal cells differ from the ideal ones */
	ck_assert(t.fit_gain_v[0] < t.g0_v);
	ck_assert(t.v_ideal_v[100] < t.g0_v * 1488);
	ck_assert(t.tan_1lsb > 0 && t.tan_1lsb < t.tan_10pct);
	ck_assert(t.v_real_v[70] != t.v_ideal_v[70]);
	ck_assert_int_eq(plot_transfer(&p, 3, 1, &t), -1);
	ck_assert_int_eq(plot_transfer(&p, 3, 3000, &t), -1);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "points"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("plot");
	TCase *cmd = tcase_create("command");
	tcase_add_checked_fixture(cmd, setup, teardown);
	tcase_set_timeout(cmd, 600);
	tcase_add_test(cmd, test_plot_small_run);
	tcase_add_test(cmd, test_plot_unwritable_out);
	tcase_add_test(cmd, test_plot_missing_gnuplot);
	tcase_add_test(cmd, test_plot_bad_options);
	suite_add_tcase(s, cmd);
	TCase *data = tcase_create("data");
	tcase_set_timeout(data, 120);
	tcase_add_loop_test(data, test_calib_trace_ends_like_macro_calibrate, 0,
			    2);
	tcase_add_test(data, test_transfer_ideal_is_monotonic_and_odd);
	suite_add_tcase(s, data);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
