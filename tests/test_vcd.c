/* test_vcd.c - the VCD writer against GTKWave's own tools: vcd2fst must
 * accept the file and fst2vcd must give back the same value changes. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/sim.h"

/* ---- a small design with every signal kind ---------------------------- */

typedef struct dut {
	sim_signal_t *clk, *cnt, *wide, *vbl, *flag;
	int n;
} dut_t;

static void dut_tick(sim_proc_t *self, void *ctx)
{
	(void)self;
	dut_t *d = ctx;
	d->n++;
	sim_vec_write_u64(d->cnt, (uint64_t)d->n & 0xff);
	uint64_t w[2] = { (uint64_t)d->n * UINT64_C(0x9e3779b97f4a7c15),
			  (uint64_t)d->n << 60 };
	sim_vec_write(d->wide, w);
	sim_real_write(d->vbl, 1.2 * exp(-0.1 * d->n));
	sim_bit_write(d->flag, (d->n % 3) == 0);
}

/* Write the design's VCD to path; SIM_OK or the error. */
static int write_dut_vcd(const char *path, int cycles)
{
	sim_t *sim = sim_new(NULL);
	dut_t d = { 0 };
	d.clk = sim_clock_new(sim, "clk", 20 * SIM_NS, 50, 10 * SIM_NS, true);
	d.cnt = sim_vec_new(sim, "cnt", 8, NULL);
	d.wide = sim_vec_new(sim, "dec", 128, NULL);
	d.vbl = sim_real_new(sim, "v_bl", 1.2);
	d.flag = sim_bit_new(sim, "flag", false);
	sim_proc_t *p = sim_method_new(sim, "tick", dut_tick, &d);
	sim_sensitive_pos(p, d.clk);
	sim_proc_dont_initialize(p);
	sim_trace_t *tr = sim_trace_vcd_open(sim, path);
	if (!tr) {
		sim_free(sim);
		return SIM_ERR_IO;
	}
	sim_trace_add(tr, d.clk, "top.clk");
	sim_trace_add(tr, d.cnt, "top.chip0.cnt");
	sim_trace_add(tr, d.wide, "top.chip0.cmp.dec");
	sim_trace_add(tr, d.vbl, "top.chip0.col3.v_bl");
	sim_trace_add(tr, d.flag, "top.chip1.flag");
	int rc = sim_run(sim, (sim_time_t)cycles * 20 * SIM_NS);
	if (rc == SIM_OK)
		rc = sim_trace_close(tr);
	sim_free(sim);
	return rc;
}

/* ---- a tiny VCD reader: value changes as "time name value" lines -------- */

typedef struct change {
	unsigned long long t;
	char name[64];
	char val[4200];
} change_t;

typedef struct changes {
	change_t *c;
	int n, cap;
} changes_t;

typedef struct var {
	char id[64];
	char name[64];
} var_t;

/* Canonical value: binary without leading zeros, reals via %.10g. */
static void canon(const char *raw, char *out, size_t n)
{
	if (raw[0] == 'b' || raw[0] == 'B') {
		const char *p = raw + 1;
		while (*p == '0' && p[1])
			p++;
		snprintf(out, n, "b%s", p);
	} else if (raw[0] == 'r' || raw[0] == 'R') {
		snprintf(out, n, "r%.10g", strtod(raw + 1, NULL));
	} else {
		snprintf(out, n, "%s", raw);
	}
}

static int read_vcd(const char *path, changes_t *out)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	var_t vars[32];
	int nvars = 0, depth = 0;
	char scope[8][64];
	unsigned long long t = 0;
	char line[4096];
	memset(out, 0, sizeof(*out));
	while (fgets(line, sizeof(line), f)) {
		char a[64], b[64], c[64], d[64];
		if (sscanf(line, " $scope %63s %63s", a, b) == 2) {
			snprintf(scope[depth++], 64, "%s", b);
			continue;
		}
		if (strstr(line, "$upscope")) {
			depth--;
			continue;
		}
		if (sscanf(line, " $var %63s %63s %63s %63s", a, b, c, d) ==
		    4) {
			char full[600] = "";
			for (int i = 0; i < depth; i++) {
				strcat(full, scope[i]);
				strcat(full, ".");
			}
			strncat(full, d, sizeof(full) - strlen(full) - 1);
			snprintf(vars[nvars].id, 64, "%s", c);
			full[63] = 0;
			memcpy(vars[nvars].name, full, 64);
			nvars++;
			continue;
		}
		if (line[0] == '$' || line[0] == '\n')
			continue;
		if (line[0] == '#') {
			t = strtoull(line + 1, NULL, 10);
			continue;
		}
		char val[4096], id[64];
		if (line[0] == 'b' || line[0] == 'r' || line[0] == 'B' ||
		    line[0] == 'R') {
			if (sscanf(line, "%4095s %63s", val, id) != 2)
				continue;
		} else {
			val[0] = line[0];
			val[1] = 0;
			sscanf(line + 1, "%63s", id);
		}
		for (int i = 0; i < nvars; i++) {
			if (strcmp(vars[i].id, id))
				continue;
			if (out->n == out->cap) {
				out->cap = out->cap ? out->cap * 2 : 256;
				out->c = realloc(out->c,
						 (size_t)out->cap *
							 sizeof(change_t));
			}
			change_t *ch = &out->c[out->n++];
			ch->t = t;
			snprintf(ch->name, 64, "%s", vars[i].name);
			canon(val, ch->val, sizeof(ch->val));
		}
	}
	fclose(f);
	return 0;
}

static int cmp_change(const void *a, const void *b)
{
	const change_t *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return strcmp(x->name, y->name);
}

static char *slurp(const char *path, long *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	rewind(f);
	char *buf = malloc((size_t)*len + 1);
	if (fread(buf, 1, (size_t)*len, f) != (size_t)*len)
		*len = -1;
	buf[*len < 0 ? 0 : *len] = 0;
	fclose(f);
	return buf;
}

static char tmpdir[64];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/imcsim-vcd-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

START_TEST(test_roundtrip_through_fst)
{
	char vcd[128], fst[128], back[128], cmd[512];
	make_tmpdir();
	snprintf(vcd, sizeof(vcd), "%s/a.vcd", tmpdir);
	snprintf(fst, sizeof(fst), "%s/a.fst", tmpdir);
	snprintf(back, sizeof(back), "%s/back.vcd", tmpdir);
	ck_assert_int_eq(write_dut_vcd(vcd, 50), SIM_OK);
	snprintf(cmd, sizeof(cmd), "%s %s %s >/dev/null 2>&1", VCD2FST, vcd,
		 fst);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s %s > %s 2>/dev/null", FST2VCD, fst,
		 back);
	ck_assert_int_eq(system(cmd), 0);
	changes_t a, b;
	ck_assert_int_eq(read_vcd(vcd, &a), 0);
	ck_assert_int_eq(read_vcd(back, &b), 0);
	/* 50 cycles: 100 clock edges + 4 signals x 50 changes, minus the
	 * flag's non-changes, plus the initial dump */
	ck_assert_int_gt(a.n, 250);
	qsort(a.c, (size_t)a.n, sizeof(change_t), cmp_change);
	qsort(b.c, (size_t)b.n, sizeof(change_t), cmp_change);
	ck_assert_int_eq(a.n, b.n);
	for (int i = 0; i < a.n; i++) {
		ck_assert_uint_eq(a.c[i].t, b.c[i].t);
		ck_assert_str_eq(a.c[i].name, b.c[i].name);
		ck_assert_str_eq(a.c[i].val, b.c[i].val);
	}
	/* the 128-bit vector made it through with its top bits */
	int wide_seen = 0;
	for (int i = 0; i < a.n; i++)
		if (!strcmp(a.c[i].name, "top.chip0.cmp.dec") &&
		    strlen(a.c[i].val) > 100)
			wide_seen++;
	ck_assert_int_gt(wide_seen, 10);
	free(a.c);
	free(b.c);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(test_same_run_same_bytes_no_empty_timestamps)
{
	char p1[128], p2[128], cmd[256];
	make_tmpdir();
	snprintf(p1, sizeof(p1), "%s/1.vcd", tmpdir);
	snprintf(p2, sizeof(p2), "%s/2.vcd", tmpdir);
	ck_assert_int_eq(write_dut_vcd(p1, 40), SIM_OK);
	ck_assert_int_eq(write_dut_vcd(p2, 40), SIM_OK);
	long l1, l2;
	char *b1 = slurp(p1, &l1), *b2 = slurp(p2, &l2);
	ck_assert_int_gt(l1, 100);
	ck_assert_int_eq(l1, l2);
	ck_assert(memcmp(b1, b2, (size_t)l1) == 0);
	ck_assert_ptr_nonnull(strstr(b1, "$timescale 1ps $end"));
	ck_assert_ptr_nonnull(strstr(b1, "$var real 64"));
	ck_assert_ptr_nonnull(strstr(b1, "$var wire 128"));
	/* every time stamp is followed by a value, and times increase */
	unsigned long long last = 0;
	int stamps = 0;
	for (char *p = b1; (p = strchr(p, '#')); p++) {
		if (p != b1 && p[-1] != '\n')
			continue;
		unsigned long long t = strtoull(p + 1, NULL, 10);
		if (stamps++)
			ck_assert_uint_gt(t, last);
		last = t;
		char *nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		ck_assert(nl[1] != '#' && nl[1] != '\0');
	}
	ck_assert_int_eq(stamps, 1 + 80);
	free(b1);
	free(b2);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(test_unwritable_path)
{
	sim_t *sim = sim_new(NULL);
	ck_assert_ptr_null(
		sim_trace_vcd_open(sim, "/nonexistent-dir/imcsim/x.vcd"));
	ck_assert_ptr_nonnull(strstr(sim_error(sim), "cannot open VCD"));
	sim_free(sim);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vcd");
	TCase *tc = tcase_create("gtkwave");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_roundtrip_through_fst);
	tcase_add_test(tc, test_same_run_same_bytes_no_empty_timestamps);
	tcase_add_test(tc, test_unwritable_path);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
