/* cmd_demo.c - `imcsim demo`: the whole story on the default system, and
 * `imcsim sweep`: accuracy against one parameter, with and without
 * calibration. */
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

static void print_report(const imcsim_config_t *c, const exp_report_t *r)
{
	printf("\nimcsim demo: MNIST 10x10, 5-bit, %zu train / %zu test "
	       "images, BNN 96-96-96-90\n",
	       r->n_train, r->n_test);
	printf("training seed %llu; chip seeds %llu..%llu; %u "
	       "chip-in-the-loop epochs\n\n",
	       (unsigned long long)c->train.seed,
	       (unsigned long long)c->sys.seed,
	       (unsigned long long)(c->sys.seed + c->chip_seeds - 1),
	       c->cil_epochs);
	printf("%-22s %9s %17s %11s  %s\n", "mode", "accuracy",
	       "min..max (seeds)", "pJ/class.", "");
	for (unsigned i = 0; i < r->nrows; i++) {
		const exp_row_t *w = &r->row[i];
		char range[32] = "-", energy[16] = "-";
		if (w->nseeds) {
			snprintf(range, sizeof(range), "%.2f..%.2f",
				 100 * w->acc_min, 100 * w->acc_max);
			snprintf(energy, sizeof(energy), "%.0f",
				 w->energy_pj_mean);
		}
		printf("%-22s %8.2f%% %17s %11s  %s\n", w->name,
		       100 * w->acc_mean, range, energy, w->what);
	}
	const exp_row_t *ideal = &r->row[3], *cil = &r->row[5];
	double pj = cil->energy_pj_mean;
	double tops_w = exp_ops_per_classification() / (pj * 1e-12) / 1e12;
	printf("\nchip-in-the-loop vs ideal software: %+.2f points "
	       "(paper: -%.1f on full MNIST)\n",
	       100 * (cil->acc_mean - ideal->acc_mean), PAPER_ACC_LOSS_PTS);
	printf("energy: %.0f pJ per classification (3 chips + buses), "
	       "%.0f TOPS/W at %.0f ops;\n"
	       "        papers: ~%.0f pJ per 10-way decision (boosted "
	       "classifier), >%.0f TOPS/W (BNN)\n",
	       pj, tops_w, exp_ops_per_classification(), PAPER_PJ_PER_DECISION,
	       PAPER_TOPS_PER_W);
	printf("took %.1f s\n", r->seconds);
}

static cJSON *row_json(const exp_row_t *w)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", w->name);
	cJSON_AddStringToObject(o, "description", w->what);
	cJSON_AddNumberToObject(o, "test_accuracy", w->acc_mean);
	if (!w->nseeds) {
		cJSON_AddItemToObject(o, "chip_seeds", cJSON_CreateArray());
		cJSON_AddNullToObject(o, "energy_pj_per_classification");
		return o;
	}
	cJSON_AddNumberToObject(o, "test_accuracy_min", w->acc_min);
	cJSON_AddNumberToObject(o, "test_accuracy_max", w->acc_max);
	cJSON_AddNumberToObject(o, "energy_pj_per_classification",
				w->energy_pj_mean);
	cJSON *seeds = cJSON_AddArrayToObject(o, "chip_seeds");
	cJSON *per = cJSON_AddArrayToObject(o, "per_seed");
	for (unsigned k = 0; k < w->nseeds; k++) {
		cJSON_AddItemToArray(seeds,
				     cJSON_CreateNumber((double)w->seed[k]));
		cJSON *s = cJSON_CreateObject();
		cJSON_AddNumberToObject(s, "chip_seed", (double)w->seed[k]);
		cJSON_AddNumberToObject(s, "test_accuracy", w->acc[k]);
		cJSON_AddNumberToObject(s, "energy_pj_per_classification",
					w->energy_pj[k]);
		cJSON_AddNumberToObject(s, "thresholds_clamped",
					w->saturated[k]);
		cJSON_AddItemToArray(per, s);
	}
	return o;
}

int cmd_demo(int argc, char **argv)
{
	cli_t cli;
	int rc =
		cli_parse(&cli, argc, argv, "[options]",
			  "Train the BNN, deploy it on the simulated chips and "
			  "report test accuracy and energy for each training "
			  "mode:\nideal software, naive deployment, + offset "
			  "calibration, + input normalization,\n"
			  "chip-in-the-loop (averaged over system.chip_seeds "
			  "chip seeds).",
			  NULL, 0);
	if (rc)
		return rc > 0 ? 0 : 2;
	char err[1024];
	cli_out_t out = { 0 };
	if (cli.json_path &&
	    cli_out_open(&out, cli.json_path, err, sizeof(err)))
		return cli_fail(&cli, "%s", err);
	exp_data_t d;
	exp_report_t r;
	if (exp_data_load(&cli.cfg, &d, err, sizeof(err))) {
		cli_out_abort(&out);
		return cli_fail(&cli, "%s", err);
	}
	rc = exp_run_ladder(&cli.cfg, &d, &r, cli_progress, &cli, err,
			    sizeof(err));
	exp_data_free(&d);
	if (rc) {
		cli_out_abort(&out);
		return cli_fail(&cli, "%s", err);
	}
	print_report(&cli.cfg, &r);
	if (!cli.json_path)
		return 0;
	cJSON *root = cli_json_new(&cli);
	cJSON_AddNumberToObject(root, "train_seed", (double)cli.cfg.train.seed);
	cJSON_AddNumberToObject(root, "train_images", (double)r.n_train);
	cJSON_AddNumberToObject(root, "test_images", (double)r.n_test);
	cJSON *modes = cJSON_AddArrayToObject(root, "modes");
	for (unsigned i = 0; i < r.nrows; i++)
		cJSON_AddItemToArray(modes, row_json(&r.row[i]));
	cJSON *paper = cJSON_AddObjectToObject(root, "papers");
	cJSON_AddNumberToObject(paper, "pj_per_10way_decision",
				PAPER_PJ_PER_DECISION);
	cJSON_AddNumberToObject(paper, "tops_per_w", PAPER_TOPS_PER_W);
	cJSON_AddNumberToObject(paper, "on_chip_loss_points",
				PAPER_ACC_LOSS_PTS);
	cJSON_AddNumberToObject(root, "ops_per_classification",
				exp_ops_per_classification());
	rc = cli_json_write(&cli, &out, root);
	cJSON_Delete(root);
	return rc;
}

/* ---- sweep --------------------------------------------------------------- */

int cmd_sweep(int argc, char **argv)
{
	const char *param = NULL, *values = NULL;
	cli_opt_t opts[] = {
		{ "param", true, "SECTION.KEY", "the parameter to sweep",
		  &param, NULL },
		{ "values", true, "V1,V2,...", "its values", &values, NULL },
	};
	cli_t cli;
	int rc = cli_parse(
		&cli, argc, argv, "--param SECTION.KEY --values V1,V2,...",
		"Train the BNN once in software, then for each value "
		"of a chip parameter\nreport its test accuracy on "
		"the chips without and with offset calibration\n"
		"(mean over system.chip_seeds chip seeds).",
		opts, 2);
	if (rc)
		return rc > 0 ? 0 : 2;
	if (!param || !values)
		return cli_fail(&cli, "--param and --values are required"), 2;
	char err[1024];
	double vals[64];
	char text[64][32];
	unsigned nv = 0;
	const char *p = values;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (nv == 64 || len == 0 || len >= sizeof(text[0]))
			return cli_fail(&cli, "--values: give 1..64 "
					      "comma-separated numbers"),
			       2;
		memcpy(text[nv], p, len);
		text[nv][len] = 0;
		/* validate each value now, on a scratch copy */
		imcsim_config_t probe = cli.cfg;
		char assign[160];
		if (snprintf(assign, sizeof(assign), "%s=%s", param,
			     text[nv]) >= (int)sizeof(assign))
			return cli_fail(&cli, "--param: name too long"), 2;
		if (param_set_assignment(config_table(), &probe, assign, err,
					 sizeof(err)) ||
		    config_finish(&probe, err, sizeof(err)))
			return cli_fail(&cli, "%s", err), 2;
		vals[nv] = strtod(text[nv], NULL);
		nv++;
		p += len + (e ? 1 : 0);
	}
	cli_out_t out = { 0 };
	if (cli.json_path &&
	    cli_out_open(&out, cli.json_path, err, sizeof(err)))
		return cli_fail(&cli, "%s", err);
	exp_data_t d;
	struct bnn_net net;
	if (exp_data_load(&cli.cfg, &d, err, sizeof(err)) ||
	    exp_train(&cli.cfg, &d, 0, &net, cli_progress, &cli, 0, 0.3, err,
		      sizeof(err))) {
		exp_data_free(&d);
		cli_out_abort(&out);
		return cli_fail(&cli, "%s", err);
	}
	struct bnn_evaluator ideal = bnn_ideal_evaluator();
	double acc_ideal = 0;
	if (bnn_accuracy(&net, &ideal, &d.test, &acc_ideal, err, sizeof(err))) {
		exp_data_free(&d);
		cli_out_abort(&out);
		return cli_fail(&cli, "%s", err);
	}
	cJSON *root = cli_json_new(&cli);
	cJSON_AddStringToObject(root, "sweep", param);
	cJSON_AddNumberToObject(root, "ideal_software_accuracy", acc_ideal);
	cJSON *pts = cJSON_AddArrayToObject(root, "points");
	printf("\nsweep of %s (ideal software accuracy %.2f%%)\n", param,
	       100 * acc_ideal);
	printf("%14s %12s %12s %10s\n", "value", "naive", "calibrated",
	       "pJ/class.");
	for (unsigned i = 0; i < nv; i++) {
		imcsim_config_t c = cli.cfg;
		char assign[160];
		if (snprintf(assign, sizeof(assign), "%s=%s", param, text[i]) <
		    (int)sizeof(assign))
			param_set_assignment(config_table(), &c, assign, err,
					     sizeof(err)); /* checked above */
		double acc[2] = { 0, 0 }, pj = 0;
		for (int cal = 0; cal < 2; cal++)
			for (unsigned k = 0; k < c.chip_seeds; k++) {
				double a, e;
				unsigned sat;
				if (exp_eval_chip(&c, &net, &d.test,
						  c.sys.seed + k, cal, &a, &e,
						  &sat, err, sizeof(err))) {
					cJSON_Delete(root);
					exp_data_free(&d);
					cli_out_abort(&out);
					return cli_fail(&cli, "%s", err);
				}
				acc[cal] += a / c.chip_seeds;
				pj += e / (2.0 * c.chip_seeds);
			}
		printf("%14s %11.2f%% %11.2f%% %10.0f\n", text[i], 100 * acc[0],
		       100 * acc[1], pj);
		cli_progress(&cli, "sweeping", 0.3 + 0.7 * (i + 1) / nv);
		cJSON *pt = cJSON_CreateObject();
		cJSON_AddNumberToObject(pt, "value", vals[i]);
		cJSON_AddNumberToObject(pt, "accuracy_naive", acc[0]);
		cJSON_AddNumberToObject(pt, "accuracy_calibrated", acc[1]);
		cJSON_AddNumberToObject(pt, "energy_pj_per_classification", pj);
		cJSON_AddItemToArray(pts, pt);
	}
	exp_data_free(&d);
	rc = 0;
	if (cli.json_path)
		rc = cli_json_write(&cli, &out, root);
	cJSON_Delete(root);
	return rc;
}
