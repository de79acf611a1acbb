/* cmd_chip.c - commands that run the simulated chips: `imcsim eval`,
 * `imcsim calibrate` and `imcsim trace`. */
#include "commands.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bnn/netfile.h"
#include "chip/comprow.h"
#include "experiment.h"
#include "system/sysnet.h"

/* ---- eval ---------------------------------------------------------------- */

static int eval_ca(const imcsim_config_t *c, const struct bnn_net *net,
		   const struct bnn_dataset *test, const struct bnn_dataset *op,
		   uint64_t seed, int calibrate, double *acc, double *pj,
		   double *cycles)
{
	sys_params_t p = c->sys;
	p.seed = seed;
	sys_result_t *res = calloc(test->n ? test->n : 1, sizeof(*res));
	if (!res)
		return imc_fail(-1, "out of memory");
	sys_t *s = sys_deploy_data(&p, SYS_CYCLE_ACCURATE, net, calibrate,
				   op->n, op->codes, NULL);
	if (!s) {
		free(res);
		return -1;
	}
	int rc = sys_infer_batch(s, test->n, test->codes, res);
	if (rc < 0) {
		imc_fail(-1, "%s", sys_error(s));
		free(res);
		sys_free(s);
		return -1;
	}
	size_t right = 0;
	double e = 0;
	for (size_t k = 0; k < test->n; k++) {
		right += res[k].pred == test->labels[k];
		e += res[k].energy_j;
	}
	*acc = (double)right / (double)(test->n ? test->n : 1);
	*pj = e / (double)(test->n ? test->n : 1) * 1e12;
	*cycles = (double)sys_stats(s)->infer_cycles /
		  (double)(test->n ? test->n : 1);
	free(res);
	sys_free(s);
	return 0;
}

int cmd_eval(int argc, char **argv)
{
	const char *net_path = NULL, *level = "tlm", *chip_seed = NULL;
	bool no_cal = false;
	cli_opt_t opts[] = {
		{ "net", true, "FILE", "the trained net (imcsim train --out)",
		  &net_path, NULL },
		{ "level", true, "tlm|ca",
		  "transaction level (default) or cycle "
		  "accurate",
		  &level, NULL },
		{ "no-calibration", false, NULL,
		  "deploy without offset "
		  "calibration",
		  NULL, &no_cal },
		{ "chip-seed", true, "S",
		  "one chip seed S alone (system.seed=S, system.chip_seeds=1; "
		  "what imcsim yield lists for a failing instance)",
		  &chip_seed, NULL },
	};
	cli_t cli;
	int rc = cli_parse(&cli, argc, argv, "--net FILE [options]",
			   "Classify the test split on the simulated chips "
			   "(system.chip_seeds seeds from system.seed) and "
			   "report accuracy and energy per classification.",
			   opts, sizeof(opts) / sizeof(opts[0]));
	if (rc)
		return rc > 0 ? 0 : 2;
	if (chip_seed) {
		uint64_t s;
		const char *why = param_parse_u64(chip_seed, &s);
		if (why)
			return cli_fail(&cli,
					"--chip-seed: '%s' is not a seed "
					"(%s)",
					chip_seed, why),
			       2;
		cli.cfg.sys.seed = s;
		cli.cfg.chip_seeds = 1;
	}
	if (!net_path)
		return cli_fail(&cli, "--net FILE is required (make one with "
				      "imcsim train --out FILE)"),
		       2;
	bool ca = !strcmp(level, "ca");
	if (!ca && strcmp(level, "tlm"))
		return cli_fail(&cli, "--level must be tlm or ca, not '%s'",
				level),
		       2;
	struct bnn_net net;
	if (cli_load_net(&cli, net_path, &net))
		return 1;
	cli_out_t out = { 0 };
	if (cli.json_path && cli_out_open(&out, cli.json_path))
		return cli_fail(&cli, "%s", imc_last_error());
	exp_data_t d;
	if (exp_data_load(&cli.cfg, &d, &cli.inputs)) {
		cli_out_abort(&out);
		return cli_fail(&cli, "%s", imc_last_error());
	}
	const struct bnn_dataset *test = exp_test_split(&d, &net);
	/* the chips calibrate where the net runs: at the operating points of
	 * the training split it was trained on */
	const struct bnn_dataset *op = exp_train_split(&d, &net);
	cJSON *root = cli_json_new(&cli);
	cJSON_AddStringToObject(root, "net", net_path);
	cJSON_AddStringToObject(root, "level", ca ? "cycle_accurate" : "tlm");
	cJSON_AddBoolToObject(root, "calibrated", !no_cal);
	cJSON *per = cJSON_AddArrayToObject(root, "per_seed");
	double sum = 0;
	printf("%10s %10s %10s%s\n", "chip seed", "accuracy", "pJ/class.",
	       ca ? "  cycles/image" : "");
	for (unsigned k = 0; k < cli.cfg.chip_seeds; k++) {
		uint64_t seed = cli.cfg.sys.seed + k;
		double acc, pj, cyc = 0;
		unsigned sat = 0;
		rc = ca ? eval_ca(&cli.cfg, &net, test, op, seed, !no_cal, &acc,
				  &pj, &cyc)
			: exp_eval_chip(&cli.cfg, &net, test, op, seed, !no_cal,
					&acc, &pj, &sat);
		if (rc) {
			cJSON_Delete(root);
			exp_data_free(&d);
			cli_out_abort(&out);
			return cli_fail(&cli, "%s", imc_last_error());
		}
		sum += acc;
		printf("%10llu %9.2f%% %10.0f", (unsigned long long)seed,
		       100 * acc, pj);
		if (ca)
			printf("  %12.1f", cyc);
		printf("\n");
		cJSON *o = cJSON_CreateObject();
		cli_json_add_u64(o, "chip_seed", seed);
		cJSON_AddNumberToObject(o, "test_accuracy", acc);
		cJSON_AddNumberToObject(o, "energy_pj_per_classification", pj);
		if (ca)
			cJSON_AddNumberToObject(o, "cycles_per_image", cyc);
		cJSON_AddItemToArray(per, o);
		cli_progress(&cli, "evaluating",
			     (k + 1.0) / cli.cfg.chip_seeds);
	}
	double mean = sum / cli.cfg.chip_seeds;
	printf("mean accuracy %.2f%% over %u chip seeds, %zu test images\n",
	       100 * mean, cli.cfg.chip_seeds, test->n);
	cJSON_AddNumberToObject(root, "test_accuracy", mean);
	cJSON_AddNumberToObject(root, "test_images", (double)test->n);
	exp_data_free(&d);
	rc = cli.json_path ? cli_json_write(&cli, &out, root) : 0;
	cJSON_Delete(root);
	return rc;
}

/* ---- calibrate ----------------------------------------------------------- */

static void stats(const double *v, unsigned n, double step, double *rms,
		  double *max_abs, double *within)
{
	double s = 0, m = 0;
	unsigned in = 0;
	for (unsigned i = 0; i < n; i++) {
		s += v[i] * v[i];
		m = fmax(m, fabs(v[i]));
		in += fabs(v[i]) <= step;
	}
	*rms = sqrt(s / n);
	*max_abs = m;
	*within = (double)in / n;
}

/* The system calibrated: at idle, or with net deployed at the operating
 * points of its training split (cycle accurate). NULL with the message in
 * imc_last_error(), or with *printed set when it was already printed. */
static sys_t *calibrated_system(cli_t *cli, const char *net_path, int *printed)
{
	int rc;
	*printed = 0;
	if (!net_path) {
		sys_t *s = sys_new(&cli->cfg.sys, SYS_CYCLE_ACCURATE, &rc);
		if (s && sys_calibrate(s) < 0) {
			imc_fail(-1, "%s", sys_error(s));
			sys_free(s);
			s = NULL;
		}
		return s;
	}
	struct bnn_net net;
	exp_data_t d;
	if (cli_load_net(cli, net_path, &net)) {
		*printed = 1;
		return NULL;
	}
	if (exp_data_load(&cli->cfg, &d, &cli->inputs))
		return NULL;
	const struct bnn_dataset *op = exp_train_split(&d, &net);
	sys_t *s = sys_deploy_data(&cli->cfg.sys, SYS_CYCLE_ACCURATE, &net, 1,
				   op->n, op->codes, NULL);
	exp_data_free(&d);
	return s;
}

/* The layer chip i serves, or -1 (an idle chip). */
static int layer_of(const sys_params_t *p, unsigned chip)
{
	for (unsigned l = 0; l < SYS_NLAYER; l++)
		if (p->layer_chip[l] == chip)
			return (int)l;
	return -1;
}

int cmd_calibrate(int argc, char **argv)
{
	const char *net_path = NULL;
	cli_opt_t opts[] = {
		{ "net", true, "FILE",
		  "deploy this net and calibrate each chip at its layer's "
		  "operating point (from the training split)",
		  &net_path, NULL },
	};
	cli_t cli;
	int rc =
		cli_parse(&cli, argc, argv, "[--net FILE] [options]",
			  "Calibrate every chip of the system (cycle accurate, "
			  "the C golden model of the\ncompensation FSM) and "
			  "report each column's effective offset before and "
			  "after,\nthe residual against one compensation step "
			  "and the cycles taken. With --net,\nthe chips "
			  "calibrate where the deployed layers run: per chip "
			  "the operating-point\ncode, the compensation step "
			  "there and the spread of the final counts (the\n"
			  "trim range is +-nrow/2 counts).",
			  opts, sizeof(opts) / sizeof(opts[0]));
	if (rc)
		return rc > 0 ? 0 : 2;
	cli_out_t out = { 0 };
	if (cli.json_path && cli_out_open(&out, cli.json_path))
		return cli_fail(&cli, "%s", imc_last_error());
	int printed;
	sys_t *s = calibrated_system(&cli, net_path, &printed);
	if (!s) {
		cli_out_abort(&out);
		return printed ? 1 : cli_fail(&cli, "%s", imc_last_error());
	}
	const macro_params_t *mp = &cli.cfg.sys.chip.macro;
	double step = macro_comp_step_v(sys_macro(s, 0));
	unsigned ncol = mp->ncol, at_limit = 0;
	cJSON *root = cli_json_new(&cli);
	cJSON_AddNumberToObject(root, "comp_step_v", step);
	cJSON *chips = cJSON_AddArrayToObject(root, "chips");
	char oprow[SYS_MAX_CHIPS][96];
	if (net_path)
		printf("each chip at its layer's operating point (offsets and "
		       "step there)\n");
	else
		printf("one compensation step = %.2f mV\n", 1e3 * step);
	printf("%4s %7s %22s %22s %10s\n", "chip", "cycles",
	       "before: rms/max (mV)", "after: rms/max (mV)", "<=1 step");
	for (unsigned i = 0; i < cli.cfg.sys.nchips; i++) {
		uint8_t n0[CALIB_MAX_COL], n1[CALIB_MAX_COL];
		double before[CALIB_MAX_COL], after[CALIB_MAX_COL];
		for (unsigned c = 0; c < ncol; c++) {
			n0[c] = (uint8_t)(mp->comp.nrow / 2);
			n1[c] = (uint8_t)sys_comp_count(s, i, c);
		}
		macro_t *m = sys_macro(s, i);
		macro_offset_counts_v(m, n0, before);
		macro_offset_counts_v(m, n1, after);
		double rb, mb, wb, ra, ma, wa, op_step = macro_comp_step_v(m);
		stats(before, ncol, op_step, &rb, &mb, &wb);
		stats(after, ncol, op_step, &ra, &ma, &wa);
		uint64_t cyc = sys_stats(s)->calib_cycles[i];
		printf("%4u %7llu %10.2f / %-9.2f %10.2f / %-9.2f %9.1f%%\n", i,
		       (unsigned long long)cyc, 1e3 * rb, 1e3 * mb, 1e3 * ra,
		       1e3 * ma, 100 * wa);
		double sum = 0, sum2 = 0;
		for (unsigned c = 0; c < ncol; c++) {
			sum += n1[c];
			sum2 += (double)n1[c] * n1[c];
		}
		double mean = sum / ncol,
		       sd = sqrt(fmax(0, sum2 / ncol - mean * mean));
		if (net_path)
			snprintf(oprow[i], sizeof(oprow[i]),
				 "%4u %6d %8u %10.2f %8.1f %6.1f", i,
				 layer_of(&cli.cfg.sys, i), m->cal_pre,
				 1e3 * op_step, mean, sd);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "chip", i);
		cJSON_AddNumberToObject(o, "layer", layer_of(&cli.cfg.sys, i));
		cJSON_AddNumberToObject(o, "cal_point_code", m->cal_pre);
		cJSON_AddNumberToObject(o, "comp_step_at_cal_point_v", op_step);
		cJSON_AddNumberToObject(o, "count_mean", mean);
		cJSON_AddNumberToObject(o, "count_sd", sd);
		cJSON_AddNumberToObject(o, "cycles", (double)cyc);
		cJSON_AddNumberToObject(o, "fraction_within_one_step", wa);
		/* a search ends on a count in 1..nrow: a column at either
		 * end may have an offset past what the rows cancel */
		unsigned lim = 0;
		for (unsigned c = 0; c < ncol; c++)
			lim += n1[c] <= 1 || n1[c] >= mp->comp.nrow;
		at_limit += lim;
		if (net_path)
			snprintf(oprow[i] + strlen(oprow[i]),
				 sizeof(oprow[i]) - strlen(oprow[i]), " %6u/%u",
				 lim, ncol);
		cJSON_AddNumberToObject(o, "columns_at_limit", lim);
		cJSON *cols = cJSON_AddArrayToObject(o, "columns");
		for (unsigned c = 0; c < ncol; c++) {
			cJSON *col = cJSON_CreateObject();
			cJSON_AddNumberToObject(col, "count", n1[c]);
			cJSON_AddBoolToObject(col, "at_limit",
					      n1[c] <= 1 ||
						      n1[c] >= mp->comp.nrow);
			cJSON_AddNumberToObject(col, "offset_before_v",
						before[c]);
			cJSON_AddNumberToObject(col, "offset_after_v",
						after[c]);
			cJSON_AddItemToArray(cols, col);
		}
		cJSON_AddItemToArray(chips, o);
	}
	sys_free(s);
	if (net_path) {
		printf("\n%4s %6s %8s %10s %8s %6s %8s\n", "chip", "layer",
		       "op code", "step (mV)", "count", "sd", "at limit");
		for (unsigned i = 0; i < cli.cfg.sys.nchips; i++)
			printf("%s\n", oprow[i]);
	}
	cJSON_AddNumberToObject(root, "columns_at_limit", at_limit);
	if (at_limit)
		fprintf(stderr,
			"imcsim calibrate: warning: %u of %u columns ended at "
			"the compensation limit (count 1 or %u): their offset "
			"may be larger than the compensation row can cancel\n",
			at_limit, ncol * cli.cfg.sys.nchips, mp->comp.nrow);
	rc = cli.json_path ? cli_json_write(&cli, &out, root) : 0;
	cJSON_Delete(root);
	return rc;
}

/* ---- trace --------------------------------------------------------------- */

int cmd_trace(int argc, char **argv)
{
	const char *net_path = NULL, *vcd = "system.vcd", *image = "0";
	cli_opt_t opts[] = {
		{ "net", true, "FILE",
		  "the net (default: train one for 3 epochs)", &net_path,
		  NULL },
		{ "vcd", true, "FILE",
		  "waveform (default system.vcd in the current directory); "
		  "its GTKWave save file goes beside it (.gtkw)",
		  &vcd, NULL },
		{ "image", true, "K", "test image index (default 0)", &image,
		  NULL },
	};
	cli_t cli;
	int rc = cli_parse(&cli, argc, argv,
			   "[--net FILE] [--vcd FILE] "
			   "[--image K] [options]",
			   "Run one inference through the whole cycle-accurate "
			   "system (load, calibration, buses, three chips, "
			   "readout) and write every signal to a VCD, with a "
			   "GTKWave save file beside it that opens on the "
			   "inference: gtkwave system.gtkw",
			   opts, 3);
	if (rc)
		return rc > 0 ? 0 : 2;
	uint64_t k64;
	const char *why = param_parse_u64(image, &k64);
	if (why || k64 > ULONG_MAX)
		return cli_fail(&cli, "--image: '%s' is not an index (%s)",
				image, why ? why : "is too large"),
		       2;
	unsigned long k = (unsigned long)k64;
	struct bnn_net net;
	if (net_path && cli_load_net(&cli, net_path, &net))
		return 1;
	cli_out_t out = { 0 }, json = { 0 };
	/* The system traces VCD only (through a temporary, so the format
	 * cannot follow the final name): refuse any other name rather than
	 * write VCD text into, say, an .fst file. */
	size_t vl = strlen(vcd);
	if (strcmp(vcd, "-") && (vl < 4 || strcasecmp(vcd + vl - 4, ".vcd")))
		return cli_fail(&cli,
				"--vcd %s: the system trace is VCD; the "
				"name must end in .vcd",
				vcd),
		       2;
	/* the GTKWave save file goes beside the dump: vcd with .gtkw */
	char *gtkw = sim_gtkw_path_for(vcd);
	bool same = gtkw && !strcmp(gtkw, vcd);
	free(gtkw);
	if (!gtkw || same)
		return cli_fail(&cli, "--vcd %s: %s", vcd,
				gtkw ? "the waveform cannot be a .gtkw"
				     : "out of memory"),
		       2;
	if (cli_out_open_opt(&out, vcd, "--vcd"))
		return cli_fail(&cli, "%s", imc_last_error());
	if (cli.json_path && cli_out_open(&json, cli.json_path)) {
		cli_out_abort(&out);
		return cli_fail(&cli, "%s", imc_last_error());
	}
	exp_data_t d;
	if (exp_data_load(&cli.cfg, &d, &cli.inputs)) {
		cli_out_abort(&out);
		cli_out_abort(&json);
		return cli_fail(&cli, "%s", imc_last_error());
	}
	const struct bnn_dataset *test =
		(net_path ? net.pre.norm_target : 0) ? &d.test_norm : &d.test;
	if (k >= test->n) {
		size_t n = test->n;
		exp_data_free(&d);
		cli_out_abort(&out);
		cli_out_abort(&json);
		return cli_fail(&cli,
				"--image %lu: the test split has %zu "
				"images",
				k, n),
		       2;
	}
	imcsim_config_t quick = cli.cfg;
	quick.train.epochs = 3;
	if (!net_path &&
	    exp_train(&quick, &d, 0, &net, cli_progress, &cli, 0, 0.5)) {
		exp_data_free(&d);
		cli_out_abort(&out);
		cli_out_abort(&json);
		return cli_fail(&cli, "%s", imc_last_error());
	}
	sys_result_t res;
	unsigned label = test->labels[k];
	/* deployed as eval deploys it: calibrated at the operating points of
	 * the training split of the net's preprocessing */
	const struct bnn_dataset *op =
		(net_path ? net.pre.norm_target : 0) ? &d.train_norm : &d.train;
	rc = 0;
	gtkw = sim_gtkw_path_for(vcd);
	sim_gtkw_t *g = sim_gtkw_new("imcsim trace: one inference of the "
				     "four-chip system");
	if (!rc && (!gtkw || !g)) {
		imc_fail(-1, "out of memory");
		rc = -1;
	}
	if (!rc)
		rc = sys_trace_deployed(&cli.cfg.sys, &net, op->n, op->codes,
					test->codes + k * BNN_N_INPUTS,
					cli.cfg.analog_cols, out.tmp, g, &res);
	exp_data_free(&d);
	if (rc || cli_out_commit_file(&out)) {
		cli_out_abort_err(&out);
		cli_out_abort(&json);
		free(gtkw);
		sim_gtkw_free(g);
		return cli_fail(&cli, "%s", imc_last_error());
	}
	/* the save file names the dump by its final name, beside it */
	rc = sim_gtkw_write(g, gtkw, vcd);
	sim_gtkw_free(g);
	if (rc) {
		free(gtkw);
		cli_out_abort(&json);
		return cli_fail(&cli, "%s", imc_last_error());
	}
	printf("image %lu (label %u): predicted %u, scores", k, label,
	       res.pred);
	for (unsigned c = 0; c < 10; c++)
		printf(" %u", res.score[c]);
	printf("\n%llu cycles (%.2f us at %.0f MHz), %.0f pJ\nwrote %s and "
	       "%s; view with: gtkwave %s\n",
	       (unsigned long long)res.cycles,
	       res.cycles * cli.cfg.sys.chip.period_ps * 1e-6,
	       1e6 / cli.cfg.sys.chip.period_ps, res.energy_j * 1e12, vcd, gtkw,
	       gtkw);
	if (!cli.json_path) {
		free(gtkw);
		return 0;
	}
	cJSON *root = cli_json_new(&cli);
	cJSON_AddStringToObject(root, "vcd", vcd);
	cJSON_AddStringToObject(root, "gtkw", gtkw);
	free(gtkw);
	cJSON_AddNumberToObject(root, "image", (double)k);
	cJSON_AddNumberToObject(root, "label", label);
	cJSON_AddNumberToObject(root, "predicted", res.pred);
	cJSON_AddNumberToObject(root, "cycles", (double)res.cycles);
	cJSON_AddNumberToObject(root, "energy_pj", res.energy_j * 1e12);
	rc = cli_json_write(&cli, &json, root);
	cJSON_Delete(root);
	return rc;
}
