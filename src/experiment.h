/*
 * experiment.h - the training-mode ladder the demo reports: the same test
 * split classified by
 *   ideal_software         the hardware-exact BNN in software
 *   chip_naive             its weights on the non-ideal chips, no calibration
 *   chip_calibrated        + offset calibration
 *   ideal_software_norm    a BNN trained on normalized inputs, in software
 *   chip_calibrated_norm   + input normalization, on calibrated chips
 *   software_finetuned     that net fine-tuned in software with the
 *                          chip-in-the-loop schedule (the matched control)
 *   chip_in_the_loop       that net fine-tuned with forward on the chips
 *
 * Runs. There are train.seeds training seeds (train.seed, +1, ...) and
 * system.chip_seeds chip seeds (system.seed, +1, ...), crossed: every
 * training seed's nets go on every chip seed's chips. A software row has
 * one run per training seed; a chip row, and software_finetuned (whose
 * shuffle seed is the one its chip-in-the-loop twin uses), one run per
 * (training seed, chip seed) pair. Each row's figure is the mean over its
 * runs with a 95% Student-t interval (stats.h); its delta is paired: each
 * run minus the run of its reference row with the same training seed (and
 * chip seed, when the reference has one).
 *
 * The software nets are trained to convergence: train.epochs of the
 * decaying schedule, then more epochs at lr_end while the mean training
 * loss of the last 10 epochs is still more than train.converge_tol below
 * that of the 10 before (at most 2 x train.epochs in all).
 *
 * Parallel: the trainings, then the (training seed, chip seed) jobs run on
 * `workers` processes (pool.h); results are gathered in job order, so the
 * report is byte-identical for any number of workers. Chip rows run on the
 * transaction-level path (bit-identical to the cycle-accurate one).
 */
#ifndef IMCSIM_EXPERIMENT_H
#define IMCSIM_EXPERIMENT_H

#include <stddef.h>
#include <stdint.h>

#include "bnn/bnn.h"
#include "bnn/dataset.h"
#include "provenance.h"
#include "settings.h"
#include "stats.h"

#define EXP_MAX_TSEEDS 16
#define EXP_MAX_SEEDS 64

enum exp_row_id {
	EXP_IDEAL,
	EXP_NAIVE,
	EXP_CAL,
	EXP_IDEAL_NORM,
	EXP_CAL_NORM,
	EXP_SW_FT,
	EXP_CIL,
	EXP_NROWS
};

/* One run of one row. */
typedef struct exp_run {
	unsigned t;	  /* training seed index */
	int c;		  /* chip seed index, -1 for a per-training-seed row */
	double acc;	  /* test accuracy, fraction */
	double e_sys_pj;  /* chips + buses per classification (chip rows) */
	double e_chip_pj; /* the three chips' compares only */
	unsigned clamped; /* thresholds clamped at the compensation range */
} exp_run_t;

typedef struct exp_row {
	const char *name, *what;
	int ref;  /* reference row, or -1 */
	int chip; /* measured on the chips */
	unsigned n;
	exp_run_t *run;
	stats_summary_t acc;	    /* over runs, fractions */
	stats_summary_t delta;	    /* paired row - reference, fractions */
	double e_sys_pj, e_chip_pj; /* means over runs */
	double clamped_mean;
	unsigned clamped_max;
} exp_row_t;

/* One software training. */
typedef struct exp_train_info {
	uint64_t seed;
	int norm;
	unsigned epochs;    /* run, convergence extension included */
	double loss_change; /* relative, last 10 epochs vs the 10 before */
	int converged;
} exp_train_info_t;

typedef struct exp_report {
	exp_row_t row[EXP_NROWS];
	unsigned n_tseeds, n_cseeds, workers;
	exp_train_info_t train[2 * EXP_MAX_TSEEDS];
	size_t n_train, n_test;
	double seconds;
	/* energy like for like (from the chip_in_the_loop runs) */
	double macro_tops_per_w; /* 2*128*128 ops per array compare */
	double system_pj;	 /* chips + buses per classification */
	double chip_pj;		 /* chips only */
	double digital_pj;	 /* digital baseline, same network */
	double digital_sram_pj;	 /* of which weight SRAM reads */
} exp_report_t;

/* Progress: stage text and completed fraction of the whole job. */
typedef void (*exp_progress_fn)(void *ctx, const char *stage, double frac);

/* Both preprocessings of the train and test splits. */
typedef struct exp_data {
	struct bnn_dataset train, test, train_norm, test_norm;
} exp_data_t;

/* The digits of c->data_dir, each of the four IDX files read once; the
 * files are noted in inputs (may be NULL). */
int exp_data_load(const imcsim_config_t *c, exp_data_t *d,
		  prov_inputs_t *inputs);
void exp_data_free(exp_data_t *d);
/* The splits as net sees them: preprocessed the way it was trained. */
const struct bnn_dataset *exp_train_split(const exp_data_t *d,
					  const struct bnn_net *net);
const struct bnn_dataset *exp_test_split(const exp_data_t *d,
					 const struct bnn_net *net);

/* Software training of one net (norm: on normalized inputs), with the
 * convergence rule above; info may be NULL. */
int exp_train_info(const imcsim_config_t *c, const exp_data_t *d, int norm,
		   struct bnn_net *net, exp_train_info_t *info,
		   exp_progress_fn fn, void *ctx, double frac0, double frac1);
/* The same without the information. */
int exp_train(const imcsim_config_t *c, const exp_data_t *d, int norm,
	      struct bnn_net *net, exp_progress_fn fn, void *ctx, double frac0,
	      double frac1);

/* Test accuracy and mean energy (chips + buses, pJ per classification) of
 * net on chips of seed chip_seed (TLM), calibrated or not. 0 or -1. */
int exp_eval_chip(const imcsim_config_t *c, const struct bnn_net *net,
		  const struct bnn_dataset *test, const struct bnn_dataset *op,
		  uint64_t chip_seed, int calibrate, double *acc,
		  double *energy_pj, unsigned *saturated);
/* The same with the chips' share of the energy (e_chip_pj). */
int exp_eval_chip_energy(const imcsim_config_t *c, const struct bnn_net *net,
			 const struct bnn_dataset *test,
			 const struct bnn_dataset *op, uint64_t chip_seed,
			 int calibrate, double *acc, double *energy_pj,
			 double *e_chip_pj, unsigned *saturated);

/* Chip-in-the-loop on the chips of chip_seed: deploy start calibrated,
 * fine-tune it for cil_epochs with forward on those chips (train split of
 * start's preprocessing), load the result, classify the matching test
 * split. Fills run's acc, e_sys_pj, e_chip_pj, clamped. 0 or -1. */
int exp_chip_in_the_loop(const imcsim_config_t *c, const exp_data_t *d,
			 const struct bnn_net *start, uint64_t chip_seed,
			 exp_run_t *run);

/* The whole ladder on `workers` processes (0: the online CPUs). */
int exp_run_ladder(const imcsim_config_t *c, const exp_data_t *d,
		   unsigned workers, exp_report_t *r, exp_progress_fn fn,
		   void *ctx);
void exp_report_free(exp_report_t *r);

/* Paired comparison of two rows: a's runs minus b's matched runs. */
void exp_compare(const exp_report_t *r, unsigned a, unsigned b,
		 stats_summary_t *s);

/* Operations of one classification (2 per multiply-accumulate used). */
double exp_ops_per_classification(void);
/* Operations of one array compare as the paper counts them: 2 per cell
 * of the array (2*128*128 at the defaults). */
double exp_ops_per_array_compare(const macro_params_t *m);

#endif /* IMCSIM_EXPERIMENT_H */
