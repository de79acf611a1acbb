/*
 * experiment.h - the training-mode ladder the demo reports: the same
 * MNIST test split classified by
 *   ideal_software         the hardware-exact BNN in software
 *   chip_naive             its weights on the non-ideal chips, no calibration
 *   chip_calibrated        + offset calibration
 *   ideal_software_norm    a BNN trained on normalized inputs, in software
 *   chip_calibrated_norm   + input normalization, on calibrated chips
 *   chip_in_the_loop       that net fine-tuned with forward on the chips
 * Chip rows are measured on the transaction-level path (bit-identical to
 * the cycle-accurate one) for chip seeds seed, seed+1, ... and averaged.
 * Everything is a pure function of the configuration: same configuration,
 * same report.
 */
#ifndef IMCSIM_EXPERIMENT_H
#define IMCSIM_EXPERIMENT_H

#include <stddef.h>
#include <stdint.h>

#include "bnn/bnn.h"
#include "bnn/dataset.h"
#include "settings.h"

#define EXP_MAX_SEEDS 64
#define EXP_MAX_ROWS 8

typedef struct exp_row {
	const char *name;
	const char *what;
	unsigned nseeds;		   /* 0 for software rows */
	uint64_t seed[EXP_MAX_SEEDS];	   /* chip seeds */
	double acc[EXP_MAX_SEEDS];	   /* test accuracy per chip seed */
	double energy_pj[EXP_MAX_SEEDS];   /* mean energy per classification */
	unsigned saturated[EXP_MAX_SEEDS]; /* thresholds clamped on chip */
	double acc_mean, acc_min, acc_max;
	double energy_pj_mean;
} exp_row_t;

typedef struct exp_report {
	exp_row_t row[EXP_MAX_ROWS];
	unsigned nrows;
	size_t n_train, n_test;
	double seconds;
} exp_report_t;

/* Progress: stage text and completed fraction of the whole job. */
typedef void (*exp_progress_fn)(void *ctx, const char *stage, double frac);

/* Both preprocessings of the train and test splits. */
typedef struct exp_data {
	struct bnn_dataset train, test, train_norm, test_norm;
} exp_data_t;

int exp_data_load(const imcsim_config_t *c, exp_data_t *d, char *err,
		  size_t errlen);
void exp_data_free(exp_data_t *d);

/* Software training of one net (norm: on normalized inputs). */
int exp_train(const imcsim_config_t *c, const exp_data_t *d, int norm,
	      struct bnn_net *net, exp_progress_fn fn, void *ctx, double frac0,
	      double frac1, char *err, size_t errlen);

/* Test accuracy and mean energy of net on chips of seed chip_seed (TLM):
 * calibrated or not; returns 0 or -1 with err. */
int exp_eval_chip(const imcsim_config_t *c, const struct bnn_net *net,
		  const struct bnn_dataset *test, uint64_t chip_seed,
		  int calibrate, double *acc, double *energy_pj,
		  unsigned *saturated, char *err, size_t errlen);

/* The whole ladder. */
int exp_run_ladder(const imcsim_config_t *c, const exp_data_t *d,
		   exp_report_t *r, exp_progress_fn fn, void *ctx, char *err,
		   size_t errlen);

/* Operations of one classification (2 per multiply-accumulate). */
double exp_ops_per_classification(void);

#endif /* IMCSIM_EXPERIMENT_H */
