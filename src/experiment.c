/* experiment.c - the training-mode ladder; see experiment.h. */
#include "experiment.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bnn/train.h"
#include "system/sysnet.h"

int exp_data_load(const imcsim_config_t *c, exp_data_t *d, char *err,
		  size_t errlen)
{
	char msg[512];
	memset(d, 0, sizeof(*d));
	struct bnn_preproc_params raw = { 0 }, norm = { c->norm_target };
	struct {
		const char *split;
		const struct bnn_preproc_params *pp;
		struct bnn_dataset *ds;
		unsigned limit;
	} jobs[4] = {
		{ "train", &raw, &d->train, c->train_images },
		{ "t10k", &raw, &d->test, c->test_images },
		{ "train", &norm, &d->train_norm, c->train_images },
		{ "t10k", &norm, &d->test_norm, c->test_images },
	};
	for (int i = 0; i < 4; i++) {
		if (bnn_dataset_load_dir(c->data_dir, jobs[i].split, jobs[i].pp,
					 jobs[i].ds, msg, sizeof(msg))) {
			snprintf(err, errlen,
				 "%s (the MNIST digits are fetched by "
				 "data/fetch-mnist.sh; point data elsewhere "
				 "with --data DIR or IMCSIM_MNIST_DIR)",
				 msg);
			exp_data_free(d);
			return -1;
		}
		if (jobs[i].limit && jobs[i].limit < jobs[i].ds->n)
			bnn_dataset_truncate(jobs[i].ds, jobs[i].limit);
	}
	return 0;
}

void exp_data_free(exp_data_t *d)
{
	bnn_dataset_free(&d->train);
	bnn_dataset_free(&d->test);
	bnn_dataset_free(&d->train_norm);
	bnn_dataset_free(&d->test_norm);
}

static void progress(exp_progress_fn fn, void *ctx, const char *stage,
		     double frac)
{
	if (fn)
		fn(ctx, stage, frac);
}

int exp_train(const imcsim_config_t *c, const exp_data_t *d, int norm,
	      struct bnn_net *net, exp_progress_fn fn, void *ctx, double frac0,
	      double frac1, char *err, size_t errlen)
{
	struct bnn_preproc_params pre = { norm ? c->norm_target : 0 };
	struct bnn_trainer *t = NULL;
	char stage[128];
	if (bnn_trainer_new(&c->hw, &pre, &c->train, &t, err, errlen))
		return -1;
	const struct bnn_dataset *ds = norm ? &d->train_norm : &d->train;
	for (unsigned e = 0; e < c->train.epochs; e++) {
		struct bnn_epoch_stats st;
		if (bnn_trainer_epoch(t, ds, NULL, &st, err, errlen)) {
			bnn_trainer_free(t);
			return -1;
		}
		snprintf(stage, sizeof(stage),
			 "training %s BNN in software: epoch %u/%u, train "
			 "accuracy %.1f%%",
			 norm ? "input-normalized" : "plain", e + 1,
			 c->train.epochs, 100.0 * st.train_acc);
		progress(fn, ctx, stage,
			 frac0 + (frac1 - frac0) * (e + 1) / c->train.epochs);
	}
	*net = *bnn_trainer_net(t);
	bnn_trainer_free(t);
	return 0;
}

/* A TLM system of one chip seed with net loaded, calibrated or not. */
static sys_t *deploy(const imcsim_config_t *c, const struct bnn_net *net,
		     uint64_t chip_seed, int calibrate, unsigned *saturated,
		     char *err, size_t errlen)
{
	sys_params_t p = c->sys;
	p.seed = chip_seed;
	return sys_deploy(&p, SYS_TLM, net, calibrate, saturated, err, errlen);
}

static int eval_on(sys_t *s, const struct bnn_dataset *test, double *acc,
		   double *energy_pj, char *err, size_t errlen)
{
	size_t right = 0;
	double e = 0;
	for (size_t k = 0; k < test->n; k++) {
		sys_result_t r;
		if (sys_tlm_infer(s, test->codes + k * BNN_N_INPUTS, &r) < 0) {
			snprintf(err, errlen, "%s", sys_error(s));
			return -1;
		}
		right += r.pred == test->labels[k];
		e += r.energy_j;
	}
	*acc = test->n ? (double)right / (double)test->n : 0.0;
	*energy_pj = test->n ? e / (double)test->n * 1e12 : 0.0;
	return 0;
}

int exp_eval_chip(const imcsim_config_t *c, const struct bnn_net *net,
		  const struct bnn_dataset *test, uint64_t chip_seed,
		  int calibrate, double *acc, double *energy_pj,
		  unsigned *saturated, char *err, size_t errlen)
{
	sys_t *s = deploy(c, net, chip_seed, calibrate, saturated, err, errlen);
	if (!s)
		return -1;
	int rc = eval_on(s, test, acc, energy_pj, err, errlen);
	sys_free(s);
	return rc;
}

/* Fine-tune net with forward on the chips of chip_seed, then evaluate. */
static int chip_in_the_loop(const imcsim_config_t *c, const exp_data_t *d,
			    const struct bnn_net *start, uint64_t chip_seed,
			    double *acc, double *energy_pj, unsigned *sat,
			    char *err, size_t errlen)
{
	sys_t *s = deploy(c, start, chip_seed, 1, sat, err, errlen);
	if (!s)
		return -1;
	struct bnn_train_params tp = c->train;
	tp.epochs = c->cil_epochs ? c->cil_epochs : 1;
	tp.lr_start = c->cil_lr;
	tp.lr_end = c->cil_lr / 4;
	tp.seed = c->train.seed + 1000 + chip_seed;
	struct bnn_trainer *t = NULL;
	struct bnn_evaluator ev;
	int rc = -1;
	if (sys_bnn_evaluator(s, &ev) < 0) {
		snprintf(err, errlen, "%s", sys_error(s));
		goto out;
	}
	if (bnn_trainer_new(&c->hw, &start->pre, &tp, &t, err, errlen) ||
	    bnn_trainer_set_net(t, start, err, errlen))
		goto out;
	for (unsigned e = 0; e < c->cil_epochs; e++) {
		struct bnn_epoch_stats st;
		if (bnn_trainer_epoch(t, &d->train_norm, &ev, &st, err, errlen))
			goto out;
	}
	/* evaluate the fine-tuned net as deployed: fresh load on this chip */
	sys_net_t sn;
	if (sys_net_from_bnn(bnn_trainer_net(t), &sn, err, errlen))
		goto out;
	int r = sys_load_net(s, &sn);
	if (r < 0) {
		snprintf(err, errlen, "%s", sys_error(s));
		goto out;
	}
	*sat = (unsigned)r;
	rc = eval_on(s, &d->test_norm, acc, energy_pj, err, errlen);
out:
	bnn_trainer_free(t);
	sys_free(s);
	return rc;
}

static double software_acc(const struct bnn_net *net,
			   const struct bnn_dataset *test, char *err,
			   size_t errlen, int *rc)
{
	struct bnn_evaluator ev = bnn_ideal_evaluator();
	double acc = 0;
	*rc = bnn_accuracy(net, &ev, test, &acc, err, errlen) ? -1 : 0;
	return acc;
}

static void summarize(exp_row_t *r)
{
	if (!r->nseeds)
		return;
	double s = 0, e = 0;
	r->acc_min = 1;
	r->acc_max = 0;
	for (unsigned k = 0; k < r->nseeds; k++) {
		s += r->acc[k];
		e += r->energy_pj[k];
		r->acc_min = fmin(r->acc_min, r->acc[k]);
		r->acc_max = fmax(r->acc_max, r->acc[k]);
	}
	r->acc_mean = s / r->nseeds;
	r->energy_pj_mean = e / r->nseeds;
}

int exp_run_ladder(const imcsim_config_t *c, const exp_data_t *d,
		   exp_report_t *r, exp_progress_fn fn, void *ctx, char *err,
		   size_t errlen)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(r, 0, sizeof(*r));
	r->n_train = d->train.n;
	r->n_test = d->test.n;
	struct bnn_net raw, norm;
	int rc;
	if (exp_train(c, d, 0, &raw, fn, ctx, 0.0, 0.3, err, errlen) ||
	    exp_train(c, d, 1, &norm, fn, ctx, 0.3, 0.6, err, errlen))
		return -1;
	static const char *names[6][2] = {
		{ "ideal_software", "software BNN, hardware-exact (no chip)" },
		{ "chip_naive", "software weights on the non-ideal chips" },
		{ "chip_calibrated", "+ offset calibration" },
		{ "ideal_software_norm", "software BNN on normalized inputs" },
		{ "chip_calibrated_norm", "+ input normalization" },
		{ "chip_in_the_loop", "+ chip-in-the-loop fine-tuning" },
	};
	r->nrows = 6;
	for (unsigned i = 0; i < r->nrows; i++) {
		r->row[i].name = names[i][0];
		r->row[i].what = names[i][1];
	}
	r->row[0].acc_mean = software_acc(&raw, &d->test, err, errlen, &rc);
	if (rc)
		return -1;
	r->row[3].acc_mean =
		software_acc(&norm, &d->test_norm, err, errlen, &rc);
	if (rc)
		return -1;
	for (unsigned i = 0; i < r->nrows; i++)
		r->row[i].acc_min = r->row[i].acc_max = r->row[i].acc_mean;
	unsigned n = c->chip_seeds;
	for (unsigned k = 0; k < n; k++) {
		uint64_t seed = c->sys.seed + k;
		char stage[128];
		snprintf(stage, sizeof(stage),
			 "chips of seed %llu: deploy, "
			 "calibrate, chip-in-the-loop",
			 (unsigned long long)seed);
		progress(fn, ctx, stage, 0.6 + 0.4 * k / n);
		struct {
			unsigned row;
			const struct bnn_net *net;
			const struct bnn_dataset *test;
			int calibrate;
		} ev[3] = { { 1, &raw, &d->test, 0 },
			    { 2, &raw, &d->test, 1 },
			    { 4, &norm, &d->test_norm, 1 } };
		for (int j = 0; j < 3; j++) {
			exp_row_t *row = &r->row[ev[j].row];
			row->seed[k] = seed;
			if (exp_eval_chip(c, ev[j].net, ev[j].test, seed,
					  ev[j].calibrate, &row->acc[k],
					  &row->energy_pj[k],
					  &row->saturated[k], err, errlen))
				return -1;
			row->nseeds = k + 1;
		}
		exp_row_t *cil = &r->row[5];
		cil->seed[k] = seed;
		if (chip_in_the_loop(c, d, &norm, seed, &cil->acc[k],
				     &cil->energy_pj[k], &cil->saturated[k],
				     err, errlen))
			return -1;
		cil->nseeds = k + 1;
	}
	for (unsigned i = 0; i < r->nrows; i++)
		summarize(&r->row[i]);
	progress(fn, ctx, "done", 1.0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->seconds = (double)(t1.tv_sec - t0.tv_sec) +
		     1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
	return 0;
}

double exp_ops_per_classification(void)
{
	/* 96x96 + 96x96 + 96x90 multiply-accumulates, 2 operations each */
	return 2.0 * (96.0 * 96 + 96.0 * 96 + 96.0 * 90);
}
