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

/* ---- value text: every width, repeats inside a time step --------------- */

#define TW_NSIG 72 /* vectors of width 1..64, then 8 wider ones */
#define TW_STEPS 60
#define TW_TOGGLES \
	400 /* pp toggles this often per step (back where it
			* was), pq once more (a new value): many more
			* changes than variables in one time step */

static const unsigned tw_wide[8] = { 65, 100, 127, 128, 129, 191, 192, 256 };

typedef struct tw {
	sim_signal_t *clk, *s[TW_NSIG], *pp, *pq;
	unsigned width[TW_NSIG];
	uint64_t rng;
	int step;
	uint64_t val[TW_STEPS][TW_NSIG][4]; /* after each step */
	int pp_n, pq_n;
	sim_time_t pp_t, pq_t;
} tw_t;

static uint64_t tw_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void tw_tick(sim_proc_t *self, void *ctx)
{
	(void)self;
	tw_t *t = ctx;
	for (int i = 0; i < TW_NSIG; i++) {
		unsigned w = t->width[i], nw = (w + 63) / 64;
		uint64_t *v = t->val[t->step][i];
		uint64_t r = tw_next(&t->rng);
		for (unsigned k = 0; k < nw; k++) {
			/* every number of leading zeros, 0 and 1 included */
			uint64_t x = tw_next(&t->rng) >>
				     (r % 67 > 63 ? 63 : r % 67);
			v[k] = r % 11 == 0 ? 0 : r % 13 == 0 ? 1 : x;
			if (w < 64 * (k + 1) && w % 64)
				v[k] &= (UINT64_C(1) << (w % 64)) - 1;
		}
		if (t->step && r % 5 == 0) /* unchanged, written again */
			memcpy(v, t->val[t->step - 1][i], sizeof(t->val[0][0]));
		if (nw == 1)
			sim_vec_write_u64(t->s[i], v[0]);
		else
			sim_vec_write(t->s[i], v);
	}
	t->step++;
}

/* Toggle a bit a number of times in successive deltas of one step. */
static void tw_toggle(sim_proc_t *self, sim_signal_t *b, int *n,
		      sim_time_t *when, int times)
{
	sim_time_t now = sim_time(sim_proc_sim(self));
	if (now != *when) {
		*when = now;
		*n = 0;
	}
	if ((*n)++ < times)
		sim_bit_write(b, !sim_bit_read(b));
}

static void tw_pp(sim_proc_t *self, void *ctx)
{
	tw_t *t = ctx;
	tw_toggle(self, t->pp, &t->pp_n, &t->pp_t, TW_TOGGLES);
}

static void tw_pq(sim_proc_t *self, void *ctx)
{
	tw_t *t = ctx;
	tw_toggle(self, t->pq, &t->pq_n, &t->pq_t, TW_TOGGLES + 1);
}

/* The line a vector value must have: 'b', binary from the first set bit. */
static void tw_line(const tw_t *t, int step, int i, const char *id, char *out)
{
	const uint64_t *v = t->val[step][i];
	char *p = out;
	*p++ = 'b';
	int started = 0;
	for (int b = (int)t->width[i] - 1; b >= 0; b--) {
		int d = (int)((v[b / 64] >> (b % 64)) & 1);
		if (d)
			started = 1;
		if (started || b == 0)
			*p++ = (char)('0' + d);
	}
	sprintf(p, " %s", id);
}

START_TEST(test_value_text_every_width_and_repeats)
{
	char path[128], cmd[256];
	make_tmpdir();
	snprintf(path, sizeof(path), "%s/w.vcd", tmpdir);
	static tw_t t;
	memset(&t, 0, sizeof(t));
	t.rng = 0x9e3779b97f4a7c15u;
	t.pp_t = t.pq_t = (sim_time_t)-1;
	sim_t *sim = sim_new(NULL);
	t.clk = sim_clock_new(sim, "clk", 10 * SIM_NS, 50, 0, true);
	sim_trace_t *tr = sim_trace_vcd_open(sim, path);
	ck_assert_ptr_nonnull(tr);
	for (int i = 0; i < TW_NSIG; i++) {
		char name[32];
		t.width[i] = i < 64 ? (unsigned)i + 1 : tw_wide[i - 64];
		snprintf(name, sizeof(name), "w%d", i);
		t.s[i] = sim_vec_new(sim, name, t.width[i], NULL);
		ck_assert_ptr_nonnull(t.s[i]);
		snprintf(name, sizeof(name), "top.w%d", i);
		ck_assert_int_eq(sim_trace_add(tr, t.s[i], name), SIM_OK);
	}
	t.pp = sim_bit_new(sim, "pp", false);
	t.pq = sim_bit_new(sim, "pq", false);
	ck_assert_int_eq(sim_trace_add(tr, t.pp, "top.pp"), SIM_OK);
	ck_assert_int_eq(sim_trace_add(tr, t.pq, "top.pq"), SIM_OK);
	sim_proc_t *p = sim_method_new(sim, "tick", tw_tick, &t);
	sim_proc_dont_initialize(p);
	sim_sensitive_pos(p, t.clk);
	p = sim_method_new(sim, "pp", tw_pp, &t);
	sim_proc_dont_initialize(p);
	sim_sensitive_pos(p, t.clk);
	sim_sensitive_signal(p, t.pp);
	p = sim_method_new(sim, "pq", tw_pq, &t);
	sim_proc_dont_initialize(p);
	sim_sensitive_pos(p, t.clk);
	sim_sensitive_signal(p, t.pq);
	ck_assert_int_eq(sim_run(sim, TW_STEPS * 10 * SIM_NS - 5 * SIM_NS),
			 SIM_OK);
	ck_assert_int_eq(sim_trace_close(tr), SIM_OK);
	sim_free(sim);
	ck_assert_int_eq(t.step, TW_STEPS);

	long len;
	char *buf = slurp(path, &len);
	ck_assert_ptr_nonnull(buf);
	char id[TW_NSIG + 2][8];
	int nid = 0;
	char *line = buf, *next;
	/* header: the identifiers, in the order added (w0.., pp, pq) */
	for (; *line; line = next) {
		next = strchr(line, '\n');
		ck_assert_ptr_nonnull(next);
		*next++ = '\0';
		unsigned w;
		char vid[8], name[32];
		if (sscanf(line, "$var wire %u %7s %31s", &w, vid, name) == 3) {
			int i = !strcmp(name, "pp")   ? TW_NSIG
				: !strcmp(name, "pq") ? TW_NSIG + 1
						      : atoi(name + 1);
			snprintf(id[i], sizeof(id[i]), "%s", vid);
			nid++;
		}
		if (!strcmp(line, "$dumpvars"))
			break;
	}
	ck_assert_int_eq(nid, TW_NSIG + 2);
	/* each step: exactly the signals whose value changed, each line
	 * exactly as the reference writes it; pp never, pq every time */
	int step = 0, seen = 0, pq_seen = 0;
	char want[400];
	for (line = next; *line; line = next) {
		next = strchr(line, '\n');
		ck_assert_ptr_nonnull(next);
		*next++ = '\0';
		if (line[0] == '#') {
			ck_assert_int_eq(step, 0); /* only #0 before $end */
			ck_assert_uint_eq(strtoull(line + 1, NULL, 10),
					  (unsigned long long)step * 10 *
						  SIM_NS);
			continue;
		}
		if (!strcmp(line, "$end")) {
			ck_assert_int_eq(seen, TW_NSIG + 2);
			break;
		}
		if (line[0] != 'b') { /* pp back at 0, pq toggled to 1 */
			int is_pq = !strcmp(line + 1, id[TW_NSIG + 1]);
			ck_assert(is_pq || !strcmp(line + 1, id[TW_NSIG]));
			ck_assert_int_eq(line[0], is_pq ? '1' : '0');
			seen++;
			continue;
		}
		char *sp = strchr(line, ' ');
		ck_assert_ptr_nonnull(sp);
		int i = 0;
		while (i < TW_NSIG && strcmp(id[i], sp + 1))
			i++;
		ck_assert_int_lt(i, TW_NSIG);
		tw_line(&t, 0, i, id[i], want);
		ck_assert_str_eq(line, want);
		seen++;
	}
	for (line = next; *line; line = next) {
		next = strchr(line, '\n');
		ck_assert_ptr_nonnull(next);
		*next++ = '\0';
		if (line[0] == '#') {
			if (step) {
				int changed = 0;
				for (int i = 0; i < TW_NSIG; i++)
					changed +=
						memcmp(t.val[step][i],
						       t.val[step - 1][i],
						       sizeof(t.val[0][0])) !=
						0;
				ck_assert_int_eq(seen, changed);
				ck_assert_int_eq(pq_seen, 1);
			}
			step++;
			ck_assert_int_lt(step, TW_STEPS);
			ck_assert_uint_eq(strtoull(line + 1, NULL, 10),
					  (unsigned long long)step * 10 *
						  SIM_NS);
			seen = pq_seen = 0;
			continue;
		}
		if (line[0] != 'b') {
			ck_assert_str_eq(line + 1, id[TW_NSIG + 1]);
			ck_assert_int_eq(line[0], step % 2 ? '0' : '1');
			pq_seen++;
			continue;
		}
		char *sp = strchr(line, ' ');
		ck_assert_ptr_nonnull(sp);
		int i = 0;
		while (i < TW_NSIG && strcmp(id[i], sp + 1))
			i++;
		ck_assert_int_lt(i, TW_NSIG);
		ck_assert(memcmp(t.val[step][i], t.val[step - 1][i],
				 sizeof(t.val[0][0])) != 0);
		tw_line(&t, step, i, id[i], want);
		ck_assert_str_eq(line, want);
		seen++;
	}
	ck_assert_int_eq(step, TW_STEPS - 1);
	free(buf);
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
	tcase_add_test(tc, test_value_text_every_width_and_repeats);
	tcase_add_test(tc, test_unwritable_path);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
