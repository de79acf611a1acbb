/* cmd_sweep.c - `imcsim sweep`: a grid of design points (the Cartesian
 * product of several --param/--values), each over N chip instances
 * (population.h): mean accuracy without and with calibration, its 95%
 * interval and the yield at --spec per point, on one process or the
 * processes of an MPI run (dist.h). Job j is point j / N, chip j % N. */
#include "commands.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "netcache.h"
#include "poprun.h"

#define SWEEP_MAX_VALUES 64
#define SWEEP_MAX_POINTS 4096

typedef struct axis {
	const char *name;
	unsigned n;
	char text[SWEEP_MAX_VALUES][32];
	double val[SWEEP_MAX_VALUES];
} axis_t;

typedef struct grid {
	unsigned nax, npts, chips;
	axis_t ax[CLI_MAX_REPEAT];
	imcsim_config_t *cfg; /* per point */
	bool *retrain;	      /* per point: training sees the change */
	unsigned nre;	      /* points that retrain */
	unsigned *slot;	      /* per point: its net among nets[] */
	unsigned *slot_pt;    /* per slot: the point */
	struct bnn_net *nets; /* nre nets (train_points) */
	const struct bnn_net *base;
	const exp_data_t *d;
	cli_t *cli;
	unsigned ntrain, ntrained; /* progress of the training phase */
} grid_t;

/* The value index of axis a at point pt (the first axis varies slowest). */
static unsigned coord(const grid_t *g, unsigned pt, unsigned a)
{
	for (unsigned b = g->nax; b-- > a + 1;)
		pt /= g->ax[b].n;
	return pt % g->ax[a].n;
}

/* c with the assignments of point pt; 0 or -1 (message in imc_last_error()). */
static int point_config(const grid_t *g, const imcsim_config_t *base,
			unsigned pt, imcsim_config_t *c)
{
	*c = *base;
	for (unsigned a = 0; a < g->nax; a++) {
		char assign[192];
		if (snprintf(assign, sizeof(assign), "%s=%s", g->ax[a].name,
			     g->ax[a].text[coord(g, pt, a)]) >=
		    (int)sizeof(assign))
			return imc_fail(-1, "--param %s: name too long",
					g->ax[a].name);
		if (param_set_assignment(config_table(), c, assign))
			return -1;
	}
	return config_finish(c);
}

/* One axis from --param NAME --values V1,V2,...; each value checked on a
 * scratch configuration. */
static int parse_axis(axis_t *ax, const char *name, const char *values,
		      const imcsim_config_t *base)
{
	ax->name = name;
	ax->n = 0;
	if (!strncmp(name, "data.", 5))
		return imc_fail(
			-1,
			"--param %s: sweep cannot vary the data set (run "
			"one job per value)",
			name);
	for (const char *p = values; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (ax->n == SWEEP_MAX_VALUES || len == 0 ||
		    len >= sizeof(ax->text[0]))
			return imc_fail(-1,
					"--values: give 1..%d comma-separated "
					"numbers",
					SWEEP_MAX_VALUES);
		memcpy(ax->text[ax->n], p, len);
		ax->text[ax->n][len] = 0;
		imcsim_config_t probe = *base;
		char assign[192];
		if (snprintf(assign, sizeof(assign), "%s=%s", name,
			     ax->text[ax->n]) >= (int)sizeof(assign))
			return imc_fail(-1, "--param: name too long");
		if (param_set_assignment(config_table(), &probe, assign) ||
		    config_finish(&probe))
			return -1;
		ax->val[ax->n] = strtod(ax->text[ax->n], NULL);
		ax->n++;
		p += len + (e ? 1 : 0);
	}
	if (!ax->n)
		return imc_fail(-1, "--values for %s: empty", name);
	return 0;
}

/* The net of point pt: the base, or the one trained for it. */
static const struct bnn_net *point_net(const grid_t *g, unsigned pt)
{
	return g->retrain[pt] ? &g->nets[g->slot[pt]] : g->base;
}

static int sweep_job(void *ctx, unsigned job, void *result)
{
	const grid_t *g = ctx;
	unsigned pt = job / g->chips, k = job % g->chips;
	return pop_instance(&g->cfg[pt], g->d, point_net(g, pt),
			    g->cfg[pt].sys.seed + k, 0, 1, result);
}

/* Training job: the net of retraining point slot_pt[slot]. */
static int train_job(void *ctx, unsigned slot, void *result)
{
	const grid_t *g = ctx;
	return exp_train_cached(&g->cfg[g->slot_pt[slot]], g->d, 0, result,
				NULL, NULL, NULL, 0, 1);
}

static int trained(void *ctx, unsigned slot, const void *result)
{
	(void)slot;
	(void)result;
	grid_t *g = ctx;
	g->ntrained++;
	cli_progress(g->cli, "retraining the points that change training",
		     (double)g->ntrained / g->ntrain);
	return 0;
}

/* The nets of the retraining points that still have instances to run:
 * one job per point over the ranks, then broadcast to every rank. 0, or
 * -1 (imc_last_error()). */
static int train_points(grid_t *g, const poprun_t *run)
{
	unsigned *todo = calloc(g->nre ? g->nre : 1, sizeof(unsigned));
	if (!todo)
		return imc_fail(-1, "out of memory");
	unsigned n = 0;
	for (unsigned k = 0; dist_rank() == 0 && k < g->nre; k++) {
		unsigned pt = g->slot_pt[k], left = 0;
		for (unsigned c = 0; c < g->chips; c++)
			left += !run->have[pt * g->chips + c];
		if (left)
			todo[n++] = k;
	}
	g->ntrain = n;
	int rc = dist_run(g->nre, todo, n, train_job, g, g->nets,
			  sizeof(*g->nets), trained, g);
	free(todo);
	if (!rc)
		dist_bcast(g->nets, g->nre * sizeof(*g->nets));
	return rc;
}

static void grid_free(grid_t *g)
{
	free(g->nets);
	free(g->slot);
	free(g->slot_pt);
	free(g->cfg);
	free(g->retrain);
}

/* ---- the figure ---------------------------------------------------------- */

/* One parameter: accuracy lines (calibrated with its interval, naive),
 * yield on the right axis when there is a spec. */
static void fig_lines(FILE *f, const grid_t *g, const pop_summary_t *s)
{
	fprintf(f, "$S << EOD\n");
	for (unsigned p = 0; p < g->npts; p++)
		fprintf(f, "%.10g %.4f %.4f %.4f %.4f\n", g->ax[0].val[p],
			s[p].acc_cal.mean,
			isnan(s[p].acc_cal.ci95) ? 0.0 : s[p].acc_cal.ci95,
			s[p].acc_naive.mean, 100 * s[p].yield);
	fprintf(f,
		"EOD\nset title \"Test accuracy against the parameter\\n"
		"{/*0.85 mean and 95%% interval over %u chip instances per "
		"point}\" font ',13'\nset xlabel '%s' noenhanced\nset ylabel 'test accuracy  [%%]'\n"
		"set key bottom left box opaque\nset offsets graph 0.05, "
		"graph 0.05, graph 0.08, graph 0.05\n",
		g->chips, g->ax[0].name);
	int spec = s[0].has_spec;
	if (spec)
		fprintf(f,
			"set y2label 'yield at >= %g %%  [%%]'\nset y2range "
			"[0:105]\nset y2tics\nset ytics nomirror\n",
			s[0].spec_pct);
	fprintf(f,
		"plot $S u 1:2:3 w yerrorlines lw 2 pt 7 lc rgb '#2ca02c' t "
		"'calibrated', $S u 1:4 w lp lw 2 pt 5 lc rgb '#d62728' t "
		"'without calibration'%s\n",
		spec ? ", $S u 1:5 axes x1y2 w lp lw 2 dt 2 pt 9 lc rgb "
		       "'#1f77b4' t 'yield (right axis)'"
		     : "");
}

/* Two parameters: a heat map of the yield (with a spec) or the mean
 * calibrated accuracy, one cell per point, labelled. */
static void fig_heat(FILE *f, const grid_t *g, const pop_summary_t *s)
{
	int spec = s[0].has_spec;
	fprintf(f, "$M << EOD\n");
	for (unsigned p = 0; p < g->npts; p++)
		fprintf(f, "%u %u %.4f\n", coord(g, p, 0), coord(g, p, 1),
			spec ? 100 * s[p].yield : s[p].acc_cal.mean);
	fprintf(f, "EOD\nset xtics (");
	for (unsigned i = 0; i < g->ax[0].n; i++)
		fprintf(f, "%s'%s' %u", i ? ", " : "", g->ax[0].text[i], i);
	fprintf(f, ")\nset ytics (");
	for (unsigned i = 0; i < g->ax[1].n; i++)
		fprintf(f, "%s'%s' %u", i ? ", " : "", g->ax[1].text[i], i);
	fprintf(f,
		")\nset xrange [-0.5:%u.5]\nset yrange [-0.5:%u.5]\n"
		"set xlabel '%s' noenhanced\nset ylabel '%s' noenhanced\n"
		"set grid noxtics "
		"noytics\nset palette defined (0 '#d62728', 0.5 '#ffdd55', 1 "
		"'#2ca02c')\nset cblabel '%s'\n%s\n"
		"set title \"%s over %u chip instances per point\" font "
		"',13'\nplot $M u 1:2:3 w image notitle, $M u "
		"1:2:(sprintf('%%.1f', $3)) w labels notitle\n",
		g->ax[0].n - 1, g->ax[1].n - 1, g->ax[0].name, g->ax[1].name,
		spec ? "yield  [%]" : "mean calibrated accuracy  [%]",
		spec ? "set cbrange [0:100]" : "",
		spec ? "Yield at the spec" : "Mean calibrated test accuracy",
		g->chips);
}

static int draw(const grid_t *g, const pop_summary_t *s, cli_out_t *fig)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return imc_fail(-1, "out of memory");
	if (g->nax == 1)
		fig_lines(f, g, s);
	else
		fig_heat(f, g, s);
	fclose(f);
	int rc = figure_render(buf, fig->tmp, 900, 620) ||
		 cli_out_commit_file(fig);
	free(buf);
	return rc ? -1 : 0;
}

/* ---- the report ---------------------------------------------------------- */

static cJSON *sweep_json(const cli_t *cli, const grid_t *g,
			 const pop_summary_t *s, const char *net_path,
			 double acc_ideal)
{
	cJSON *root = cli_json_new(cli);
	cJSON_AddStringToObject(root, "sweep", g->ax[0].name);
	cJSON *names = cJSON_AddArrayToObject(root, "params");
	for (unsigned a = 0; a < g->nax; a++)
		cJSON_AddItemToArray(names, cJSON_CreateString(g->ax[a].name));
	if (net_path)
		cJSON_AddStringToObject(root, "net", net_path);
	else
		cJSON_AddNullToObject(root, "net");
	cJSON_AddNumberToObject(root, "ideal_software_accuracy", acc_ideal);
	cJSON_AddNumberToObject(root, "chips_per_point", g->chips);
	cJSON *pts = cJSON_AddArrayToObject(root, "points");
	for (unsigned p = 0; p < g->npts; p++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "value",
					g->ax[0].val[coord(g, p, 0)]);
		cJSON *v = cJSON_AddObjectToObject(o, "values");
		for (unsigned a = 0; a < g->nax; a++)
			cJSON_AddNumberToObject(v, g->ax[a].name,
						g->ax[a].val[coord(g, p, a)]);
		cli_json_add_u64(o, "first_chip_seed", g->cfg[p].sys.seed);
		cJSON_AddBoolToObject(o, "retrained", g->retrain[p]);
		/* fractions, as sweep always reported them */
		cJSON_AddNumberToObject(o, "accuracy_naive",
					s[p].acc_naive.mean / 100);
		cJSON_AddNumberToObject(o, "accuracy_calibrated",
					s[p].acc_cal.mean / 100);
		cJSON_AddNumberToObject(o, "energy_pj_per_classification",
					(s[p].e_sys_pj + s[p].e_naive_pj) / 2);
		pop_summary_json(cJSON_AddObjectToObject(o, "calibrated"),
				 &s[p], 0, 1);
		cJSON_AddItemToArray(pts, o);
	}
	return root;
}

static void print_table(const grid_t *g, const pop_summary_t *s,
			double acc_ideal, const poprun_t *run)
{
	printf("\nsweep of %u point%s x %u chip instances (ideal software "
	       "accuracy %.2f%%)\n",
	       g->npts, g->npts == 1 ? "" : "s", g->chips, 100 * acc_ideal);
	if (run->resumed)
		printf("resumed %u of %u instances from the results file\n",
		       run->resumed, run->njobs);
	int w[CLI_MAX_REPEAT];
	for (unsigned a = 0; a < g->nax; a++) {
		w[a] = (int)strlen(g->ax[a].name);
		printf("%s ", g->ax[a].name);
	}
	printf("%9s %18s %24s %9s\n", "naive %", "calibrated %      ",
	       s[0].has_spec ? "yield % [95% CI]" : "", "pJ/class.");
	for (unsigned p = 0; p < g->npts; p++) {
		for (unsigned a = 0; a < g->nax; a++)
			printf("%-*s ", w[a], g->ax[a].text[coord(g, p, a)]);
		char ci[32] = "", y[48] = "";
		if (!isnan(s[p].acc_cal.ci95))
			snprintf(ci, sizeof(ci), " +- %.2f", s[p].acc_cal.ci95);
		if (s[p].has_spec)
			snprintf(y, sizeof(y), "%.1f [%.1f..%.1f]",
				 100 * s[p].yield, 100 * s[p].yield_lo,
				 100 * s[p].yield_hi);
		printf("%9.2f %9.2f%-9s %24s %9.0f\n", s[p].acc_naive.mean,
		       s[p].acc_cal.mean, ci, y,
		       (s[p].e_sys_pj + s[p].e_naive_pj) / 2);
	}
	if (run->completed && run->seconds > 0)
		printf("took %.1f s on %u process%s (%s): %.1f chip instances "
		       "per minute\n",
		       run->seconds, dist_size(), dist_size() == 1 ? "" : "es",
		       dist_engine(), 60.0 * run->completed / run->seconds);
}

static int report(cli_t *cli, const grid_t *g, poprun_t *run, double spec,
		  const char *net_path, double acc_ideal, cli_out_t *json,
		  cli_out_t *fig)
{
	for (unsigned j = 0; j < run->njobs; j++) {
		uint64_t want = g->cfg[j / g->chips].sys.seed + j % g->chips;
		if (run->res[j].seed != want)
			return cli_fail(cli,
					"--resume: job %u of the results file "
					"is not chip seed %llu (a different "
					"run?)",
					j, (unsigned long long)want);
	}
	pop_summary_t *s = calloc(g->npts, sizeof(*s));
	if (!s)
		return cli_fail(cli, "out of memory");
	for (unsigned p = 0; p < g->npts; p++)
		pop_summarize(run->res + (size_t)p * g->chips, g->chips, spec,
			      &s[p]);
	print_table(g, s, acc_ideal, run);
	int rc = 0;
	if (fig->id && draw(g, s, fig)) {
		cli_out_abort_err(fig);
		rc = cli_fail(cli, "%s", imc_last_error());
	}
	if (!rc && json->id) {
		cJSON *root = sweep_json(cli, g, s, net_path, acc_ideal);
		rc = cli_json_write(cli, json, root);
		cJSON_Delete(root);
	}
	free(s);
	return rc;
}

/* ---- the command --------------------------------------------------------- */

/* The axes and the per-point configurations; 0, or -1 (message in imc_last_error()). */
static int make_grid(grid_t *g, cli_t *cli, const char **params,
		     const char **values, unsigned chips, int fixed_net)
{
	unsigned np = 0, nv = 0;
	while (np < CLI_MAX_REPEAT && params[np])
		np++;
	while (nv < CLI_MAX_REPEAT && values[nv])
		nv++;
	if (!np || np != nv)
		return imc_fail(
			-1,
			"give --param and --values in pairs (%u --param, %u "
			"--values)",
			np, nv);
	g->nax = np;
	g->chips = chips;
	g->npts = 1;
	for (unsigned a = 0; a < np; a++) {
		if (parse_axis(&g->ax[a], params[a], values[a], &cli->cfg))
			return -1;
		for (unsigned b = 0; b < a; b++)
			if (!strcmp(params[a], params[b]))
				return imc_fail(-1, "--param %s: given twice",
						params[a]);
		g->npts *= g->ax[a].n;
		if (g->npts > SWEEP_MAX_POINTS || (double)g->npts * chips > 1e8)
			return imc_fail(
				-1,
				"the grid has more than %d points or 1e8 "
				"chip instances",
				SWEEP_MAX_POINTS);
	}
	g->cfg = calloc(g->npts, sizeof(*g->cfg));
	g->retrain = calloc(g->npts, sizeof(*g->retrain));
	g->slot = calloc(g->npts, sizeof(*g->slot));
	g->slot_pt = calloc(g->npts, sizeof(*g->slot_pt));
	if (!g->cfg || !g->retrain || !g->slot || !g->slot_pt)
		return imc_fail(-1, "out of memory");
	const imcsim_config_t *c0 = &cli->cfg;
	for (unsigned p = 0; p < g->npts; p++) {
		imcsim_config_t *c = &g->cfg[p];
		if (point_config(g, c0, p, c))
			return -1;
		/* a value that changes what training sees retrains */
		g->retrain[p] =
			memcmp(&c->train, &c0->train, sizeof(c->train)) ||
			memcmp(&c->hw, &c0->hw, sizeof(c->hw)) ||
			c->norm_target != c0->norm_target;
		if (g->retrain[p] && fixed_net)
			return imc_fail(
				-1,
				"with --net the net is fixed: this grid "
				"changes what training sees (train.*, the "
				"hardware limits or the norm target); sweep "
				"without --net to retrain per point");
		if (g->retrain[p]) {
			g->slot[p] = g->nre;
			g->slot_pt[g->nre++] = p;
		}
	}
	g->nets = calloc(g->nre ? g->nre : 1, sizeof(*g->nets));
	if (!g->nets)
		return imc_fail(-1, "out of memory (%u nets)", g->nre);
	return 0;
}

int cmd_sweep(int argc, char **argv)
{
	const char *params[CLI_MAX_REPEAT + 1] = { 0 },
					    *values[CLI_MAX_REPEAT + 1] = { 0 };
	const char *chips_arg = NULL, *spec_arg = NULL, *resume = NULL,
		   *figure = NULL, *net_path = NULL;
	bool have_p = false, have_v = false;
	cli_opt_t opts[] = {
		{ "param", true, "SECTION.KEY",
		  "a parameter to sweep (repeatable: the grid is the "
		  "Cartesian product)",
		  params, &have_p },
		{ "values", true, "V1,V2,...",
		  "its values (one --values per --param, in order)", values,
		  &have_v },
		{ "chips", true, "N",
		  "chip instances per point (default system.chip_seeds)",
		  &chips_arg, NULL },
		{ "spec", true, "PCT", "report the yield at >= PCT % per point",
		  &spec_arg, NULL },
		{ "net", true, "FILE",
		  "deploy this net (default: train one, and retrain at points "
		  "that change training)",
		  &net_path, NULL },
		{ "resume", true, "FILE",
		  "keep completed instances in FILE; a re-run skips them",
		  &resume, NULL },
		{ "figure", true, "FILE",
		  "draw lines (one --param) or a heat map (two) as PNG",
		  &figure, NULL },
	};
	cli_t cli;
	int rc = cli_parse(
		&cli, argc, argv,
		"--param SECTION.KEY --values V1,V2,... [...] [options]",
		"Train the BNN once in software (or deploy --net), then at "
		"each point of the grid\nof parameter values report test "
		"accuracy on N chip instances (chip seeds\nsystem.seed, +1, "
		"...) without and with offset calibration: the mean, its 95%\n"
		"interval and, with --spec, the yield. A point that changes "
		"what training sees\nretrains. Under mpirun -n K the instances "
		"are spread over K processes; the\nresults do not depend on K.",
		opts, sizeof(opts) / sizeof(opts[0]));
	if (rc)
		return rc > 0 ? 0 : 2;
	if (!have_p || !have_v)
		return cli_fail(&cli, "--param and --values are required"), 2;
	unsigned chips = cli.cfg.chip_seeds;
	char *end;
	if (chips_arg) {
		long v = strtol(chips_arg, &end, 10);
		if (!*chips_arg || *end || v < 1 || v > 1000000)
			return cli_fail(&cli,
					"--chips: '%s' is not a number "
					"in 1..1000000",
					chips_arg),
			       2;
		chips = (unsigned)v;
	}
	double spec = (double)NAN;
	if (spec_arg) {
		spec = strtod(spec_arg, &end);
		if (!*spec_arg || *end || !(spec >= 0 && spec <= 100))
			return cli_fail(&cli,
					"--spec: '%s' is not a "
					"percentage in 0..100",
					spec_arg),
			       2;
	}
	struct bnn_net net;
	memset(&net, 0, sizeof(net));
	if (net_path && cli_load_net(&cli, net_path, &net))
		return 1;
	grid_t g;
	memset(&g, 0, sizeof(g));
	if (make_grid(&g, &cli, params, values, chips, net_path != NULL)) {
		grid_free(&g);
		return cli_fail(&cli, "%s", imc_last_error()), 2;
	}
	if (figure && g.nax > 2) {
		grid_free(&g);
		return cli_fail(&cli,
				"--figure: draws one or two parameters, "
				"not %u",
				g.nax),
		       2;
	}
	if (figure && !figure_available()) {
		grid_free(&g);
		return cli_fail(&cli, "gnuplot not found in PATH (install it, "
				      "e.g. apt-get install gnuplot-nox)");
	}
	/* what an instance depends on beyond the parameters: the grid */
	char extra[4096];
	size_t el = (size_t)snprintf(extra, sizeof(extra), "chips=%u", chips);
	for (unsigned a = 0; a < g.nax && el < sizeof(extra); a++)
		el += (size_t)snprintf(extra + el, sizeof(extra) - el, ";%s=%s",
				       params[a], values[a]);
	poprun_t run;
	cli_out_t json = { 0 }, fig = { 0 };
	int setup = poprun_open(&run, &cli, g.npts * chips, resume,
				poprun_fingerprint("sweep", &cli.cfg, net_path,
						   extra),
				&json, &fig, figure);
	if (setup)
		cli_fail(&cli, "%s", imc_last_error());
	exp_data_t d;
	memset(&d, 0, sizeof(d));
	double acc_ideal = 0;
	struct bnn_evaluator ideal = bnn_ideal_evaluator();
	/* the base net: rank 0 trains it or takes it from the cache (and
	 * alone reports its software accuracy), the others wait for it */
	int r0 = dist_rank() == 0;
	if (!setup &&
	    (exp_data_load(&cli.cfg, &d, &cli.inputs) ||
	     (!net_path && r0 &&
	      exp_train_cached(&cli.cfg, &d, 0, &net, NULL, cli_progress, &cli,
			       0, 1)) ||
	     (r0 && bnn_accuracy(&net, &ideal, exp_test_split(&d, &net),
				 &acc_ideal)))) {
		setup = -1;
		cli_fail(&cli, "%s", imc_last_error());
	}
	g.base = &net;
	g.d = &d;
	g.cli = &cli;
	if (!dist_agree(!setup)) {
		rc = 1;
	} else {
		if (!net_path)
			dist_bcast(&net, sizeof(net));
		rc = train_points(&g, &run) ? -1
					    : poprun_go(&run, 1, sweep_job, &g);
	}
	exp_data_free(&d);
	if (rc < 0)
		cli_fail(&cli, "%s", imc_last_error());
	if (!rc && dist_rank() == 0)
		rc = report(&cli, &g, &run, spec, net_path, acc_ideal, &json,
			    &fig);
	poprun_free(&run);
	grid_free(&g);
	return rc ? 1 : 0;
}
