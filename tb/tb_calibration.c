/*
 * tb_calibration.c - calibrate one chip, cycle by cycle, and report each
 * column's effective offset before and after.
 *
 * The effective offset of a column is computed from the model, not
 * bisected: the noise-free comparator input with every data code 0 and the
 * compensation wordline on (macro_offset_counts_v), i.e. V_os, the common-
 * mode term and the compensation rows' differential discharge together.
 * "Before" is the FSM's starting point n_c = 16 (balanced rows), "after" the
 * calibrated n_c. The residual is expressed in nominal compensation steps
 * (macro_comp_step_v) and against the column's own step (the discharge of
 * the mismatched cells next to its final count). The line
 * within_one_step=<fraction> is the fraction of columns within one nominal
 * step over this seed and the 9 following (transaction-level calibrations
 * of the same chip model: the same counts as the cycle-accurate one).
 *
 * The waveform (default calibration.vcd) opens with calibration.gtkw on
 * the calibration: FSM state and step, the compare handshake, the row
 * writes, n_c and BL/BLB of the traced columns; markers at the start, at
 * each compare's strobe and at DONE.
 *
 * Usage: tb_calibration [-o PATH] [--seed N] [--help]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fst.h"
#include "chip/chip.h"
#include "tb_args.h"

static const unsigned traced[] = { 0, 1, 2, 3 };
#define NTRACED (sizeof traced / sizeof traced[0])

/* The strobes of the calibration's compares, for markers. */
typedef struct strobes {
	sim_time_t t[SIM_GTKW_MAX_MARKERS - 2];
	unsigned n;
} strobes_t;

static void on_strobe(void *ctx, chip_t *c, sim_time_t t, bool classify)
{
	strobes_t *s = ctx;
	(void)c;
	if (!classify && s->n < sizeof s->t / sizeof s->t[0])
		s->t[s->n++] = t;
}

int main(int argc, char **argv)
{
	tb_args_t a;
	int rc = tb_args_parse(&a, argc, argv, "tb_calibration",
			       "calibration.vcd",
			       "Calibrate one chip cycle by cycle; print each "
			       "column's offset before and after.",
			       NULL, 0);
	if (rc)
		return rc == 1 ? 0 : 2;
	uint64_t seed = a.seed;
	const char *path = a.out;
	sim_t *sim = sim_new(NULL);
	chip_params_t p;
	chip_params_default(&p);
	p.ntrace = NTRACED;
	memcpy(p.trace_col, traced, sizeof traced);
	chip_t *c = chip_new(sim, &p, seed, 0, "chip0", NULL, NULL);
	sim_trace_t *tr = c ? sim_trace_open(sim, path) : NULL;
	sim_gtkw_t *g = sim_gtkw_new("imcsim calibration testbench "
				     "(tb_calibration): the binary search of "
				     "the compensation counts");
	if (!c || !tr || !g ||
	    chip_trace_view(c, tr, g, "top.chip0", "chip0",
			    CHIP_SHOW_SEQ | CHIP_SHOW_CALIB |
				    CHIP_SHOW_ANALOG)) {
		fprintf(stderr, "tb_calibration: %s\n",
			c ? sim_error(sim) : "bad chip parameters");
		return 1;
	}
	strobes_t st = { .n = 0 };
	chip_set_strobe_cb(c, on_strobe, &st);
	macro_t *m = chip_macro(c);
	unsigned ncol = m->p.ncol, nrow = m->p.comp.nrow;
	uint8_t n0[CALIB_MAX_COL], n1[CALIB_MAX_COL], np[CALIB_MAX_COL],
		nm[CALIB_MAX_COL];
	double before[CALIB_MAX_COL], after[CALIB_MAX_COL], vp[CALIB_MAX_COL],
		vm[CALIB_MAX_COL];
	memset(n0, nrow / 2, ncol);
	macro_offset_counts_v(m, n0, before);

	rc = chip_calibrate(c);
	if (!rc)
		rc = chip_run_until_idle(c, 100000);
	/* the whole search, start to DONE, and two cycles either side */
	sim_time_t t0 = chip_calib_t_start(c),
		   t1 = t0 + chip_calib_cycles(c) * p.period_ps;
	sim_gtkw_marker(g, t0, "start");
	for (unsigned k = 0; k < st.n; k++) {
		char label[32];
		snprintf(label, sizeof label, "compare %u", k + 1);
		sim_gtkw_marker(g, st.t[k], label);
	}
	sim_gtkw_marker(g, t1, "DONE");
	sim_gtkw_cursor(g, t1); /* the final counts by the names */
	sim_gtkw_window(g, t0 > 2 * p.period_ps ? t0 - 2 * p.period_ps : 0,
			t1 + 2 * p.period_ps);
	if (!rc)
		rc = tb_args_tail(sim, g, p.period_ps);
	if (!rc)
		rc = sim_trace_close(tr);
	if (rc) {
		fprintf(stderr, "tb_calibration: %s\n", sim_error(sim));
		return 1;
	}
	for (unsigned k = 0; k < ncol; k++) {
		n1[k] = (uint8_t)chip_comp_count(c, k);
		np[k] = n1[k] < nrow ? n1[k] + 1 : n1[k];
		nm[k] = n1[k] > 0 ? n1[k] - 1 : n1[k];
	}
	macro_offset_counts_v(m, n1, after);
	macro_offset_counts_v(m, np, vp);
	macro_offset_counts_v(m, nm, vm);
	double step = macro_comp_step_v(m);

	printf("tb_calibration: seed %llu, %u columns, %u compensation rows, "
	       "nominal step %.3f mV\n",
	       (unsigned long long)seed, ncol, nrow, 1e3 * step);
	printf("  col  offset before [mV]  n_c  residual [mV]  [steps]\n");
	unsigned hist[9] = { 0 }, in_nom = 0, in_own = 0;
	double s2b = 0, s2a = 0, maxa = 0;
	for (unsigned k = 0; k < ncol; k++) {
		double r = after[k] / step,
		       own = fmax(vp[k] - after[k], after[k] - vm[k]);
		printf("  %3u  %+8.3f            %2u   %+7.3f        %+.2f\n",
		       k, 1e3 * before[k], n1[k], 1e3 * after[k], r);
		unsigned b = (unsigned)floor((r + 2.25) / 0.5);
		hist[b > 8 ? 8 : b]++;
		in_nom += fabs(after[k]) <= step;
		in_own += fabs(after[k]) <= own;
		s2b += before[k] * before[k];
		s2a += after[k] * after[k];
		maxa = fmax(maxa, fabs(after[k]));
	}
	printf("  rms offset before %.3f mV, after %.3f mV, max |residual| "
	       "%.3f mV (%.2f steps)\n",
	       1e3 * sqrt(s2b / ncol), 1e3 * sqrt(s2a / ncol), 1e3 * maxa,
	       maxa / step);
	printf("  residual distribution (nominal steps):\n");
	for (unsigned b = 0; b < 9; b++) {
		double lo = -2.25 + 0.5 * b;
		printf("    %s[%+.2f, %+.2f)%s %3u ", b == 0 ? "<" : " ",
		       b == 0 ? -(double)INFINITY : lo,
		       b == 8 ? (double)INFINITY : lo + 0.5, b == 8 ? ">" : " ",
		       hist[b]);
		for (unsigned i = 0; i < hist[b]; i++)
			putchar('#');
		putchar('\n');
	}
	printf("  |residual| <= 1 nominal step: %u/%u, <= own step: %u/%u\n",
	       in_nom, ncol, in_own, ncol);
	printf("  calibration took %llu cycles (%.2f us at %.0f MHz), %llu "
	       "compare operations\n",
	       (unsigned long long)chip_calib_cycles(c),
	       chip_calib_cycles(c) * (double)p.period_ps * 1e-6,
	       1e6 / (double)p.period_ps, (unsigned long long)m->op);
	unsigned w_in = 0, w_all = 0;
	for (unsigned i = 0; i < 10; i++) {
		macro_t t;
		uint8_t nc[CALIB_MAX_COL];
		double res[CALIB_MAX_COL];
		calib_t *cal = malloc(sizeof *cal);
		if (!cal || macro_init(&t, &p.macro, a.seed + i, 0) ||
		    macro_calibrate(&t, CHIP_CMP_LATENCY, cal, NULL)) {
			fprintf(stderr, "tb_calibration: seed %llu failed\n",
				(unsigned long long)(a.seed + i));
			free(cal);
			return 1;
		}
		for (unsigned k = 0; k < ncol; k++)
			nc[k] = (uint8_t)calib_count(cal, k);
		macro_offset_counts_v(&t, nc, res);
		double st1 = macro_comp_step_v(&t);
		for (unsigned k = 0; k < ncol; k++)
			w_in += fabs(res[k]) <= st1;
		w_all += ncol;
		free(cal);
		macro_free(&t);
	}
	printf("within_one_step=%.4f\n", (double)w_in / w_all);
	rc = tb_args_finish(&a, g);
	sim_gtkw_free(g);
	tb_args_free(&a);
	sim_free(sim);
	chip_free(c);
	return rc;
}
