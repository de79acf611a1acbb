/* cmd_yield.c - `imcsim yield`: the accuracy distribution and the yield at
 * a spec over N manufactured chip instances (population.h), on one process
 * or on the processes of an MPI run (dist.h). */
#include "commands.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "netcache.h"
#include "poprun.h"

/* What every instance job needs (read-only while the jobs run). */
typedef struct yield_ctx {
	const imcsim_config_t *c;
	const exp_data_t *d;
	const struct bnn_net *net;
	int cil;
} yield_ctx_t;

static int instance_job(void *ctx, unsigned job, void *result)
{
	const yield_ctx_t *y = ctx;
	return pop_instance(y->c, y->d, y->net, y->c->sys.seed + job, y->cil, 0,
			    result);
}

/* A number option: lo <= v <= hi. */
static int parse_num(const char *s, double lo, double hi, double *v)
{
	char *end;
	*v = strtod(s, &end);
	return !*s || *end || !(*v >= lo && *v <= hi) ? -1 : 0;
}

/* The histogram with the spec line: a gnuplot script into buf. */
static char *hist_script(const pop_inst_t *v, unsigned n,
			 const pop_summary_t *s, double width, int cil)
{
	static unsigned count[POP_MAX_BINS];
	double lo, w;
	unsigned nb;
	pop_histogram(v, n, width, &lo, &w, &nb, count);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	unsigned top = 1;
	fprintf(f, "$H << EOD\n");
	for (unsigned b = 0; b < nb; b++) {
		fprintf(f, "%.6f %u\n", lo + (b + 0.5) * w, count[b]);
		top = count[b] > top ? count[b] : top;
	}
	fprintf(f, "EOD\n");
	double x0 = lo - w, x1 = lo + (nb + 1) * w;
	if (s->has_spec) {
		x0 = fmin(x0, s->spec_pct - w);
		x1 = fmax(x1, s->spec_pct + w);
	}
	fprintf(f,
		"set title \"Test accuracy of %u chip instances (%s)\\n"
		"{/*0.85 mean %.2f %%, sd %.2f, min %.2f, max %.2f",
		n, cil ? "calibrated, chip-in-the-loop" : "calibrated",
		s->acc.mean, n > 1 ? s->acc.sd : 0.0, s->acc.min, s->acc.max);
	if (s->has_spec)
		fprintf(f, "; yield at %g %%: %.1f %% (95%% CI %.1f..%.1f)",
			s->spec_pct, 100 * s->yield, 100 * s->yield_lo,
			100 * s->yield_hi);
	fprintf(f,
		"}\" font ',13'\n"
		"set xlabel 'test accuracy  [%%]'\nset ylabel 'chip "
		"instances'\nset xrange [%g:%g]\nset yrange [0:%g]\n"
		"set style fill solid 0.8 border rgb 'black'\n"
		"set boxwidth %g\nset key top left box opaque\n"
		"set ytics %u\n",
		x0, x1, 1.15 * top, 0.95 * w, top <= 10 ? 1 : (top + 9) / 10);
	if (s->has_spec)
		fprintf(f,
			"set arrow from %g, graph 0 to %g, graph 1 nohead "
			"lw 2 dt 2 lc rgb '#d62728'\n",
			s->spec_pct, s->spec_pct);
	fprintf(f,
		"plot $H u 1:2 w boxes lc rgb '#1f77b4' t 'instances per "
		"%g-point bin'%s\n",
		w,
		s->has_spec ? ", NaN w l lw 2 dt 2 lc rgb '#d62728' "
			      "t 'spec'"
			    : "");
	fclose(f);
	return buf;
}

static void print_summary(const cli_t *cli, const poprun_t *p,
			  const pop_summary_t *s, const char *net_path, int cil,
			  unsigned ntest)
{
	const imcsim_config_t *c = &cli->cfg;
	uint64_t s0 = c->sys.seed;
	printf("yield of %u chip instances (chip seeds %llu..%llu), net %s, "
	       "calibrated%s; %u test images\n",
	       s->n, (unsigned long long)s0,
	       (unsigned long long)(s0 + s->n - 1),
	       net_path ? net_path : "trained from train.*",
	       cil ? ", chip-in-the-loop" : "", ntest);
	if (p->resumed)
		printf("resumed %u of %u instances from the results file\n",
		       p->resumed, s->n);
	printf("accuracy %%: mean %.2f", s->acc.mean);
	if (s->n > 1)
		printf(" +- %.2f (95%% CI of the mean), sd %.2f", s->acc.ci95,
		       s->acc.sd);
	printf("\n  min %.2f  p5 %.2f  p25 %.2f  median %.2f  p75 %.2f  p95 "
	       "%.2f  max %.2f\n",
	       s->acc.min, s->p[0], s->p[2], s->p[3], s->p[4], s->p[6],
	       s->acc.max);
	if (cil)
		printf("  before chip-in-the-loop: mean %.2f\n",
		       s->acc_cal.mean);
	if (s->has_spec)
		printf("yield at >= %g%%: %u of %u = %.1f%% (95%% CI "
		       "%.1f..%.1f%%, Clopper-Pearson)\n",
		       s->spec_pct, s->pass, s->n, 100 * s->yield,
		       100 * s->yield_lo, 100 * s->yield_hi);
	printf("energy per classification: %.0f pJ (chips + buses), %.0f pJ "
	       "chips\n",
	       s->e_sys_pj, s->e_chip_pj);
	unsigned done = p->completed;
	if (done && p->seconds > 0)
		printf("took %.1f s on %u process%s (%s): %.1f chip instances "
		       "per minute, %.1f per minute per process\n",
		       p->seconds, dist_size(), dist_size() == 1 ? "" : "es",
		       dist_engine(), 60.0 * done / p->seconds,
		       60.0 * done / p->seconds / dist_size());
}

static cJSON *yield_json(const cli_t *cli, const poprun_t *p,
			 const pop_summary_t *s, const char *net_path, int cil,
			 unsigned ntest, double width)
{
	const imcsim_config_t *c = &cli->cfg;
	cJSON *root = cli_json_new(cli);
	if (net_path)
		cJSON_AddStringToObject(root, "net", net_path);
	else
		cJSON_AddNullToObject(root, "net");
	cli_json_add_u64(root, "first_chip_seed", c->sys.seed);
	cJSON_AddBoolToObject(root, "calibrated", 1);
	cJSON_AddBoolToObject(root, "chip_in_the_loop", cil);
	cJSON_AddNumberToObject(root, "test_images", ntest);
	pop_summary_json(root, s, cil, 0);
	static unsigned count[POP_MAX_BINS];
	double lo, w;
	unsigned nb;
	pop_histogram(p->res, s->n, width, &lo, &w, &nb, count);
	cJSON *h = cJSON_AddObjectToObject(root, "histogram");
	cJSON_AddNumberToObject(h, "bin_width_pct", w);
	cJSON *bins = cJSON_AddArrayToObject(h, "bins");
	for (unsigned b = 0; b < nb; b++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "from_pct", lo + b * w);
		cJSON_AddNumberToObject(o, "to_pct", lo + (b + 1) * w);
		cJSON_AddNumberToObject(o, "count", count[b]);
		cJSON_AddItemToArray(bins, o);
	}
	cJSON *fail = cJSON_AddArrayToObject(root, "failing");
	cJSON *all = cJSON_AddArrayToObject(root, "instances");
	for (unsigned k = 0; k < s->n; k++) {
		const pop_inst_t *x = &p->res[k];
		cJSON *o = cJSON_CreateObject();
		cli_json_add_u64(o, "chip_seed", x->seed);
		cJSON_AddNumberToObject(o, "accuracy_pct", pop_acc_pct(x));
		if (cil)
			cJSON_AddNumberToObject(o, "accuracy_calibrated_pct",
						100.0 * x->right_cal /
							x->n_test);
		cJSON_AddNumberToObject(o, "system_pj", x->e_sys_pj);
		cJSON_AddNumberToObject(o, "thresholds_clamped", x->clamped);
		cJSON_AddItemToArray(all, o);
		if (!s->has_spec || pop_passes(x, s->spec_pct))
			continue;
		cJSON *f = cJSON_CreateObject();
		cli_json_add_u64(f, "chip_seed", x->seed);
		cJSON_AddNumberToObject(f, "accuracy_pct", pop_acc_pct(x));
		char cmd[PATH_MAX + 128];
		if (cil || !net_path)
			snprintf(cmd, sizeof(cmd),
				 "imcsim yield --chips 1 --set system.seed="
				 "%llu%s%s%s",
				 (unsigned long long)x->seed,
				 net_path ? " --net " : "",
				 net_path ? net_path : "", cil ? " --cil" : "");
		else
			snprintf(cmd, sizeof(cmd),
				 "imcsim eval --net %s --chip-seed %llu",
				 net_path, (unsigned long long)x->seed);
		cJSON_AddStringToObject(f, "rerun", cmd);
		cJSON_AddItemToArray(fail, f);
	}
	return root;
}

/* Rank 0 after the jobs: check, summarize, report, write. */
static int report(cli_t *cli, poprun_t *p, const char *net_path, int cil,
		  double spec, double width, unsigned ntest, cli_out_t *json,
		  cli_out_t *fig)
{
	for (unsigned k = 0; k < p->njobs; k++)
		if (p->res[k].seed != cli->cfg.sys.seed + k ||
		    p->res[k].n_test != ntest)
			return cli_fail(
				cli,
				"--resume: instance %u of the results "
				"file is not chip seed %llu on %u "
				"test images (a different run?)",
				k, (unsigned long long)(cli->cfg.sys.seed + k),
				ntest);
	pop_summary_t s;
	pop_summarize(p->res, p->njobs, spec, &s);
	print_summary(cli, p, &s, net_path, cil, ntest);
	if (fig->id) {
		char *script = hist_script(p->res, p->njobs, &s, width, cil);
		if (!script)
			return cli_fail(cli, "out of memory");
		int rc = figure_render(script, fig->tmp, 900, 600) ||
			 cli_out_commit_file(fig);
		free(script);
		if (rc) {
			cli_out_abort_err(fig);
			return cli_fail(cli, "%s", imc_last_error());
		}
	}
	if (!json->id)
		return 0;
	cJSON *root = yield_json(cli, p, &s, net_path, cil, ntest, width);
	int rc = cli_json_write(cli, json, root);
	cJSON_Delete(root);
	return rc;
}

int cmd_yield(int argc, char **argv)
{
	const char *net_path = NULL, *chips_arg = "100", *spec_arg = NULL,
		   *resume = NULL, *figure = NULL, *width_arg = "0.5";
	bool cil = false;
	cli_opt_t opts[] = {
		{ "net", true, "FILE",
		  "the net to deploy (default: train one from train.*)",
		  &net_path, NULL },
		{ "chips", true, "N",
		  "chip instances, seeds system.seed.. (default 100)",
		  &chips_arg, NULL },
		{ "spec", true, "PCT",
		  "an instance passes at >= PCT % test accuracy", &spec_arg,
		  NULL },
		{ "cil", false, NULL,
		  "fine-tune chip-in-the-loop on each instance "
		  "(train.cil_epochs)",
		  NULL, &cil },
		{ "resume", true, "FILE",
		  "keep completed instances in FILE; a re-run skips them",
		  &resume, NULL },
		{ "figure", true, "FILE",
		  "draw the histogram with the spec line (PNG, gnuplot)",
		  &figure, NULL },
		{ "bin-width", true, "PTS",
		  "histogram bin width in accuracy points (default 0.5)",
		  &width_arg, NULL },
	};
	cli_t cli;
	int rc = cli_parse(
		&cli, argc, argv, "[--chips N] [--spec PCT] [options]",
		"Manufacture N chip instances of the configured system (chip "
		"seeds system.seed,\n+1, ...), deploy the net on each, "
		"calibrate, optionally fine-tune chip-in-the-\nloop, classify "
		"the test split, and report the accuracy distribution, the "
		"yield\nat --spec with its 95% confidence interval, energy per "
		"classification and the\nfailing instances. Under mpirun -n K "
		"the instances are spread over K processes;\nthe results do "
		"not depend on K.",
		opts, sizeof(opts) / sizeof(opts[0]));
	if (rc)
		return rc > 0 ? 0 : 2;
	double chips_d, spec = (double)NAN, width;
	if (parse_num(chips_arg, 1, 1e6, &chips_d) || chips_d != floor(chips_d))
		return cli_fail(&cli,
				"--chips: '%s' is not a number of chip "
				"instances in 1..1000000",
				chips_arg),
		       2;
	if (spec_arg && parse_num(spec_arg, 0, 100, &spec))
		return cli_fail(&cli,
				"--spec: '%s' is not a percentage in "
				"0..100",
				spec_arg),
		       2;
	if (parse_num(width_arg, 1e-3, 100, &width))
		return cli_fail(&cli,
				"--bin-width: '%s' is not a width in "
				"0.001..100 points",
				width_arg),
		       2;
	if (figure && !figure_available())
		return cli_fail(&cli, "gnuplot not found in PATH (install it, "
				      "e.g. apt-get install gnuplot-nox)");
	unsigned n = (unsigned)chips_d;
	struct bnn_net net;
	memset(&net, 0, sizeof(net));
	if (net_path && cli_load_net(&cli, net_path, &net))
		return 1;
	/* rank 0's outputs, the results file first */
	poprun_t p;
	cli_out_t json = { 0 }, fig = { 0 };
	uint64_t fp = poprun_fingerprint("yield", &cli.cfg, net_path,
					 cil ? "cil" : "");
	int setup = poprun_open(&p, &cli, n, resume, fp, &json, &fig, figure);
	if (setup)
		cli_fail(&cli, "%s", imc_last_error());
	exp_data_t d;
	memset(&d, 0, sizeof(d));
	/* the default net: rank 0 trains it or takes it from the cache
	 * (netcache.h), the others wait for it */
	if (!setup && (exp_data_load(&cli.cfg, &d, &cli.inputs) ||
		       (!net_path && dist_rank() == 0 &&
			exp_train_cached(&cli.cfg, &d, 0, &net, NULL,
					 cli_progress, &cli, 0, 1)))) {
		setup = -1;
		cli_fail(&cli, "%s", imc_last_error());
	}
	yield_ctx_t y = { &cli.cfg, &d, &net, cil };
	if (!dist_agree(!setup)) {
		rc = 1;
	} else {
		if (!net_path)
			dist_bcast(&net, sizeof(net));
		rc = poprun_go(&p, 1, instance_job, &y);
	}
	const struct bnn_dataset *test = exp_test_split(&d, &net);
	unsigned ntest = setup ? 0 : (unsigned)test->n;
	exp_data_free(&d);
	if (rc < 0)
		cli_fail(&cli, "%s", imc_last_error());
	if (!rc && dist_rank() == 0)
		rc = report(&cli, &p, net_path, cil, spec, width, ntest, &json,
			    &fig);
	poprun_free(&p);
	return rc ? 1 : 0;
}
