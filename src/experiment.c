/* experiment.c - the training-mode ladder; see experiment.h. */
#include "experiment.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bnn/train.h"
#include "chip/energy.h"
#include "pool.h"
#include "system/sysnet.h"

static void progress(exp_progress_fn fn, void *ctx, const char *stage,
		     double frac)
{
	if (fn)
		fn(ctx, stage, frac);
}

#define CONV_WINDOW 10 /* epochs per window of the convergence rule */

/* Relative drop of the mean loss, last window vs the one before. */
static double loss_change(const double *loss, unsigned n)
{
	double a = 0, b = 0;
	for (unsigned k = 0; k < CONV_WINDOW; k++) {
		a += loss[n - 2 * CONV_WINDOW + k];
		b += loss[n - CONV_WINDOW + k];
	}
	return a > 0 ? (a - b) / a : 0.0;
}

int exp_train(const imcsim_config_t *c, const exp_data_t *d, int norm,
	      struct bnn_net *net, exp_progress_fn fn, void *ctx, double frac0,
	      double frac1)
{
	return exp_train_info(c, d, norm, net, NULL, fn, ctx, frac0, frac1);
}

int exp_train_info(const imcsim_config_t *c, const exp_data_t *d, int norm,
		   struct bnn_net *net, exp_train_info_t *info,
		   exp_progress_fn fn, void *ctx, double frac0, double frac1)
{
	struct bnn_preproc_params pre = { norm ? c->norm_target : 0 };
	struct bnn_trainer *t = NULL;
	char stage[160];
	unsigned max_epochs = 2 * c->train.epochs;
	double *loss = calloc(max_epochs, sizeof(double));
	if (!loss)
		return imc_fail(-1, "out of memory");
	if (bnn_trainer_new(&c->hw, &pre, &c->train, &t)) {
		free(loss);
		return -1;
	}
	const struct bnn_dataset *ds = norm ? &d->train_norm : &d->train;
	exp_train_info_t in = { c->train.seed, norm, 0, NAN, -1 };
	for (unsigned e = 0; e < max_epochs; e++) {
		if (e >= 2 * CONV_WINDOW) {
			in.loss_change = loss_change(loss, e);
			in.converged = in.loss_change < c->converge_tol;
		}
		if (e >= c->train.epochs && (in.converged != 0))
			break;
		struct bnn_epoch_stats st;
		if (bnn_trainer_epoch(t, ds, NULL, &st)) {
			bnn_trainer_free(t);
			free(loss);
			return -1;
		}
		loss[e] = st.loss;
		in.epochs = e + 1;
		snprintf(stage, sizeof(stage),
			 "training seed %llu, %s BNN in software: epoch %u/%u%s"
			 ", train accuracy %.1f%%",
			 (unsigned long long)c->train.seed,
			 norm ? "input-normalized" : "plain", e + 1,
			 c->train.epochs,
			 e >= c->train.epochs ? " (converging)" : "",
			 100.0 * st.train_acc);
		double f = (double)(e + 1) / c->train.epochs;
		progress(fn, ctx, stage,
			 frac0 + (frac1 - frac0) * (f > 1 ? 1 : f));
	}
	if (in.epochs >= 2 * CONV_WINDOW) {
		in.loss_change = loss_change(loss, in.epochs);
		in.converged = in.loss_change < c->converge_tol;
	}
	if (info)
		*info = in;
	*net = *bnn_trainer_net(t);
	bnn_trainer_free(t);
	free(loss);
	return 0;
}

/* A TLM system of one chip seed with net loaded, calibrated or not; the
 * calibration operating points come from op, the training split the net
 * was trained on (NULL: layer 0 at idle). */
static sys_t *deploy(const imcsim_config_t *c, const struct bnn_net *net,
		     const struct bnn_dataset *op, uint64_t chip_seed,
		     int calibrate, unsigned *saturated)
{
	sys_params_t p = c->sys;
	p.seed = chip_seed;
	return sys_deploy_data(&p, SYS_TLM, net, calibrate, op ? op->n : 0,
			       op ? op->codes : NULL, saturated);
}

static int eval_on(sys_t *s, const struct bnn_dataset *test, double *acc,
		   double *energy_pj, double *e_chip_pj)
{
	size_t right = 0;
	double e = 0, ec = 0;
	for (size_t k = 0; k < test->n; k++) {
		sys_result_t r;
		if (sys_tlm_infer(s, test->codes + k * BNN_N_INPUTS, &r) < 0)
			return imc_fail(-1, "%s", sys_error(s));
		right += r.pred == test->labels[k];
		e += r.energy_j;
		for (unsigned l = 0; l < SYS_NLAYER; l++)
			ec += r.e_chip_j[l];
	}
	double n = (double)test->n;
	*acc = test->n ? (double)right / n : 0.0;
	*energy_pj = test->n ? e / n * 1e12 : 0.0;
	if (e_chip_pj)
		*e_chip_pj = test->n ? ec / n * 1e12 : 0.0;
	return 0;
}

int exp_eval_chip(const imcsim_config_t *c, const struct bnn_net *net,
		  const struct bnn_dataset *test, const struct bnn_dataset *op,
		  uint64_t chip_seed, int calibrate, double *acc,
		  double *energy_pj, unsigned *saturated)
{
	return exp_eval_chip_energy(c, net, test, op, chip_seed, calibrate, acc,
				    energy_pj, NULL, saturated);
}

int exp_eval_chip_energy(const imcsim_config_t *c, const struct bnn_net *net,
			 const struct bnn_dataset *test,
			 const struct bnn_dataset *op, uint64_t chip_seed,
			 int calibrate, double *acc, double *energy_pj,
			 double *e_chip_pj, unsigned *saturated)
{
	sys_t *s = deploy(c, net, op, chip_seed, calibrate, saturated);
	if (!s)
		return -1;
	int rc = eval_on(s, test, acc, energy_pj, e_chip_pj);
	sys_free(s);
	return rc;
}

/* The fine-tuning schedule of chip-in-the-loop and its software control;
 * the shuffle seed is keyed by both seeds, as it always was. */
static struct bnn_train_params finetune_params(const imcsim_config_t *c,
					       uint64_t chip_seed)
{
	struct bnn_train_params tp = c->train;
	tp.epochs = c->cil_epochs ? c->cil_epochs : 1;
	tp.lr_start = c->cil_lr;
	tp.lr_end = c->cil_lr / 4;
	tp.seed = c->train.seed + 1000 + chip_seed;
	return tp;
}

/* Fine-tune start for cil_epochs with forward on ev (NULL: software),
 * into *out. */
static int finetune(const imcsim_config_t *c, const exp_data_t *d,
		    const struct bnn_net *start, uint64_t chip_seed,
		    const struct bnn_evaluator *ev, struct bnn_net *out,
		    exp_progress_fn fn, void *ctx, double f0, double f1)
{
	struct bnn_train_params tp = finetune_params(c, chip_seed);
	struct bnn_trainer *t = NULL;
	int rc = -1;
	if (bnn_trainer_new(&c->hw, &start->pre, &tp, &t) ||
	    bnn_trainer_set_net(t, start))
		goto out;
	for (unsigned e = 0; e < c->cil_epochs; e++) {
		struct bnn_epoch_stats st;
		char stage[160];
		if (bnn_trainer_epoch(t, exp_train_split(d, start), ev, &st))
			goto out;
		snprintf(stage, sizeof(stage),
			 "training seed %llu, chip seed %llu: %s epoch %u/%u",
			 (unsigned long long)c->train.seed,
			 (unsigned long long)chip_seed,
			 ev ? "chip-in-the-loop" : "software fine-tuning",
			 e + 1, c->cil_epochs);
		progress(fn, ctx, stage,
			 f0 + (f1 - f0) * (e + 1) / c->cil_epochs);
	}
	*out = *bnn_trainer_net(t);
	rc = 0;
out:
	bnn_trainer_free(t);
	return rc;
}

/* Fine-tune with forward on the chips of chip_seed, then evaluate the
 * result as deployed on the same chips. */
static int chip_in_the_loop(const imcsim_config_t *c, const exp_data_t *d,
			    const struct bnn_net *start, uint64_t chip_seed,
			    exp_run_t *run, exp_progress_fn fn, void *ctx,
			    double f0, double f1)
{
	sys_t *s = deploy(c, start, exp_train_split(d, start), chip_seed, 1,
			  &run->clamped);
	if (!s)
		return -1;
	struct bnn_evaluator ev;
	struct bnn_net tuned;
	sys_net_t sn;
	int rc = -1;
	if (sys_bnn_evaluator(s, &ev) < 0) {
		imc_fail(-1, "%s", sys_error(s));
		goto out;
	}
	if (finetune(c, d, start, chip_seed, &ev, &tuned, fn, ctx, f0, f1) ||
	    sys_net_from_bnn(&tuned, &sn))
		goto out;
	int r = sys_load_net(s, &sn);
	if (r < 0) {
		imc_fail(-1, "%s", sys_error(s));
		goto out;
	}
	run->clamped = (unsigned)r;
	rc = eval_on(s, exp_test_split(d, start), &run->acc, &run->e_sys_pj,
		     &run->e_chip_pj);
out:
	sys_free(s);
	return rc;
}

int exp_chip_in_the_loop(const imcsim_config_t *c, const exp_data_t *d,
			 const struct bnn_net *start, uint64_t chip_seed,
			 exp_run_t *run)
{
	return chip_in_the_loop(c, d, start, chip_seed, run, NULL, NULL, 0, 1);
}

/* ---- the jobs ------------------------------------------------------------ */

struct ladder {
	const imcsim_config_t *c;
	const exp_data_t *d;
	struct train_res *tr; /* phase 1 results, 2 per training seed */
	unsigned n_cseeds;
};

struct train_res {
	struct bnn_net net;
	exp_train_info_t info;
	double acc; /* software test accuracy */
};

/* Chip job results: naive, calibrated, calibrated_norm, finetuned, cil. */
enum { J_NAIVE, J_CAL, J_CAL_NORM, J_SW_FT, J_CIL, J_N };
struct chip_res {
	exp_run_t run[J_N];
};

static void job_progress(void *ctx, const char *stage, double frac)
{
	pool_job_progress(ctx, frac, stage);
}

static imcsim_config_t seeded(const imcsim_config_t *c, unsigned t)
{
	imcsim_config_t k = *c;
	k.train.seed = c->train.seed + t;
	return k;
}

static int train_job(void *ctx, unsigned job, void *result, pool_job_t *pj)
{
	const struct ladder *L = ctx;
	struct train_res *res = result;
	imcsim_config_t c = seeded(L->c, job / 2);
	int norm = (int)(job % 2);
	if (exp_train_info(&c, L->d, norm, &res->net, &res->info, job_progress,
			   pj, 0.0, 1.0))
		return -1;
	struct bnn_evaluator ev = bnn_ideal_evaluator();
	const struct bnn_dataset *test = norm ? &L->d->test_norm : &L->d->test;
	return bnn_accuracy(&res->net, &ev, test, &res->acc) ? -1 : 0;
}

static int chip_job(void *ctx, unsigned job, void *result, pool_job_t *pj)
{
	const struct ladder *L = ctx;
	struct chip_res *res = result;
	unsigned t = job / L->n_cseeds, ci = job % L->n_cseeds;
	imcsim_config_t c = seeded(L->c, t);
	uint64_t seed = c.sys.seed + ci;
	const struct bnn_net *raw = &L->tr[2 * t].net,
			     *norm = &L->tr[2 * t + 1].net;
	for (unsigned k = 0; k < J_N; k++) {
		res->run[k].t = t;
		res->run[k].c = (int)ci;
	}
	struct {
		unsigned slot;
		const struct bnn_net *net;
		const struct bnn_dataset *test, *op;
		int calibrate;
	} ev[3] = { { J_NAIVE, raw, &L->d->test, &L->d->train, 0 },
		    { J_CAL, raw, &L->d->test, &L->d->train, 1 },
		    { J_CAL_NORM, norm, &L->d->test_norm, &L->d->train_norm,
		      1 } };
	for (int j = 0; j < 3; j++) {
		exp_run_t *r = &res->run[ev[j].slot];
		if (exp_eval_chip_energy(&c, ev[j].net, ev[j].test, ev[j].op,
					 seed, ev[j].calibrate, &r->acc,
					 &r->e_sys_pj, &r->e_chip_pj,
					 &r->clamped))
			return -1;
	}
	pool_job_progress(pj, 0.1, "chip rows evaluated");
	struct bnn_net tuned;
	struct bnn_evaluator ideal = bnn_ideal_evaluator();
	if (finetune(&c, L->d, norm, seed, NULL, &tuned, job_progress, pj, 0.1,
		     0.3) ||
	    bnn_accuracy(&tuned, &ideal, &L->d->test_norm,
			 &res->run[J_SW_FT].acc))
		return -1;
	return chip_in_the_loop(&c, L->d, norm, seed, &res->run[J_CIL],
				job_progress, pj, 0.3, 1.0);
}

/* ---- gathering ----------------------------------------------------------- */

static const struct {
	const char *name, *what;
	int ref, chip;
} row_def[EXP_NROWS] = {
	{ "ideal_software", "software BNN, hardware-exact (no chip)", -1, 0 },
	{ "chip_naive", "software weights on the non-ideal chips", EXP_IDEAL,
	  1 },
	{ "chip_calibrated", "+ offset calibration", EXP_IDEAL, 1 },
	{ "ideal_software_norm", "software BNN on normalized inputs", EXP_IDEAL,
	  0 },
	{ "chip_calibrated_norm", "+ input normalization", EXP_IDEAL_NORM, 1 },
	{ "software_finetuned",
	  "norm. BNN fine-tuned in software (matched control)", EXP_IDEAL_NORM,
	  0 },
	{ "chip_in_the_loop", "+ chip-in-the-loop fine-tuning", EXP_SW_FT, 1 },
};

/* The run of row b matching run x (same training seed; same chip seed
 * when b has per-chip runs), or NULL. */
static const exp_run_t *match(const exp_row_t *b, const exp_run_t *x)
{
	for (unsigned k = 0; k < b->n; k++) {
		const exp_run_t *y = &b->run[k];
		if (y->t == x->t && (y->c < 0 || y->c == x->c))
			return y;
	}
	return NULL;
}

void exp_compare(const exp_report_t *r, unsigned a, unsigned b,
		 stats_summary_t *s)
{
	const exp_row_t *A = &r->row[a], *B = &r->row[b];
	double *d = calloc(A->n ? A->n : 1, sizeof(double));
	size_t n = 0;
	if (!d) {
		stats_summary(NULL, 0, s);
		return;
	}
	for (unsigned k = 0; k < A->n; k++) {
		const exp_run_t *y = match(B, &A->run[k]);
		if (y)
			d[n++] = A->run[k].acc - y->acc;
	}
	stats_summary(d, n, s);
	free(d);
}

static void summarize(exp_report_t *r, exp_row_t *w)
{
	double *x = calloc(w->n ? w->n : 1, sizeof(double));
	if (!x)
		return;
	w->e_sys_pj = w->e_chip_pj = w->clamped_mean = 0;
	w->clamped_max = 0;
	for (unsigned k = 0; k < w->n; k++) {
		x[k] = w->run[k].acc;
		w->e_sys_pj += w->run[k].e_sys_pj / w->n;
		w->e_chip_pj += w->run[k].e_chip_pj / w->n;
		w->clamped_mean += (double)w->run[k].clamped / w->n;
		if (w->run[k].clamped > w->clamped_max)
			w->clamped_max = w->run[k].clamped;
	}
	stats_summary(x, w->n, &w->acc);
	free(x);
	if (w->ref >= 0)
		exp_compare(r, (unsigned)(w - r->row), (unsigned)w->ref,
			    &w->delta);
	else
		stats_summary(NULL, 0, &w->delta);
}

void exp_report_free(exp_report_t *r)
{
	for (unsigned i = 0; i < EXP_NROWS; i++) {
		free(r->row[i].run);
		r->row[i].run = NULL;
	}
}

struct phase_map {
	exp_progress_fn fn;
	void *ctx;
	double f0, f1;
};

static void phase_progress(void *ctx, const char *text, double frac)
{
	struct phase_map *m = ctx;
	progress(m->fn, m->ctx, text, m->f0 + (m->f1 - m->f0) * frac);
}

static void energy_summary(const imcsim_config_t *c, exp_report_t *r)
{
	const exp_row_t *w = &r->row[EXP_CIL];
	r->system_pj = w->e_sys_pj;
	r->chip_pj = w->e_chip_pj;
	const macro_params_t *m = &c->sys.chip.macro;
	r->macro_tops_per_w =
		w->e_chip_pj > 0 ? SYS_NLAYER * exp_ops_per_array_compare(m) /
					   (w->e_chip_pj * 1e-12) / 1e12
				 : 0;
	double sram_j = 0;
	r->digital_pj = 1e12 * energy_digital_baseline_j(
				       &m->energy, &m->bl,
				       macro_params_c_bl_f(m),
				       exp_ops_per_classification() / 2,
				       2 * BNN_HIDDEN + BNN_N_OUT, &sram_j);
	r->digital_sram_pj = 1e12 * sram_j;
}

int exp_run_ladder(const imcsim_config_t *c, const exp_data_t *d,
		   unsigned workers, exp_report_t *r, exp_progress_fn fn,
		   void *ctx)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(r, 0, sizeof(*r));
	unsigned nt = c->seeds, nc = c->chip_seeds;
	if (nt < 1 || nt > EXP_MAX_TSEEDS || nc < 1 || nc > EXP_MAX_SEEDS)
		return imc_fail(-1, "need 1..%u training and 1..%u chip seeds",
				EXP_MAX_TSEEDS, EXP_MAX_SEEDS);
	r->n_train = d->train.n;
	r->n_test = d->test.n;
	r->n_tseeds = nt;
	r->n_cseeds = nc;
	r->workers = workers ? workers : pool_cpus();
	struct ladder L = { c, d, NULL, nc };
	struct train_res *tr = calloc(2 * nt, sizeof(*tr));
	struct chip_res *cr = calloc((size_t)nt * nc, sizeof(*cr));
	double *wt = calloc(2 * nt + (size_t)nt * nc, sizeof(double));
	int rc = -1;
	if (!tr || !cr || !wt) {
		imc_fail(-1, "out of memory");
		goto out;
	}
	/* progress weights: image passes, a chip pass ~3 software ones */
	double w1 = 0, w2 = 0;
	for (unsigned j = 0; j < 2 * nt; j++)
		w1 += wt[j] = (double)c->train.epochs * (double)d->train.n;
	for (unsigned j = 0; j < nt * nc; j++)
		w2 += wt[2 * nt + j] =
			(double)c->cil_epochs * (double)d->train.n * 4.0 +
			4.0 * (double)d->test.n;
	struct phase_map pm = { fn, ctx, 0.0, w1 / (w1 + w2) };
	if (pool_run(2 * nt, r->workers, train_job, &L, tr, sizeof(*tr), wt,
		     phase_progress, &pm))
		goto out;
	L.tr = tr;
	pm.f0 = pm.f1;
	pm.f1 = 1.0;
	if (pool_run(nt * nc, r->workers, chip_job, &L, cr, sizeof(*cr),
		     wt + 2 * nt, phase_progress, &pm))
		goto out;
	for (unsigned i = 0; i < EXP_NROWS; i++) {
		exp_row_t *w = &r->row[i];
		w->name = row_def[i].name;
		w->what = row_def[i].what;
		w->ref = row_def[i].ref;
		w->chip = row_def[i].chip;
		w->run = calloc((size_t)nt * nc, sizeof(exp_run_t));
		if (!w->run) {
			imc_fail(-1, "out of memory");
			goto out;
		}
	}
	for (unsigned t = 0; t < nt; t++) {
		r->train[2 * t] = tr[2 * t].info;
		r->train[2 * t + 1] = tr[2 * t + 1].info;
		exp_run_t sw = { t, -1, tr[2 * t].acc, 0, 0, 0 };
		r->row[EXP_IDEAL].run[r->row[EXP_IDEAL].n++] = sw;
		sw.acc = tr[2 * t + 1].acc;
		r->row[EXP_IDEAL_NORM].run[r->row[EXP_IDEAL_NORM].n++] = sw;
	}
	static const unsigned slot_row[J_N] = { EXP_NAIVE, EXP_CAL,
						EXP_CAL_NORM, EXP_SW_FT,
						EXP_CIL };
	for (unsigned j = 0; j < nt * nc; j++)
		for (unsigned k = 0; k < J_N; k++) {
			exp_row_t *w = &r->row[slot_row[k]];
			w->run[w->n++] = cr[j].run[k];
		}
	for (unsigned i = 0; i < EXP_NROWS; i++)
		summarize(r, &r->row[i]);
	energy_summary(c, r);
	progress(fn, ctx, "done", 1.0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->seconds = (double)(t1.tv_sec - t0.tv_sec) +
		     1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
	rc = 0;
out:
	free(tr);
	free(cr);
	free(wt);
	if (rc)
		exp_report_free(r);
	return rc;
}

double exp_ops_per_classification(void)
{
	/* 96x96 + 96x96 + 96x90 multiply-accumulates, 2 operations each */
	return 2.0 * (96.0 * 96 + 96.0 * 96 + 96.0 * 90);
}

double exp_ops_per_array_compare(const macro_params_t *m)
{
	/* every cell of the array multiplies and accumulates (128 x 128) */
	return 2.0 * m->ncol * (m->ndata + m->comp.nrow);
}
