/*
 * cosim_closed.cpp - closed-loop co-simulation: the RTL controller
 * calibrates the C chip model.
 *
 * For each chip seed two identical analog macros are built (chip/macro.h),
 * with a calibration operating point that changes from seed to seed (the
 * host's code, loaded into the controller with op_we on the start edge).
 * Macro A is calibrated by the Verilated comp_ctrl: its cmp_req runs
 * macro_compare_cal() at the RTL's cmp_pre (data codes 0, compensation
 * rows on but the half-step row, lines precharged to the operating point)
 * and its decisions come back on cmp_valid L cycles later; its row_we writes
 * compensation rows with macro_write_row(). The golden model runs in lock
 * step on the same inputs and is compared every cycle (cosim.h). Macro B
 * is calibrated by the chip model's own transaction-level path,
 * macro_calibrate() (the golden model against the same macro). Afterwards
 * the two must agree exactly: cycle count, every count, every compensation
 * row, the number of compare operations and the energy counters. Because
 * comparator noise is keyed by the operation index, any difference in the
 * order or number of operations would show up in the decisions too.
 * The residual offset (macro_offset_counts_v at the final counts) is
 * reported in units of one compensation step, not checked: that is the
 * chip model's property, tested there.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cosim.h"

extern "C" {
#include "chip/macro.h"
}

typedef struct result {
	uint64_t cycles; /* start edge to the edge entering DONE */
	uint8_t n[CALIB_MAX_COL];
	long first_bad; /* first cycle with an RTL / golden difference */
} result_t;

/* Calibrate macro m with the RTL (and the lock-step golden model). */
static int rtl_calibrate(macro_t *m, unsigned lat, const char *trace,
			 unsigned long stop, result_t *res)
{
	const unsigned long start_k = 2, limit = 100000;
	uint64_t dec[CALIB_MAX_COL / 64] = { 0 };
	unsigned long valid_at = 0, k;
	cosim_t *s = cosim_new(trace);
	calib_out_t o;
	int rc = -1;

	res->first_bad = -1;
	if (s == NULL)
		return -2;
	for (k = 0; k < limit && (trace == NULL || k <= stop); k++) {
		calib_in_t in;

		memset(&in, 0, sizeof in);
		in.rst = k < start_k;
		in.start = k == start_k;
		in.op_we = k == start_k;
		in.op_code = m->cal_pre;
		in.cmp_valid = valid_at != 0 && k == valid_at;
		in.cmp_dec = dec;
		in.cnt_sel = (unsigned)(k % COSIM_NCOL);

		if (cosim_eval(s, k, &in, k > 0 && trace == NULL) > 0) {
			res->first_bad = (long)k;
			break;
		}
		/* The chip acts on the controller's outputs at this edge. */
		cosim_rtl_outputs(s, &o);
		if (o.row_we && macro_write_row(m, m->p.ndata + o.row_addr,
						o.row_data) != 0)
			break;
		if (o.cmp_req) {
			if (macro_compare_cal(m, o.cmp_pre, dec) != 0)
				break;
			valid_at = k + lat;
		}
		cosim_edge(s, k, &in);
		cosim_rtl_outputs(s, &o);
		if (k > start_k && o.done) {
			res->cycles = k - start_k;
			for (unsigned c = 0; c < COSIM_NCOL; c++)
				res->n[c] = (uint8_t)cosim_rtl_count(s, c);
			rc = 0;
			break;
		}
	}
	if (res->first_bad >= 0)
		rc = 1;
	if (cosim_free(s) != 0)
		rc = -2;
	return rc;
}

/* Differences between the RTL-calibrated macro a and the golden one b;
 * prints each and returns their number. */
static int compare_chips(macro_t *a, macro_t *b, const result_t *ra,
			 const calib_t *gold, uint64_t gcycles, uint64_t seed)
{
	uint64_t wa[CALIB_MAX_COL / 64], wb[CALIB_MAX_COL / 64];
	int bad = 0;

	if (ra->cycles != gcycles) {
		printf("cosim: closed seed %llu: cycles rtl=%llu golden=%llu\n",
		       (unsigned long long)seed, (unsigned long long)ra->cycles,
		       (unsigned long long)gcycles);
		bad++;
	}
	for (unsigned c = 0; c < COSIM_NCOL; c++)
		if (ra->n[c] != calib_count(gold, c)) {
			printf("cosim: closed seed %llu: column %u count rtl=%u "
			       "golden=%u\n",
			       (unsigned long long)seed, c, ra->n[c],
			       calib_count(gold, c));
			bad++;
			break;
		}
	for (unsigned r = 0; r < COSIM_NROW; r++) {
		unsigned row = a->p.ndata + r;

		if (macro_read_row(a, row, wa) != 0 ||
		    macro_read_row(b, row, wb) != 0 ||
		    memcmp(wa, wb, a->nword * sizeof(uint64_t)) != 0) {
			printf("cosim: closed seed %llu: compensation row %u differs\n",
			       (unsigned long long)seed, r);
			bad++;
			break;
		}
	}
	if (a->op != b->op ||
	    memcmp(&a->energy, &b->energy, sizeof a->energy) != 0) {
		printf("cosim: closed seed %llu: operations rtl=%llu golden=%llu "
		       "or energy counters differ\n",
		       (unsigned long long)seed, (unsigned long long)a->op,
		       (unsigned long long)b->op);
		bad++;
	}
	return bad;
}

/* Largest |residual| of macro m at counts n, in compensation steps (the
 * column's own V(n+1) - V(n-1), halved; one-sided at the ends); *over
 * counts columns beyond one step. */
static double worst_residual(macro_t *m, const uint8_t *n, unsigned *over)
{
	unsigned nc = m->p.ncol;
	uint8_t up[CALIB_MAX_COL], dn[CALIB_MAX_COL];
	double *v = (double *)calloc(3 * (size_t)nc, sizeof(double));
	double worst = 0;

	if (v == NULL)
		return NAN;
	for (unsigned c = 0; c < nc; c++) {
		up[c] = (uint8_t)(n[c] < COSIM_NROW ? n[c] + 1 : n[c]);
		dn[c] = (uint8_t)(n[c] - 1); /* counts are >= 1 */
	}
	if (macro_offset_counts_v(m, n, v) ||
	    macro_offset_counts_v(m, up, v + nc) ||
	    macro_offset_counts_v(m, dn, v + 2 * nc)) {
		free(v);
		return NAN;
	}
	for (unsigned c = 0; c < nc; c++) {
		double lsb = fabs(v[nc + c] - v[2 * nc + c]) /
			     (up[c] == n[c] ? 1 : 2);
		double r = lsb > 0 ? fabs(v[c]) / lsb : INFINITY;

		worst = r > worst ? r : worst;
		*over += r > 1;
	}
	free(v);
	return worst;
}

int cosim_closed(unsigned nseeds, uint64_t seed, const char *waves, bool quiet)
{
	macro_params_t mp;
	macro_t *a = (macro_t *)malloc(sizeof *a),
		*b = (macro_t *)malloc(sizeof *b);
	result_t *ra = (result_t *)malloc(sizeof *ra);
	calib_t *gold = (calib_t *)malloc(sizeof *gold);
	double worst = 0;
	unsigned long cycles = 0;
	unsigned over = 0;
	int rc = 0;

	macro_params_default(&mp);
	mp.ncol = COSIM_NCOL;
	mp.comp.nrow = COSIM_NROW;
	if (a == NULL || b == NULL || ra == NULL || gold == NULL ||
	    macro_params_check(&mp) != 0) {
		fprintf(stderr,
			"cosim: closed loop: no usable chip of %u x %u\n",
			COSIM_NCOL, COSIM_NROW);
		rc = 2;
	}
	for (unsigned i = 0; i < nseeds && rc == 0; i++) {
		uint64_t cs = seed * 7777u + i;
		unsigned chip = i % 4, lat = 1 + i % 6;
		uint64_t gcycles = 0;
		int r;

		/* precharge codes 0..39: VDD down to 0.47 V, the range where
		 * layers run (codes near 63 would start the lines near 0 V) */
		unsigned pre = (i * 13) % 40;

		if (macro_init(a, &mp, cs, chip) != 0 ||
		    macro_init(b, &mp, cs, chip) != 0 ||
		    macro_set_cal_point(a, pre) != 0 ||
		    macro_set_cal_point(b, pre) != 0 ||
		    macro_calibrate(b, lat, gold, &gcycles) != 0) {
			fprintf(stderr,
				"cosim: closed loop: chip seed %llu failed\n",
				(unsigned long long)cs);
			rc = 2;
			break;
		}
		r = rtl_calibrate(a, lat, NULL, 0, ra);
		if (r == 1 ||
		    (r == 0 && compare_chips(a, b, ra, gold, gcycles, cs))) {
			printf("cosim: closed FAIL chip seed %llu id %u latency %u\n",
			       (unsigned long long)cs, chip, lat);
			macro_free(a);
			if (macro_init(a, &mp, cs, chip) == 0 &&
			    macro_set_cal_point(a, pre) == 0)
				rtl_calibrate(
					a, lat, waves,
					ra->first_bad >= 0
						? (unsigned long)ra->first_bad +
							  3
						: 100000,
					ra);
			printf("cosim: waves %s_rtl.vcd %s_gold.vcd (waves/cosim.gtkw)\n",
			       waves, waves);
			rc = 1;
		} else if (r != 0) {
			fprintf(stderr,
				"cosim: closed loop: chip seed %llu: the RTL "
				"did not finish\n",
				(unsigned long long)cs);
			rc = r == -2 ? 2 : 1;
		} else {
			double w = worst_residual(a, ra->n, &over);

			worst = w > worst ? w : worst;
			cycles += ra->cycles;
		}
		macro_free(a);
		macro_free(b);
	}
	if (rc == 0)
		printf("cosim: PASS closed loop: %u chips (%u x %u), %lu calibration "
		       "cycles; RTL == golden in cycles, counts, rows, operations, "
		       "energy; residual offset: worst %.2f compensation steps, "
		       "%u of %u columns beyond one step\n",
		       nseeds, COSIM_NCOL, COSIM_NROW, cycles, worst, over,
		       nseeds * COSIM_NCOL);
	(void)quiet;
	free(a);
	free(b);
	free(ra);
	free(gold);
	return rc;
}
