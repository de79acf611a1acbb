/* cmd_plot.c - `imcsim plot`: four figures, drawn by gnuplot from data the
 * model computes (plot.h), and that data as JSON.
 *
 * Every output (four PNGs and the JSON) is opened under a temporary name
 * before any work, so an unwritable directory fails at once, and renamed
 * only when all five are complete: a failure leaves no file behind.
 * gnuplot runs as a child reading its script on stdin, the data inline as
 * datablocks; it is looked up in PATH first so its absence is one clear
 * error, not a broken pipe. */
#include "commands.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiment.h"
#include "figure.h"
#include "plot.h"

enum { FIG_TRANSFER, FIG_CALIB, FIG_ACC, FIG_ENERGY, NFIG };
static const char *const fig_file[NFIG] = { "column_transfer.png",
					    "calibration.png",
					    "accuracy_vs_offset.png",
					    "energy_breakdown.png" };

/* ---- gnuplot ------------------------------------------------------------- */

static void fig_transfer(FILE *f, const plot_data_t *d)
{
	const plot_transfer_t *t = &d->tr;
	double vmax = 0;
	fprintf(f, "$T << EOD\n");
	for (unsigned i = 0; i < t->n; i++) {
		double e0 = t->v_ideal_v[i] -
			    (t->fit_gain_v[0] * t->d[i] + t->fit_off_v[0]);
		double e1 = t->v_real_v[i] -
			    (t->fit_gain_v[1] * t->d[i] + t->fit_off_v[1]);
		fprintf(f, "%d %.6f %.6f %.6f %.6f\n", t->d[i],
			1e3 * t->v_ideal_v[i], 1e3 * t->v_real_v[i], 1e3 * e0,
			1e3 * e1);
		vmax = fmax(vmax,
			    fmax(fabs(t->v_ideal_v[i]), fabs(t->v_real_v[i])));
	}
	fprintf(f, "EOD\n");
	double a = 1e3 * t->fit_gain_v[0], b = 1e3 * t->fit_off_v[0];
	double g0 = 1e3 * t->g0_v, ym = 1.15e3 * vmax;
	fprintf(f,
		"set multiplot layout 2,1 title 'Column %u: V(BL) - V(BLB) "
		"against the ideal dot product' font ',13'\n"
		"set lmargin 11\nset rmargin 3\n"
		"set size 1,0.64\nset origin 0,0.33\n"
		"set xrange [%d:%d]\nset yrange [%g:%g]\n"
		"set xtics format ''\nset ylabel 'V(BL) - V(BLB)  [mV]'\n"
		"set key top left box opaque\n",
		t->col, -t->d_max, t->d_max, -ym, ym);
	if (t->tan_10pct) /* where the discharge non-linearity bites */
		fprintf(f,
			"set object 1 rect from %d, graph 0 to graph 1, graph 1 "
			"fc rgb '#f3d6d6' fs solid 0.5 noborder behind\n"
			"set object 2 rect from graph 0, graph 0 to %d, graph 1 "
			"fc rgb '#f3d6d6' fs solid 0.5 noborder behind\n"
			"set label 1 '|D| > %d: more than 10 %% below the "
			"tangent' at graph 0.98, graph 0.06 right\n",
			t->tan_10pct, -t->tan_10pct, t->tan_10pct);
	fprintf(f,
		"plot $T u 1:2 w l lw 2.5 lc rgb '#1f77b4' t 'ideal cells', "
		"$T u 1:3 w l lw 1.5 lc rgb '#d62728' t 'default "
		"non-idealities (seed %llu, chip 0)', "
		"%g*x%+g w l dt 2 lw 1.5 lc rgb 'black' t sprintf('best-fit "
		"line (ideal): %%.3f mV/LSB', %g), "
		"%g*x w l dt 3 lw 1.5 lc rgb '#2ca02c' t sprintf('small-signal "
		"tangent: %%.3f mV/LSB', %g)\n",
		(unsigned long long)d->seed, a, b, a, g0, g0);
	fprintf(f,
		"set size 1,0.33\nset origin 0,0\nunset title\n"
		"unset object 1\nunset object 2\nunset label 1\n"
		"set xtics format '%%g'\nset autoscale y\n"
		"set xlabel 'ideal dot product D = {/Symbol S} w{/Symbol \\327}x "
		" [LSB]'\nset ylabel 'error vs best fit  [mV]'\n"
		"set key top center horizontal box opaque\n"
		"plot $T u 1:4 w l lw 2 lc rgb '#1f77b4' t 'ideal cells', "
		"$T u 1:5 w l lw 1 lc rgb '#d62728' t 'non-ideal', "
		"0 w l lc rgb 'black' notitle\n"
		"unset multiplot\n");
}

static void fig_calib(FILE *f, const plot_data_t *d)
{
	const plot_calib_t *c = &d->cal;
	fprintf(f, "$C << EOD\n");
	for (unsigned k = 0; k < c->ncol; k++) {
		for (unsigned s = 0; s < c->nsnap; s++)
			fprintf(f, "%u %.5f\n", s, 1e3 * c->off_v[s][k]);
		fprintf(f, "\n");
	}
	fprintf(f, "EOD\n$R << EOD\n");
	for (unsigned s = 0; s < c->nsnap; s++)
		fprintf(f, "%u %.5f\n", s, 1e3 * plot_calib_rms_v(c, s));
	fprintf(f, "EOD\nset xtics (");
	for (unsigned s = 0; s < c->nsnap; s++) {
		if (s == 0)
			fprintf(f, "'start: n_c = %u' 0", c->nrow / 2);
		else if (s == c->half_snap)
			fprintf(f, ", 'step %u: half (0 or +1)' %u", s, s);
		else
			fprintf(f, ", 'step %u: {/Symbol \\261}%u' %u", s,
				c->step[s], s);
	}
	fprintf(f, ")\n");
	double st = 1e3 * c->step_v;
	unsigned in = 0, last = c->nsnap - 1;
	for (unsigned k = 0; k < c->ncol; k++)
		in += fabs(c->off_v[last][k]) <= c->step_v;
	fprintf(f,
		"set label 1 'rms %.1f mV at the start, %.1f mV at the end; "
		"%u of %u columns within {/Symbol \\261}1 step' at graph "
		"0.98, graph 0.04 right front\n",
		1e3 * plot_calib_rms_v(c, 0), 1e3 * plot_calib_rms_v(c, last),
		in, c->ncol);
	fprintf(f,
		"set xrange [-0.2:%g]\nset rmargin 7\n"
		"set title 'Offset calibration, chip 0: effective offset of "
		"each of the %u columns after each binary-search step' "
		"font ',13'\n"
		"set ylabel 'effective offset, noise-free  [mV]'\n"
		"set object 1 rect from graph 0, first %g to graph 1, first "
		"%g fc rgb '#b8e0b8' fs solid 0.6 noborder behind\n"
		"set key top right box opaque\n"
		"plot $C u 1:2 w l lw 0.6 lc rgb '#80406080' t 'one column', "
		"$R u 1:2 w lp lw 3 pt 7 lc rgb '#d62728' t 'rms over "
		"columns', "
		"$R u 1:(-$2) w lp lw 3 pt 7 lc rgb '#d62728' notitle, "
		"NaN w filledcurves fc rgb '#b8e0b8' fs solid 0.6 "
		"t sprintf('{/Symbol \\261}1 compensation step (%%.2f mV)', "
		"%g)\n",
		c->nsnap - 1 + 0.3, c->ncol, -st, st, st);
}

static void fig_accuracy(FILE *f, const plot_data_t *d)
{
	fprintf(f, "$A << EOD\n");
	for (unsigned i = 0; i < d->nsig; i++)
		fprintf(f, "%g %.4f %.4f %.4f %.4f %.4f %.4f\n",
			1e3 * d->sig_v[i], 100 * d->acc[i][0],
			100 * d->acc_min[i][0], 100 * d->acc_max[i][0],
			100 * d->acc[i][1], 100 * d->acc_min[i][1],
			100 * d->acc_max[i][1]);
	fprintf(f,
		"EOD\nset title \"Test accuracy against comparator offset\\n"
		"{/*0.85 %u test images; mean and min..max over %u chip "
		"seed%s}\" font ',13'\n"
		"set xlabel 'comparator offset sigma  [mV]'\n"
		"set ylabel 'test accuracy  [%%]'\n"
		"set key bottom left box opaque\n"
		"set offsets 1, 1, graph 0.08, graph 0.05\n"
		"plot $A u 1:5:6:7 w yerrorlines lw 2 pt 7 ps 1.2 lc rgb "
		"'#2ca02c' t 'with offset calibration', "
		"$A u 1:2:3:4 w yerrorlines lw 2 pt 5 ps 1.2 lc rgb '#d62728' "
		"t 'without calibration', "
		"%g w l dt 2 lw 1.5 lc rgb 'black' t 'ideal software "
		"(%.2f %%)'\n",
		d->ntest, d->nseeds, d->nseeds == 1 ? "" : "s",
		100 * d->acc_ideal, 100 * d->acc_ideal);
}

/* Left panel of the energy figure: each layer chip by kind, and their sum. */
static void fig_energy_chips(FILE *f, const plot_energy_t *e, double *chips)
{
	double sum[PLOT_NEKIND] = { 0 };
	fprintf(f, "$E << EOD\n");
	for (unsigned l = 0; l < SYS_NLAYER; l++) {
		const double *j = e->layer_j[l];
		fprintf(f, "\"layer %u\\n(chip %u)\" %.4f %.4f %.4f %.4f\n", l,
			e->chip[l], 1e12 * j[0], 1e12 * j[1], 1e12 * j[2],
			1e12 * (j[0] + j[1] + j[2]));
		for (unsigned k = 0; k < PLOT_NEKIND; k++)
			sum[k] += j[k];
	}
	*chips = sum[0] + sum[1] + sum[2];
	fprintf(f, "\"3 chips\" %.4f %.4f %.4f %.4f\nEOD\n", 1e12 * sum[0],
		1e12 * sum[1], 1e12 * sum[2], 1e12 * *chips);
	fprintf(f,
		"set size 0.6,0.92\nset origin 0,0\n"
		"set title 'the layer chips, by kind' font ',12'\n"
		"set ylabel 'energy per classification  [pJ]'\n"
		"set yrange [0:%g]\nset xrange [-0.6:3.6]\n"
		"set key top left box opaque\n"
		"plot $E u 2:xtic(1) lc rgb '#1f77b4' t 'bitline restore', "
		"'' u 3 lc rgb '#ff7f0e' t 'WLDAC (wordlines)', "
		"'' u 4 lc rgb '#2ca02c' t 'comparators', "
		"'' u 0:5:(sprintf('%%.1f pJ', $5)) w labels offset 0,0.8 "
		"notitle\n",
		1.3e12 * *chips);
}

/* Right panel: the chips' sum against the four buses. */
static void fig_energy_system(FILE *f, const plot_energy_t *e, double chips)
{
	fprintf(f,
		"$S << EOD\n\"3 chips\" %.4f 0 %.4f\n\"4 buses\" 0 %.4f "
		"%.4f\nEOD\n",
		1e12 * chips, 1e12 * chips, 1e12 * e->bus_j, 1e12 * e->bus_j);
	fprintf(f,
		"set size 0.4,0.92\nset origin 0.6,0\n"
		"set title 'the system: chips and buses' font ',12'\n"
		"unset ylabel\nset yrange [0:%g]\nset xrange [-0.6:1.6]\n"
		"set key top left box opaque\n"
		"plot $S u 2:xtic(1) lc rgb '#4a6fa5' t 'layer chips', "
		"'' u 3 lc rgb '#9467bd' t 'inter-chip buses', "
		"'' u 0:4:(sprintf('%%.1f pJ (%%.0f %%%%)', $4, 100 * $4 / "
		"%g)) w labels offset 0,0.8 notitle\n",
		1.3e12 * fmax(chips, e->bus_j), 1e12 * e->total_j);
}

static void fig_energy(FILE *f, const plot_data_t *d)
{
	const plot_energy_t *e = &d->en;
	double chips;
	fprintf(f,
		"set multiplot title 'Energy per classification: %.0f pJ "
		"(TLM, %u test images, calibrated chips of seed %llu)' "
		"font ',13'\n"
		"set style data histograms\nset style histogram rowstacked\n"
		"set style fill solid 0.85 border rgb 'black'\n"
		"set boxwidth 0.6\nset grid noxtics\nset bmargin 4\n",
		1e12 * e->total_j, e->images, (unsigned long long)d->seed);
	fig_energy_chips(f, e, &chips);
	fig_energy_system(f, e, chips);
	fprintf(f, "unset multiplot\n");
}

/* Render one figure into path through gnuplot (figure_render()); 0 or
 * -1. */
static int gp_render(void (*fig)(FILE *, const plot_data_t *),
		     const plot_data_t *d, const char *path, int w, int h)
{
	char *script = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&script, &len);
	if (!f)
		return imc_fail(-1, "out of memory");
	fig(f, d);
	if (fclose(f)) {
		free(script);
		return imc_fail(-1, "out of memory");
	}
	int rc = figure_render(script, path, w, h);
	free(script);
	return rc;
}

/* ---- data ---------------------------------------------------------------- */

static int compute(cli_t *cli, plot_data_t *d, unsigned npts, unsigned nimg)
{
	const imcsim_config_t *c = &cli->cfg;
	const macro_params_t *mp = &c->sys.chip.macro;
	d->seed = c->sys.seed;
	cli_progress(cli, "column transfer", 0.0);
	if (plot_transfer(mp, d->seed, npts, &d->tr))
		return -1;
	cli_progress(cli, "calibration convergence", 0.02);
	if (plot_calib_trace(mp, d->seed, 0, CHIP_CMP_LATENCY, &d->cal))
		return -1;
	/* the same chip calibrated by the library: same final counts? */
	macro_t m;
	calib_t fin;
	if (macro_init(&m, mp, d->seed, 0))
		return imc_fail(-1, "bad chip parameters");
	int rc = macro_calibrate(&m, CHIP_CMP_LATENCY, &fin, NULL);
	macro_free(&m);
	if (rc)
		return imc_fail(-1, "macro_calibrate failed");
	d->cal_matches = true;
	for (unsigned k = 0; k < d->cal.ncol; k++)
		if (calib_count(&fin, k) != d->cal.n[d->cal.nsnap - 1][k])
			d->cal_matches = false;
	exp_data_t data;
	struct bnn_net net;
	if (exp_data_load(c, &data, &cli->inputs))
		return -1;
	if (exp_train(c, &data, 0, &net, cli_progress, cli, 0.03, 0.3))
		goto fail;
	struct bnn_evaluator ideal = bnn_ideal_evaluator();
	if (bnn_accuracy(&net, &ideal, &data.test, &d->acc_ideal))
		goto fail;
	d->ntest = (unsigned)data.test.n;
	d->nseeds = c->chip_seeds;
	for (unsigned i = 0; i < d->nsig; i++) {
		imcsim_config_t ci = *c;
		ci.sys.chip.macro.cmp.offset_sigma_v = d->sig_v[i];
		for (int cal = 0; cal < 2; cal++) {
			d->acc[i][cal] = 0;
			d->acc_min[i][cal] = 1;
			d->acc_max[i][cal] = 0;
			for (unsigned k = 0; k < c->chip_seeds; k++) {
				double a, e;
				unsigned sat;
				if (exp_eval_chip(&ci, &net, &data.test,
						  &data.train, c->sys.seed + k,
						  cal, &a, &e, &sat))
					goto fail;
				d->acc[i][cal] += a / c->chip_seeds;
				d->acc_min[i][cal] =
					fmin(d->acc_min[i][cal], a);
				d->acc_max[i][cal] =
					fmax(d->acc_max[i][cal], a);
			}
		}
		cli_progress(cli, "accuracy against comparator offset",
			     0.3 + 0.6 * (i + 1) / d->nsig);
	}
	if (plot_energy(&c->sys, &net, &data.test, &data.train, nimg, &d->en))
		goto fail;
	exp_data_free(&data);
	cli_progress(cli, "drawing", 0.95);
	return 0;
fail:
	exp_data_free(&data);
	return -1;
}

/* ---- the command ---------------------------------------------------------- */

static int parse_sigmas(const char *s, plot_data_t *d)
{
	d->nsig = 0;
	while (*s) {
		char *end;
		errno = 0;
		double mv = strtod(s, &end);
		if (end == s || errno || (*end && *end != ',') ||
		    !(mv >= 0 && mv <= 500) || d->nsig == PLOT_MAX_SIGMAS)
			return imc_fail(
				-1,
				"--sigmas: give 1..%d comma-separated offsets "
				"in mV, each 0..500",
				PLOT_MAX_SIGMAS);
		d->sig_v[d->nsig++] = mv * 1e-3;
		s = *end ? end + 1 : end;
	}
	if (!d->nsig)
		return imc_fail(-1, "--sigmas: no value given");
	return 0;
}

static int parse_uint(const char *s, const char *opt, unsigned lo, unsigned hi,
		      unsigned *v)
{
	char *end;
	errno = 0;
	unsigned long u = strtoul(s, &end, 10);
	if (end == s || *end || errno || *s == '-' || u < lo || u > hi)
		return imc_fail(-1,
				"%s: '%s' is not a whole number in "
				"%u..%u",
				opt, s, lo, hi);
	*v = (unsigned)u;
	return 0;
}

/* DIR exists (created if missing, one level: *made) and is a directory. */
static int out_dir(const char *dir, bool *made)
{
	struct stat st;
	*made = mkdir(dir, 0777) == 0;
	if (!*made && errno != EEXIST)
		return imc_fail(-1, "cannot create %s: %s", dir,
				strerror(errno));
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return imc_fail(-1, "--out %s is not a directory", dir);
	return 0;
}

int cmd_plot(int argc, char **argv)
{
	const char *dir = ".", *sigmas = "0,9,18,27,36,45", *points = "1489",
		   *images = "200";
	cli_opt_t opts[] = {
		{ "out", true, "DIR", "where the PNGs go (default .; created)",
		  &dir, NULL },
		{ "sigmas", true, "MV1,MV2,...",
		  "comparator offset sigmas in mV (0,9,18,27,36,45)", &sigmas,
		  NULL },
		{ "points", true, "N", "points of the transfer sweep (1489)",
		  &points, NULL },
		{ "images", true, "N", "test images of the energy figure (200)",
		  &images, NULL },
	};
	cli_t cli;
	int rc = cli_parse(
		&cli, argc, argv, "[--out DIR] [options]",
		"Draw four figures with gnuplot (which must be in PATH) into DIR:\n"
		"  column_transfer.png     V(BL)-V(BLB) of one column against the "
		"ideal dot\n                          product, ideal and non-ideal "
		"cells, best-fit line\n"
		"  calibration.png         every column's effective offset after "
		"each step\n                          of the binary-search "
		"calibration (chip 0)\n"
		"  accuracy_vs_offset.png  test accuracy against comparator "
		"offset sigma,\n                          with and without "
		"calibration (system.chip_seeds seeds)\n"
		"  energy_breakdown.png    energy per classification by layer "
		"chip and kind\nand the data they show as JSON (--json FILE; "
		"default DIR/figures.json).\nThe BNN is trained once in software "
		"(train.*); chips are seeds system.seed...",
		opts, sizeof(opts) / sizeof(opts[0]));
	if (rc)
		return rc > 0 ? 0 : 2;
	plot_data_t *d = calloc(1, sizeof(*d));
	if (!d)
		return cli_fail(&cli, "out of memory");
	unsigned npts = 0, nimg = 0;
	if (parse_sigmas(sigmas, d) ||
	    parse_uint(points, "--points", 2, PLOT_TRANSFER_MAX, &npts) ||
	    parse_uint(images, "--images", 1, 1000000, &nimg)) {
		free(d);
		return cli_fail(&cli, "%s", imc_last_error()), 2;
	}
	if (!figure_available()) {
		free(d);
		return cli_fail(&cli, "gnuplot not found in PATH (install it, "
				      "e.g. apt-get install gnuplot-nox)");
	}
	cli_out_t out[NFIG + 1];
	memset(out, 0, sizeof(out));
	char path[PATH_MAX + 32], json_path[PATH_MAX + 32];
	snprintf(json_path, sizeof(json_path), "%s/figures.json", dir);
	if (!cli.json_path)
		cli.json_path = json_path;
	bool made = false;
	rc = out_dir(dir, &made) ? -1 : 0;
	if (made)
		out_own_dir(dir);
	for (int i = 0; i < NFIG && !rc; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, fig_file[i]);
		rc = cli_out_open_opt(&out[i], path, "--out");
	}
	if (!rc)
		rc = cli_out_open(&out[NFIG], cli.json_path);
	if (!rc)
		rc = compute(&cli, d, npts, nimg);
	if (!rc && !d->cal_matches) {
		imc_fail(-1, "internal: the traced calibration "
			     "ends with other counts than "
			     "macro_calibrate()");
		rc = -1;
	}
	static void (*const fig[NFIG])(FILE *, const plot_data_t *) = {
		fig_transfer, fig_calib, fig_accuracy, fig_energy
	};
	static const int size[NFIG][2] = {
		{ 1000, 800 }, { 1000, 650 }, { 900, 600 }, { 900, 600 }
	};
	for (int i = 0; i < NFIG && !rc; i++)
		rc = gp_render(fig[i], d, out[i].tmp, size[i][0], size[i][1]);
	for (int i = 0; i < NFIG && !rc; i++)
		rc = cli_out_commit_file(&out[i]);
	if (rc) {
		for (int i = 0; i <= NFIG; i++)
			cli_out_abort_err(&out[i]);
		free(d); /* out_finish() removes the files and the directory */
		return cli_fail(&cli, "%s", imc_last_error());
	}
	cJSON *root = cli_json_new(&cli);
	plot_json(root, d, cli.cfg.sys.seed);
	rc = cli_json_write(&cli, &out[NFIG], root);
	cJSON_Delete(root);
	if (!rc) {
		const plot_energy_t *e = &d->en;
		printf("imcsim plot: %s/{column_transfer,calibration,"
		       "accuracy_vs_offset,energy_breakdown}.png, %s\n",
		       dir, cli.json_path);
		printf("  transfer best-fit %.3f mV/LSB, max error %.1f mV at "
		       "D = %d; calibration rms %.2f -> %.2f mV; energy %.0f "
		       "pJ/classification\n",
		       1e3 * d->tr.fit_gain_v[0], 1e3 * d->tr.fit_err_max_v[0],
		       d->tr.fit_err_at[0], 1e3 * plot_calib_rms_v(&d->cal, 0),
		       1e3 * plot_calib_rms_v(&d->cal, d->cal.nsnap - 1),
		       1e12 * e->total_j);
	}
	free(d);
	return rc;
}
