/* test_kernel_fst.c - FST tracing writes the same value changes as VCD:
 * one run traced into both formats, the FST converted back with GTKWave's
 * fst2vcd, both VCDs parsed into sorted "time name value" lines and
 * compared; and the format dispatcher sim_trace_open(). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/sim.h"

#ifndef FST2VCD
#define FST2VCD "fst2vcd"
#endif

typedef struct design {
	sim_signal_t *clk, *cnt, *wide, *volt, *flag;
	uint64_t n;
} design_t;

static void step(sim_proc_t *self, void *ctx)
{
	(void)self;
	design_t *d = ctx;
	d->n++;
	sim_vec_write_u64(d->cnt, d->n & 0xff);
	uint64_t w[2] = { d->n * 0x9e3779b97f4a7c15ull, d->n % 5 };
	sim_vec_write(d->wide, w);
	sim_real_write(d->volt, 0.1 * (double)(d->n % 7) - 0.3);
	sim_bit_write(d->flag, (d->n % 3) == 0);
}

/* Lines "time<TAB>name<TAB>value" of a VCD's value changes, sorted. */
typedef struct lines {
	char **v;
	size_t n, cap;
} lines_t;

static void add_line(lines_t *L, const char *s)
{
	if (L->n == L->cap) {
		L->cap = L->cap ? 2 * L->cap : 256;
		L->v = realloc(L->v, L->cap * sizeof(*L->v));
		ck_assert_ptr_nonnull(L->v);
	}
	L->v[L->n++] = strdup(s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define MAXIDS 96
static void parse_vcd(const char *path, lines_t *L)
{
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot read %s", path);
	static char ids[MAXIDS][256], names[MAXIDS][800];
	char scope[256] = "";
	int nids = 0;
	unsigned long long t = 0;
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		char a[256], b[256], c[256], d[256];
		if (sscanf(line, "$scope %255s %255s", a, b) == 2) {
			if (*scope)
				strcat(scope, ".");
			strcat(scope, b);
		} else if (!strncmp(line, "$upscope", 8)) {
			char *dot = strrchr(scope, '.');
			if (dot)
				*dot = '\0';
			else
				*scope = '\0';
		} else if (sscanf(line, "$var %255s %255s %255s %255s", a, b, c,
				  d) == 4) {
			ck_assert_int_lt(nids, MAXIDS);
			snprintf(ids[nids], sizeof(ids[nids]), "%s", c);
			snprintf(names[nids], sizeof(names[nids]), "%s%s%s",
				 scope, *scope ? "." : "", d);
			nids++;
		} else if (line[0] == '#') {
			t = strtoull(line + 1, NULL, 10);
		} else if (line[0] == '0' || line[0] == '1' || line[0] == 'b' ||
			   line[0] == 'r') {
			char val[4200], id[4096];
			if (line[0] == 'b' || line[0] == 'r') {
				ck_assert_int_eq(sscanf(line + 1,
							"%4199s %4095s", val,
							id),
						 2);
			} else {
				val[0] = line[0];
				val[1] = '\0';
				snprintf(id, sizeof(id), "%s", line + 1);
			}
			if (line[0] == 'b') {
				char *v = val;
				while (v[0] == '0' && v[1])
					v++;
				memmove(val, v, strlen(v) + 1);
			} else if (line[0] == 'r') {
				snprintf(val, sizeof(val), "%.17g",
					 strtod(val, NULL));
			}
			int k = 0;
			while (k < nids && strcmp(ids[k], id))
				k++;
			ck_assert_msg(k < nids, "%s: unknown id %s", path, id);
			char out[5200];
			snprintf(out, sizeof(out), "%020llu\t%s\t%s", t,
				 names[k], val);
			add_line(L, out);
		}
	}
	fclose(f);
	qsort(L->v, L->n, sizeof(*L->v), cmp_str);
}

static void free_lines(lines_t *L)
{
	for (size_t i = 0; i < L->n; i++)
		free(L->v[i]);
	free(L->v);
}

START_TEST(test_fst_equals_vcd)
{
	ck_assert(sim_trace_fst_available());
	char dir[] = "/tmp/imcsim_fst_XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char vcd[256], fst[256], back[256], cmd[1024];
	snprintf(vcd, sizeof(vcd), "%s/run.vcd", dir);
	snprintf(fst, sizeof(fst), "%s/run.fst", dir);
	snprintf(back, sizeof(back), "%s/back.vcd", dir);

	sim_t *sim = sim_new(NULL);
	design_t d = { 0 };
	d.clk = sim_clock_new(sim, "clk", 10 * SIM_NS, 50, 5 * SIM_NS, true);
	d.cnt = sim_vec_new(sim, "cnt", 8, NULL);
	d.wide = sim_vec_new(sim, "wide", 100, NULL);
	d.volt = sim_real_new(sim, "volt", 0.0);
	d.flag = sim_bit_new(sim, "flag", true);
	sim_proc_t *p = sim_method_new(sim, "step", step, &d);
	sim_sensitive_pos(p, d.clk);
	sim_proc_dont_initialize(p);
	sim_trace_t *tv = sim_trace_open(sim, vcd);
	sim_trace_t *tf = sim_trace_open(sim, fst);
	ck_assert_ptr_nonnull(tv);
	ck_assert_ptr_nonnull(tf);
	sim_trace_t *tr[2] = { tv, tf };
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(sim_trace_add(tr[i], d.clk, "top.clk"), 0);
		ck_assert_int_eq(sim_trace_add(tr[i], d.cnt, "top.a.cnt"), 0);
		ck_assert_int_eq(sim_trace_add(tr[i], d.wide, "top.a.wide"), 0);
		ck_assert_int_eq(sim_trace_add(tr[i], d.volt, "top.b.volt"), 0);
		ck_assert_int_eq(sim_trace_add(tr[i], d.flag, "flag"), 0);
	}
	ck_assert_int_eq(sim_run(sim, 2 * SIM_US), SIM_OK);
	sim_free(sim); /* closes both */

	snprintf(cmd, sizeof(cmd), "'%s' '%s' > '%s' 2>/dev/null", FST2VCD, fst,
		 back);
	ck_assert_int_eq(system(cmd), 0);
	lines_t a = { 0 }, b = { 0 };
	parse_vcd(vcd, &a);
	parse_vcd(back, &b);
	ck_assert_uint_gt(a.n, 1000); /* 400 edges, 200 steps of 4 signals */
	ck_assert_uint_eq(a.n, b.n);
	for (size_t i = 0; i < a.n; i++)
		ck_assert_str_eq(a.v[i], b.v[i]);
	free_lines(&a);
	free_lines(&b);
	unlink(vcd);
	unlink(fst);
	unlink(back);
	rmdir(dir);
}
END_TEST

/* Every width 1..64 and some wider ones, with every number of leading
 * zeros, long enough (about 20 MB of fstapi value changes) that the
 * writer flushes more than one block. */
#define EW_N 72
typedef struct every_width {
	sim_signal_t *s[EW_N];
	unsigned w[EW_N];
	uint64_t rng;
} every_width_t;

static void ew_step(sim_proc_t *self, void *ctx)
{
	(void)self;
	every_width_t *e = ctx;
	for (int i = 0; i < EW_N; i++) {
		uint64_t v[4];
		unsigned nw = (e->w[i] + 63) / 64;
		for (unsigned k = 0; k < nw; k++) {
			e->rng ^= e->rng << 13;
			e->rng ^= e->rng >> 7;
			e->rng ^= e->rng << 17;
			v[k] = e->rng >> (e->rng % 64);
			if (e->w[i] < 64 * (k + 1) && e->w[i] % 64)
				v[k] &= (1ull << (e->w[i] % 64)) - 1;
		}
		if (nw == 1)
			sim_vec_write_u64(e->s[i], v[0]);
		else
			sim_vec_write(e->s[i], v);
	}
}

START_TEST(test_fst_equals_vcd_every_width)
{
	static const unsigned wide[8] = {
		65, 100, 127, 128, 129, 191, 192, 256
	};
	char dir[] = "/tmp/imcsim_fst_XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char vcd[256], fst[256], back[256], cmd[1024];
	snprintf(vcd, sizeof(vcd), "%s/w.vcd", dir);
	snprintf(fst, sizeof(fst), "%s/w.fst", dir);
	snprintf(back, sizeof(back), "%s/back.vcd", dir);
	sim_t *sim = sim_new(NULL);
	static every_width_t e;
	memset(&e, 0, sizeof(e));
	e.rng = 0x9e3779b97f4a7c15ull;
	sim_signal_t *clk = sim_clock_new(sim, "clk", 10 * SIM_NS, 50, 0, true);
	sim_trace_t *tv = sim_trace_open(sim, vcd);
	sim_trace_t *tf = sim_trace_open(sim, fst);
	ck_assert_ptr_nonnull(tv);
	ck_assert_ptr_nonnull(tf);
	for (int i = 0; i < EW_N; i++) {
		char name[32];
		e.w[i] = i < 64 ? (unsigned)i + 1 : wide[i - 64];
		snprintf(name, sizeof(name), "w%d", i);
		e.s[i] = sim_vec_new(sim, name, e.w[i], NULL);
		snprintf(name, sizeof(name), "top.w%d", i);
		ck_assert_int_eq(sim_trace_add(tv, e.s[i], name), 0);
		ck_assert_int_eq(sim_trace_add(tf, e.s[i], name), 0);
	}
	sim_proc_t *p = sim_method_new(sim, "step", ew_step, &e);
	sim_sensitive_pos(p, clk);
	sim_proc_dont_initialize(p);
	/* 6000 steps of 72 changes, about 3.7 KB of fstapi's bytes each:
	 * more than FST_BLOCK_BYTES (fst.c) */
	ck_assert_int_eq(sim_run(sim, 6000 * 10 * SIM_NS - 5 * SIM_NS), SIM_OK);
	sim_free(sim);
	snprintf(cmd, sizeof(cmd), "'%s' '%s' > '%s' 2>/dev/null", FST2VCD, fst,
		 back);
	ck_assert_int_eq(system(cmd), 0);
	lines_t a = { 0 }, b = { 0 };
	parse_vcd(vcd, &a);
	parse_vcd(back, &b);
	ck_assert_uint_gt(a.n, 6000 * 70);
	ck_assert_uint_eq(a.n, b.n);
	for (size_t i = 0; i < a.n; i++)
		ck_assert_str_eq(a.v[i], b.v[i]);
	free_lines(&a);
	free_lines(&b);
	unlink(vcd);
	unlink(fst);
	unlink(back);
	rmdir(dir);
}
END_TEST

START_TEST(test_dispatcher)
{
	char dir[] = "/tmp/imcsim_fst_XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[256];
	struct stat st;
	sim_t *sim = sim_new(NULL);
	const char *bad[] = { "w.txt", "w.vcd.gz", "w", "w.fs", "w.fst.x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, bad[i]);
		ck_assert_ptr_null(sim_trace_open(sim, path));
		ck_assert_ptr_nonnull(strstr(sim_error(sim), path));
		ck_assert_int_ne(stat(path, &st), 0); /* nothing created */
	}
	ck_assert_ptr_null(sim_trace_open(sim, ""));
	/* case-insensitive extensions pick the format by content */
	snprintf(path, sizeof(path), "%s/W.FST", dir);
	sim_signal_t *b = sim_bit_new(sim, "b", false);
	sim_trace_t *t = sim_trace_open(sim, path);
	ck_assert_ptr_nonnull(t);
	sim_trace_add(t, b, "b");
	char vpath[256];
	snprintf(vpath, sizeof(vpath), "%s/w.Vcd", dir);
	sim_trace_t *v = sim_trace_open(sim, vpath);
	ck_assert_ptr_nonnull(v);
	sim_trace_add(v, b, "b");
	ck_assert_int_eq(sim_run(sim, 10), SIM_OK);
	ck_assert_int_eq(sim_trace_close(t), SIM_OK);
	ck_assert_int_eq(sim_trace_close(v), SIM_OK);
	char head[8] = { 0 };
	FILE *f = fopen(vpath, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(head, 1, 7, f), 7);
	fclose(f);
	ck_assert_str_eq(head, "$versio");
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(head, 1, 1, f), 1);
	fclose(f);
	ck_assert_int_eq(head[0], 0); /* FST_BL_HDR: not text */
	sim_free(sim);
	unlink(path);
	unlink(vpath);
	rmdir(dir);
}
END_TEST

static Suite *fst_suite(void)
{
	Suite *s = suite_create("kernel_fst");
	TCase *tc = tcase_create("fst");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_fst_equals_vcd);
	tcase_add_test(tc, test_fst_equals_vcd_every_width);
	tcase_add_test(tc, test_dispatcher);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fst_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
