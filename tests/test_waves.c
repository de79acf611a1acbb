/* test_waves.c - the waveforms a person opens: every testbench and
 * `imcsim trace`, run in an empty directory, must leave a dump and a
 * GTKWave save file beside it such that every trace of the save file exists
 * in the dump, the saved window lies inside the dump's time range and shows
 * value changes in every open group, the dump and the filter files resolve
 * from the save file's place, and the analog traces carry at least four
 * samples per wordline pulse. --help and bad options write nothing. */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/gtkw.h"
#include "mnist_dir.h"

/* ---- a VCD, as far as the checks need it -------------------------------- */

#define MAXV 4096

typedef struct wvar {
	char name[512]; /* full dotted name, "[w-1:0]" appended for vectors */
	char id[16];
	int real;
} wvar_t;

typedef struct wid { /* value changes of one identifier */
	char id[16];
	long long *t;
	size_t n, cap;
} wid_t;

typedef struct wvcd {
	wvar_t v[MAXV];
	size_t nv;
	wid_t ids[MAXV];
	size_t nid;
	long long t_first, t_last;
} wvcd_t;

static wid_t *id_of(wvcd_t *d, const char *id, int add)
{
	for (size_t i = 0; i < d->nid; i++)
		if (!strcmp(d->ids[i].id, id))
			return &d->ids[i];
	if (!add || d->nid == MAXV)
		return NULL;
	wid_t *w = &d->ids[d->nid++];
	memset(w, 0, sizeof(*w));
	snprintf(w->id, sizeof w->id, "%.15s", id);
	return w;
}

static void change(wvcd_t *d, const char *id, long long t)
{
	wid_t *w = id_of(d, id, 0);
	ck_assert_msg(w != NULL, "value change of undeclared id '%s'", id);
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 64;
		w->t = realloc(w->t, w->cap * sizeof(*w->t));
		ck_assert_ptr_nonnull(w->t);
	}
	w->t[w->n++] = t;
}

static wvcd_t *vcd_load(const char *path)
{
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open dump %s", path);
	wvcd_t *d = calloc(1, sizeof(*d));
	char scope[32][64], line[8192];
	int depth = 0, defs = 1;
	long long t = 0;
	d->t_first = -1;
	while (fgets(line, sizeof line, f)) {
		char a[64], b[64], c[64], e[64], nm[128], rng[64];
		if (defs) {
			char *l = line + strspn(line, " \t");
			if (sscanf(l, "$scope %63s %63s", a, b) == 2 &&
			    depth < 32)
				snprintf(scope[depth++], 64, "%s", b);
			else if (!strncmp(l, "$upscope", 8))
				depth--;
			else if (!strncmp(l, "$enddefinitions", 15))
				defs = 0;
			else if (sscanf(l, "$var %63s %63s %63s %127s %63s", a,
					b, c, nm, rng) == 5) {
				ck_assert_uint_lt(d->nv, MAXV);
				wvar_t *v = &d->v[d->nv++];
				char full[512] = "";
				for (int i = 0; i < depth; i++) {
					strcat(full, scope[i]);
					strcat(full, ".");
				}
				strcat(full, nm);
				if (rng[0] == '[')
					strcat(full, rng);
				snprintf(v->name, sizeof v->name, "%s", full);
				snprintf(v->id, sizeof v->id, "%.15s", c);
				v->real = !strcmp(a, "real");
				id_of(d, c, 1);
				(void)e;
			}
			continue;
		}
		line[strcspn(line, "\n")] = 0;
		if (line[0] == '#') {
			t = atoll(line + 1);
			if (d->t_first < 0)
				d->t_first = t;
			d->t_last = t;
		} else if (line[0] == 'b' || line[0] == 'r') {
			char *sp = strchr(line, ' ');
			if (sp)
				change(d, sp + 1, t);
		} else if (strchr("01xzXZ", line[0]) && line[0] && line[1]) {
			change(d, line + 1, t);
		}
	}
	fclose(f);
	return d;
}

static void vcd_free(wvcd_t *d)
{
	for (size_t i = 0; i < d->nid; i++)
		free(d->ids[i].t);
	free(d);
}

static const wvar_t *var(const wvcd_t *d, const char *name)
{
	for (size_t i = 0; i < d->nv; i++)
		if (!strcmp(d->v[i].name, name))
			return &d->v[i];
	return NULL;
}

/* Changes of name in (t0, t1]. */
static size_t changes(wvcd_t *d, const char *name, long long t0, long long t1)
{
	const wvar_t *v = var(d, name);
	ck_assert_msg(v != NULL, "%s not in the dump", name);
	wid_t *w = id_of(d, v->id, 0);
	size_t n = 0;
	for (size_t i = 0; i < w->n; i++)
		n += w->t[i] > t0 && w->t[i] <= t1;
	return n;
}

/* Times of the rising edges of a 1-bit signal. */
static size_t edges(wvcd_t *d, const char *name, long long *t, size_t max)
{
	const wvar_t *v = var(d, name);
	ck_assert_msg(v != NULL, "%s not in the dump", name);
	wid_t *w = id_of(d, v->id, 0);
	size_t n = 0;
	/* changes alternate 0/1 after the initial value (0 for these) */
	for (size_t i = 1; i < w->n && n < max; i += 2)
		t[n++] = w->t[i];
	return n;
}

/* ---- the save file ------------------------------------------------------ */

static char tmp[256];

static void in_tmp(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmp, name);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static size_t nfiles(const char *dir)
{
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Check the save file `gtkw` (in tmp) against its dump; returns the dump
 * for further checks (caller frees). */
static wvcd_t *check_pair_with(const char *gtkw, const char *other)
{
	char path[512], dump[256] = "", save[256] = "", line[1024];
	in_tmp(path, sizeof path, gtkw);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "no save file %s", path);
	long long t0 = -1;
	double zoom = 1e9;
	unsigned long flags = 0;
	int nsig = 0, group = 0, closed = 0, group_active = 0;
	char gname[256] = "";
	wvcd_t *d = NULL;
	/* signals are checked after the window is known: collect them */
	static char sig[2048][256];
	static int sig_group[2048];
	int ngroupsig[256] = { 0 }, gclosed[256] = { 0 }, ng = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (sscanf(line, "[dumpfile] \"%255[^\"]\"", dump) == 1 ||
		    sscanf(line, "[savefile] \"%255[^\"]\"", save) == 1)
			continue;
		if (sscanf(line, "[timestart] %lld", &t0) == 1)
			continue;
		if (line[0] == '*') {
			zoom = atof(line + 1);
			continue;
		}
		if (line[0] == '@') {
			flags = strtoul(line + 1, NULL, 16);
			continue;
		}
		if (line[0] == '^' && line[1] != '>' && line[1] != '<') {
			char fp[512], *fn = strchr(line, ' ');
			ck_assert_ptr_nonnull(fn);
			in_tmp(fp, sizeof fp, fn + 1);
			ck_assert_msg(access(fp, R_OK) == 0,
				      "%s: filter file %s does not resolve",
				      gtkw, fn + 1);
			continue;
		}
		if (line[0] == '[' || !line[0])
			continue;
		if (line[0] == '-') {
			if (flags & 0x800000) {
				ck_assert_int_lt(ng, 255);
				group = ++ng;
				gclosed[group] = (flags & 0x400000) != 0;
				snprintf(gname, sizeof gname, "%.255s",
					 line + 1);
			} else if (flags & 0x1000000) {
				group = 0;
			}
			continue;
		}
		char *name = line;
		if (!strncmp(name, "+{", 2))
			name = strchr(name, '}') + 2;
		ck_assert_int_lt(nsig, 2048);
		snprintf(sig[nsig], sizeof sig[0], "%.255s", name);
		sig_group[nsig++] = group;
		ngroupsig[group]++;
	}
	fclose(f);
	(void)closed;
	(void)group_active;
	(void)gname;
	ck_assert_msg(nsig > 0, "%s shows no signal", gtkw);
	/* the dump resolves beside the save file, which names itself */
	ck_assert_str_eq(save, gtkw);
	ck_assert_msg(!strchr(dump, '/'),
		      "%s: dump path %s is not relative "
		      "to the save file",
		      gtkw, dump);
	in_tmp(path, sizeof path, dump);
	ck_assert_msg(access(path, R_OK) == 0, "%s: dump %s does not resolve",
		      gtkw, dump);
	if (other) /* the same save file opened on another dump */
		in_tmp(path, sizeof path, other);
	d = vcd_load(path);
	/* the window: [timestart, + 2^-zoom time units per 200 pixels] */
	ck_assert_msg(t0 >= 0 && zoom < 1e9, "%s: no window", gtkw);
	/* what GTKWave may show must end inside the dump, else it opens at 0 */
	long long t1 =
		t0 + (long long)(pow(2, -zoom) * SIM_GTKW_PANE_MAX_PX / 200);
	ck_assert_msg(t0 >= d->t_first && t1 <= d->t_last,
		      "%s: window [%lld, %lld] outside the dump [%lld, %lld]",
		      gtkw, t0, t1, d->t_first, d->t_last);
	ck_assert_msg(t1 - t0 > 0, "%s: empty window", gtkw);
	/* every shown signal exists; every open group shows a change */
	int moving[256] = { 0 };
	for (int i = 0; i < nsig; i++) {
		ck_assert_msg(var(d, sig[i]) != NULL, "%s: %s not in %s", gtkw,
			      sig[i], dump);
		const char *leaf = strrchr(sig[i], '.');
		if (strcmp(leaf ? leaf + 1 : sig[i], "clk") &&
		    changes(d, sig[i], t0, t1))
			moving[sig_group[i]]++;
	}
	for (int gi = 1; gi <= ng; gi++)
		ck_assert_msg(gclosed[gi] || !ngroupsig[gi] || moving[gi],
			      "%s: open group %d shows no value change in the "
			      "window [%lld, %lld]",
			      gtkw, gi, t0, t1);
	return d;
}

static wvcd_t *check_pair(const char *gtkw)
{
	return check_pair_with(gtkw, NULL);
}

static void setup(void)
{
	snprintf(tmp, sizeof tmp, "/tmp/imcsim-waves-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
}

static void teardown(void)
{
	sh("rm -rf '%s'", tmp);
}

/* ---- the testbenches ------------------------------------------------------ */

static const char *const tbs[] = { "tb_kernel", "tb_calibration", "tb_classify",
				   "tb_column_transfer", "tb_system_trace" };
static const char *const stems[] = { "kernel", "calibration", "classify",
				     "column_transfer", "system" };

/* Each testbench from an empty directory: a dump, its save file beside it
 * (and the filter file the FSM state uses), nothing else. */
START_TEST(test_tb_defaults)
{
	ck_assert_int_eq(
		sh("cd '%s' && '%s/%s' >out.txt", tmp, TB_DIR, tbs[_i]), 0);
	char g[64];
	snprintf(g, sizeof g, "%s.gtkw", stems[_i]);
	wvcd_t *d = check_pair(g);
	size_t want = 3 + (_i == 1 || _i == 4); /* + calib_state.filter */
	ck_assert_uint_eq(nfiles(tmp), want);
	if (_i == 1) { /* the search is visible: state, step, counts move */
		long long e = d->t_last;
		ck_assert_uint_ge(
			changes(d, "top.chip0.calib.state[2:0]", 0, e), 8);
		ck_assert_uint_ge(changes(d, "top.chip0.calib.step[5:0]", 0, e),
				  4);
		ck_assert_uint_ge(changes(d, "top.chip0.calib.n_0[5:0]", 0, e),
				  4);
		ck_assert_uint_ge(changes(d, "top.chip0.calib.cmp_req", 0, e),
				  8);
	}
	vcd_free(d);
}
END_TEST

/* --help, an unknown option, a missing value and an operand: exit 0 / 2
 * and no file. */
START_TEST(test_tb_bad_args)
{
	static const char *const args[] = { "--help",	 "--bogus",   "--seed",
					    "--seed 1x", "extra.vcd", "-o" };
	for (size_t k = 0; k < sizeof args / sizeof args[0]; k++) {
		int rc = sh("cd '%s' && '%s/%s' %s >/dev/null 2>err.txt", tmp,
			    TB_DIR, tbs[_i], args[k]);
		ck_assert_int_eq(rc, k ? 2 : 0);
		sh("rm -f '%s/err.txt'", tmp);
		ck_assert_msg(nfiles(tmp) == 0, "%s %s left a file", tbs[_i],
			      args[k]);
	}
}
END_TEST

/* -o into another directory: the save file goes there, beside the dump. */
START_TEST(test_tb_out_path)
{
	ck_assert_int_eq(sh("mkdir '%s/sub' && cd '%s' && '%s/tb_classify' "
			    "-o sub/one.vcd --seed 3 >/dev/null",
			    tmp, tmp, TB_DIR),
			 0);
	char sub[300];
	snprintf(sub, sizeof sub, "%s/sub", tmp);
	ck_assert_uint_eq(nfiles(tmp), 1);
	snprintf(tmp + strlen(tmp), sizeof tmp - strlen(tmp), "/sub");
	vcd_free(check_pair("one.gtkw"));
	tmp[strlen(tmp) - 4] = 0;
}
END_TEST

/* The analog trace of a pulse: trace_samples values inside it and one at
 * its end, on the line that discharges most. */
START_TEST(test_analog_samples)
{
	static const unsigned cols[] = { 0, 1, 2, 3, 17, 64 };
	unsigned ns = _i ? 4 : 8;
	ck_assert_int_eq(sh("cd '%s' && '%s/tb_classify' --samples %u "
			    ">/dev/null",
			    tmp, TB_DIR, ns),
			 0);
	char p[300];
	in_tmp(p, sizeof p, "classify.vcd");
	wvcd_t *d = vcd_load(p);
	long long up[4096], down[4096];
	size_t n = edges(d, "top.chip0.wl_en", up, 4096);
	ck_assert_uint_gt(n,
			  4); /* the calibration's compares and the classify */
	const wvar_t *v = var(d, "top.chip0.wl_en");
	wid_t *w = id_of(d, v->id, 0);
	for (size_t k = 0, j = 0; k + 2 < w->n && j < 4096; k += 2)
		down[j++] = w->t[k + 2];
	for (size_t k = 0; k < n; k++) {
		size_t best = 0;
		for (unsigned c = 0; c < sizeof cols / sizeof cols[0]; c++) {
			char nm[64];
			snprintf(nm, sizeof nm, "top.chip0.analog.bl_%u",
				 cols[c]);
			size_t a = changes(d, nm, up[k], down[k]);
			snprintf(nm, sizeof nm, "top.chip0.analog.blb_%u",
				 cols[c]);
			size_t b = changes(d, nm, up[k], down[k]);
			best = a > best ? a : best;
			best = b > best ? b : best;
		}
		ck_assert_uint_ge(best, 4);
		ck_assert_uint_eq(best, ns + 1);
	}
	vcd_free(d);
}
END_TEST

/* Same seed, another directory: the same bytes, save file included. */
START_TEST(test_reproducible)
{
	ck_assert_int_eq(sh("cd '%s' && mkdir a b && (cd a && '%s/"
			    "tb_calibration' --seed 5 >/dev/null) && (cd b && "
			    "'%s/tb_calibration' --seed 5 >/dev/null) && cmp "
			    "-s a/calibration.gtkw b/calibration.gtkw && cmp "
			    "-s a/calibration.vcd b/calibration.vcd",
			    tmp, TB_DIR, TB_DIR),
			 0);
}
END_TEST

/* imcsim trace from an empty directory (a quick net: one epoch). */
START_TEST(test_imcsim_trace)
{
	if (access(data_file("t10k-images-idx3-ubyte"), R_OK)) {
		fprintf(stderr,
			"test_waves: no MNIST under %s, imcsim trace "
			"not run\n",
			data_dir());
		return;
	}
	ck_assert_int_eq(sh("cd '%s' && '%s' trace --quiet --set "
			    "train.epochs=1 --set data.train_images=1000 --set "
			    "data.test_images=20 >/dev/null",
			    tmp, IMCSIM_BIN),
			 0);
	vcd_free(check_pair("system.gtkw"));
	ck_assert_uint_eq(nfiles(tmp), 3);
}
END_TEST

/* make cosim's waveforms: one save file for the RTL's dump and the golden
 * model's, on the calibration (skipped without Verilator). */
START_TEST(test_cosim)
{
	if (access(COSIM_BIN, X_OK)) {
		fprintf(stderr,
			"test_waves: no %s (Verilator), cosim save file "
			"not checked\n",
			COSIM_BIN);
		return;
	}
	ck_assert_int_eq(sh("cd '%s' && '%s' --waves cosim --dump 300 "
			    ">/dev/null",
			    tmp, COSIM_BIN),
			 0);
	wvcd_t *d = check_pair("cosim.gtkw");
	ck_assert_uint_ge(
		changes(d, "TOP.comp_ctrl.state_q[2:0]", 0, d->t_last), 8);
	vcd_free(d);
	vcd_free(check_pair_with("cosim.gtkw", "cosim_gold.vcd"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("waves");
	TCase *t = tcase_create("testbenches");
	tcase_add_checked_fixture(t, setup, teardown);
	/* each case runs a testbench (up to ~1 s alone); deliberate headroom
	 * for a loaded 2-core machine */
	tcase_set_timeout(t, 60);
	size_t ntb = sizeof tbs / sizeof tbs[0];
	tcase_add_loop_test(t, test_tb_defaults, 0, (int)ntb);
	tcase_add_loop_test(t, test_tb_bad_args, 0, (int)ntb);
	tcase_add_test(t, test_tb_out_path);
	tcase_add_loop_test(t, test_analog_samples, 0, 2);
	tcase_add_test(t, test_reproducible);
	tcase_add_test(t, test_cosim);
	suite_add_tcase(s, t);
	TCase *c = tcase_create("imcsim");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_set_timeout(c, 300); /* trains a small net first */
	tcase_add_test(c, test_imcsim_trace);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int nf = srunner_ntests_failed(r);
	srunner_free(r);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
