/*
 * tb_column_transfer.c - the transfer of one column: ideal dot product in,
 * V(BL) - V(BLB) out, through the cycle-accurate chip.
 *
 * Column 0 stores +1 in rows 0..47 and -1 in rows 48..95. Sweep 1 walks the
 * ideal dot product D from -max to +max (max = 48 * 31) in steps of 2 LSB,
 * filling the -1 rows (D < 0) or the +1 rows (D > 0) one after the other:
 * one line stays at the precharge level, the other falls as far as D takes
 * it, so the cells' code-dependent discharge non-linearity shows fully.
 * Sweep 2 keeps every row active (+1 rows at code a, -1 rows at 31 - a):
 * constant total current, low common mode, a much smaller gain.
 * By default the cells are ideal (no mismatch, gain error or compression),
 * so what is left is the discharge; --nonideal keeps every default
 * non-ideality. The linearity error is against the small-signal tangent
 * g0 = (i_fs/31) T_wl / C_BL per LSB of D (macro_params_lsb_v) and against the
 * least-squares line of the whole sweep.
 *
 * The waveform (default column_transfer.vcd) opens with its save file on
 * the whole run: the dot product ramps, V(BL)-V(BLB) follows it (the
 * transfer curve against time), the error against the tangent; markers at
 * the start of each sweep.
 *
 * Usage: tb_column_transfer [-o PATH] [--seed N] [--nonideal] [--help]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fst.h"
#include "chip/chip.h"
#include "tb_args.h"

#define NPT_MAX 1600

typedef struct tb {
	sim_t *sim;
	sim_signal_t *dot, *vdiff, *err;
	double g0;
	int d[NPT_MAX];
	double v[NPT_MAX];
	sim_time_t t[NPT_MAX]; /* strobe of each point */
	unsigned n;
} tb_t;

static void on_result(void *ctx, chip_t *c, const uint64_t *dec)
{
	tb_t *tb = ctx;
	macro_t *m = chip_macro(c);
	(void)dec;
	double v = m->v_bl_v[0] - m->v_blb_v[0];
	int d = tb->d[tb->n];
	tb->t[tb->n] = sim_time(tb->sim);
	tb->v[tb->n++] = v;
	sim_real_write(tb->dot, d);
	sim_real_write(tb->vdiff, v);
	sim_real_write(tb->err, v - tb->g0 * d);
}

/* Sweep-1 input for dot product d. */
static void one_sided(int d, uint8_t x[96])
{
	memset(x, 0, 96);
	unsigned base = d < 0 ? 48 : 0, left = (unsigned)abs(d);
	for (unsigned r = 0; r < 48 && left; r++) {
		unsigned k = left > 31 ? 31 : left;
		x[base + r] = (uint8_t)k;
		left -= k;
	}
}

/* Print linearity figures of points [lo, hi). */
static void report(const char *what, const tb_t *tb, unsigned lo, unsigned hi)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, n = hi - lo;
	for (unsigned i = lo; i < hi; i++) {
		sx += tb->d[i];
		sy += tb->v[i];
		sxx += (double)tb->d[i] * tb->d[i];
		sxy += tb->d[i] * tb->v[i];
	}
	double a = (n * sxy - sx * sy) / (n * sxx - sx * sx);
	double b = (sy - a * sx) / n;
	double inl = 0, tan1 = 0, tan10 = 0, fs = 0;
	int at_inl = 0;
	for (unsigned i = lo; i < hi; i++) {
		double e = tb->v[i] - (a * tb->d[i] + b);
		if (fabs(e) > inl) {
			inl = fabs(e);
			at_inl = tb->d[i];
		}
		fs = fmax(fs, fabs(tb->v[i]));
	}
	/* where the tangent stops describing the column: first |D| from the
	 * middle outwards whose error exceeds 1 LSB / 10 % */
	for (unsigned i = lo; i < hi; i++) {
		double e = fabs(tb->v[i] - tb->g0 * tb->d[i]);
		int ad = abs(tb->d[i]);
		if (e > tb->g0 && (!tan1 || ad < tan1))
			tan1 = ad;
		if (e > 0.1 * fabs(tb->g0 * tb->d[i]) && ad > 0 &&
		    (!tan10 || ad < tan10))
			tan10 = ad;
	}
	printf("  %s: %u points, D in [%d, %d]\n", what, hi - lo, tb->d[lo],
	       tb->d[hi - 1]);
	printf("    best-fit gain %.4f mV/LSB (tangent g0 %.4f), output span "
	       "+-%.1f mV\n",
	       1e3 * a, 1e3 * tb->g0, 1e3 * fs);
	printf("    linearity error vs best-fit line: max %.2f mV = %.1f LSB = "
	       "%.2f %% of span, at D = %d\n",
	       1e3 * inl, inl / fabs(a), 100 * inl / (2 * fs), at_inl);
	if (hi - lo < 100) { /* sweep 2: its own gain in the middle */
		unsigned mid = lo + (hi - lo) / 2;
		printf("    gain at D = 0: %.4f mV/LSB (%.0f %% of g0): the low "
		       "common mode compresses the whole transfer\n",
		       1e3 * (tb->v[mid] - tb->v[mid - 1]) /
			       (tb->d[mid] - tb->d[mid - 1]),
		       100 * (tb->v[mid] - tb->v[mid - 1]) /
			       (tb->d[mid] - tb->d[mid - 1]) / tb->g0);
	} else if (tan1)
		printf("    error vs tangent exceeds 1 LSB from |D| = %.0f, 10 %% "
		       "from |D| = %.0f\n",
		       tan1, tan10);
}

int main(int argc, char **argv)
{
	bool nonideal = false;
	const tb_opt_t opts[] = {
		{ "nonideal", NULL,
		  "keep every default non-ideality (default: ideal cells)",
		  &nonideal, NULL },
	};
	tb_args_t a;
	int rc = tb_args_parse(
		&a, argc, argv, "tb_column_transfer", "column_transfer.vcd",
		"The transfer of column 0: ideal dot product in, "
		"V(BL) - V(BLB) out, and its linearity.",
		opts, 1);
	if (rc)
		return rc == 1 ? 0 : 2;
	const char *path = a.out;
	static tb_t tb;
	sim_t *sim = sim_new(NULL);
	tb.sim = sim;
	chip_params_t p;
	chip_params_default(&p);
	if (!nonideal) {
		p.macro.wldac.gain_sigma = 0;
		p.macro.wldac.compress = 0;
		p.macro.array.sig_vt_v = 0;
	}
	p.ntrace = 1;
	p.trace_col[0] = 0;
	tb.g0 = macro_params_lsb_v(&p.macro);
	chip_t *c = chip_new(sim, &p, a.seed, 0, "chip0", NULL, NULL);
	sim_trace_t *tr = c ? sim_trace_open(sim, path) : NULL;
	sim_gtkw_t *g = sim_gtkw_new("imcsim column transfer testbench "
				     "(tb_column_transfer): column 0, dot "
				     "product in, V(BL)-V(BLB) out");
	tb.dot = sim_real_new(sim, "tb.dot", 0);
	tb.vdiff = sim_real_new(sim, "tb.vdiff", 0);
	tb.err = sim_real_new(sim, "tb.err", 0);
	if (!c || !tr || !g ||
	    sim_gtkw_group(g,
			   "transfer (one point per "
			   "classify strobe)",
			   0) ||
	    sim_gtkw_trace(g, tr, tb.dot, "top.tb.dot_lsb", SIM_GTKW_ANALOG,
			   NULL) ||
	    sim_gtkw_blank(g, 3) ||
	    sim_gtkw_trace(g, tr, tb.vdiff, "top.tb.vdiff", SIM_GTKW_ANALOG,
			   NULL) ||
	    sim_gtkw_blank(g, 4) ||
	    sim_gtkw_trace(g, tr, tb.err, "top.tb.err_vs_tangent",
			   SIM_GTKW_ANALOG, NULL) ||
	    sim_gtkw_blank(g, 3) || sim_gtkw_group_end(g) ||
	    chip_trace_view(c, tr, g, "top.chip0", "chip0", CHIP_SHOW_ANALOG)) {
		fprintf(stderr, "tb_column_transfer: %s\n",
			c ? sim_error(sim) : "bad chip parameters");
		return 1;
	}
	uint64_t w[2] = { UINT64_C(0xA5A5A5A5A5A5A5A5), UINT64_C(0x5A5A5A5A) };
	for (unsigned r = 0; r < 96; r++) {
		w[0] = (w[0] & ~UINT64_C(1)) | (r < 48);
		chip_write_row(c, r, w);
		w[0] = w[0] * 6364136223846793005u + 1442695040888963407u;
	}
	chip_set_result_cb(c, on_result, &tb);
	uint8_t x[96];
	unsigned n1 = 0;
	for (int d = -48 * 31; d <= 48 * 31; d += 2) {
		one_sided(d, x);
		tb.d[n1++] = d;
		chip_classify(c, x, false);
	}
	for (unsigned k = 0; k <= 31; k++) {
		for (unsigned r = 0; r < 96; r++)
			x[r] = (uint8_t)(r < 48 ? k : 31 - k);
		tb.d[n1 + k] = 48 * (2 * (int)k - 31);
		chip_classify(c, x, false);
	}
	rc = chip_run_until_idle(c, 100000);
	if (!rc && tb.n == n1 + 32) {
		/* the whole sweep: the transfer curve against time */
		sim_gtkw_marker(g, tb.t[0], "sweep 1");
		sim_gtkw_marker(g, tb.t[n1 / 2], "D = 0");
		sim_gtkw_marker(g, tb.t[n1], "sweep 2");
		sim_gtkw_window(g, 0, tb.t[tb.n - 1] + p.period_ps / 2);
		rc = tb_args_tail(sim, g, p.period_ps);
	}
	if (!rc)
		rc = sim_trace_close(tr);
	if (rc || tb.n != n1 + 32) {
		fprintf(stderr, "tb_column_transfer: %s\n", sim_error(sim));
		return 1;
	}
	printf("tb_column_transfer: column 0, %s cells, %.1f us simulated\n",
	       nonideal ? "default non-ideal" : "ideal",
	       (double)sim_time(sim) * 1e-6);
	report("sweep 1 (one line at precharge)", &tb, 0, n1);
	report("sweep 2 (all rows on, constant total current)", &tb, n1,
	       n1 + 32);
	printf("    D     V(BL)-V(BLB) [mV]  tangent [mV]\n");
	for (unsigned i = 0; i < n1; i += 62)
		printf("  %5d   %9.2f          %9.2f\n", tb.d[i], 1e3 * tb.v[i],
		       1e3 * tb.g0 * tb.d[i]);
	rc = tb_args_finish(&a, g);
	sim_gtkw_free(g);
	tb_args_free(&a);
	sim_free(sim);
	chip_free(c);
	return rc;
}
