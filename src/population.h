/*
 * population.h - one design point over a population of chip instances:
 * what `imcsim yield` reports and what `imcsim sweep` reports per point.
 *
 * Contract. An instance is the system of config c with chip seed `seed`
 * (system.seed of that run): pop_instance() deploys net on it (TLM, the
 * path bit-identical to the cycle-accurate one), calibrated, classifies the
 * test split of the net's preprocessing, and with cil fine-tunes the net
 * chip-in-the-loop on the same chips first (exp_chip_in_the_loop); with
 * naive it also classifies on the uncalibrated chips. It is a pure function
 * of its arguments, so instance k of a run is the same whichever process
 * computes it, and `imcsim eval --chip-seed S` of the same net gives the
 * calibrated accuracy of seed S.
 *
 * pop_summarize() reduces instances 0..n-1, in that order, to the
 * accuracy distribution (percent of the test images: mean, sample sd, 95%
 * t-interval of the mean, min, max, type-7 percentiles), the yield at a
 * spec (an instance passes when its accuracy is >= spec percent, decided
 * on the integer count: 100 * right >= spec * n) with its Clopper-Pearson
 * 95% interval (stats.h), and the mean energy per classification. The
 * histogram has bins [lo + i w, lo + (i + 1) w) of width w percentage
 * points, lo = floor(min / w) w, widened (w doubled) until at most
 * POP_MAX_BINS bins cover the range.
 */
#ifndef IMCSIM_POPULATION_H
#define IMCSIM_POPULATION_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "experiment.h"

#define POP_MAX_BINS 200

/* One chip instance: plain bytes (it crosses process boundaries). */
typedef struct pop_inst {
	uint64_t seed;
	uint32_t n_test;
	uint32_t right;	      /* final: calibrated (+ chip-in-the-loop) */
	uint32_t right_cal;   /* calibrated, before chip-in-the-loop */
	uint32_t right_naive; /* uncalibrated (naive), else 0 */
	uint32_t clamped;     /* thresholds clamped at the compensation range */
	uint32_t pad;
	double e_sys_pj;   /* chips + buses per classification, final */
	double e_chip_pj;  /* the chips' share */
	double e_naive_pj; /* chips + buses, uncalibrated (naive) */
} pop_inst_t;

typedef struct pop_summary {
	unsigned n;
	stats_summary_t acc;	   /* final accuracy, percent */
	stats_summary_t acc_cal;   /* calibrated, before chip-in-the-loop */
	stats_summary_t acc_naive; /* uncalibrated */
	double p[7];		   /* percentiles 5 10 25 50 75 90 95 */
	int has_spec;
	double spec_pct;
	unsigned pass;
	double yield, yield_lo, yield_hi;	/* fractions */
	double e_sys_pj, e_chip_pj, e_naive_pj; /* means */
} pop_summary_t;

extern const double pop_percentiles[7];

/* Accuracy of an instance in percent. */
double pop_acc_pct(const pop_inst_t *x);
/* Does it meet spec_pct? */
int pop_passes(const pop_inst_t *x, double spec_pct);

int pop_instance(const imcsim_config_t *c, const exp_data_t *d,
		 const struct bnn_net *net, uint64_t seed, int cil, int naive,
		 pop_inst_t *r);

/* Summary of v[0..n-1]; spec_pct NAN: no spec. */
void pop_summarize(const pop_inst_t *v, unsigned n, double spec_pct,
		   pop_summary_t *s);

/* The histogram of the final accuracies: *nbins bins of width *w from *lo
 * into count[POP_MAX_BINS]. */
void pop_histogram(const pop_inst_t *v, unsigned n, double width, double *lo,
		   double *w, unsigned *nbins, unsigned *count);

/* JSON of a summary (cil/naive: which parts exist). */
void pop_summary_json(cJSON *o, const pop_summary_t *s, int cil, int naive);

#endif /* IMCSIM_POPULATION_H */
