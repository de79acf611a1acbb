/* plot.c - the data behind the figures of `imcsim plot`; see plot.h. */
#include "plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- column transfer ---------------------------------------------------- */

/* Codes for dot product d: |d| LSB on the rows of one sign, full code first. */
static void one_sided(int d, unsigned half, unsigned code_max, uint8_t *x)
{
	memset(x, 0, 2 * (size_t)half);
	unsigned base = d < 0 ? half : 0, left = (unsigned)abs(d);
	for (unsigned r = 0; r < half && left; r++) {
		unsigned k = left > code_max ? code_max : left;
		x[base + r] = (uint8_t)k;
		left -= k;
	}
}

static void fit_line(const int *d, const double *v, unsigned n, double *gain,
		     double *off, double *err_max, int *err_at)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	for (unsigned i = 0; i < n; i++) {
		sx += d[i];
		sy += v[i];
		sxx += (double)d[i] * d[i];
		sxy += d[i] * v[i];
	}
	*gain = (n * sxy - sx * sy) / (n * sxx - sx * sx);
	*off = (sy - *gain * sx) / n;
	*err_max = 0;
	*err_at = 0;
	for (unsigned i = 0; i < n; i++) {
		double e = fabs(v[i] - (*gain * d[i] + *off));
		if (e > *err_max) {
			*err_max = e;
			*err_at = d[i];
		}
	}
}

/* One sweep on a fresh macro of p: fills v[] for t->d[]. */
static int sweep(const macro_params_t *p, uint64_t seed, plot_transfer_t *t,
		 double *v)
{
	macro_t m;
	if (macro_init(&m, p, seed, 0))
		return imc_fail(-1, "column transfer: bad chip parameters");
	unsigned half = p->ndata / 2;
	uint64_t row[CALIB_MAX_COL / 64] = { 0 };
	uint8_t x[256] = { 0 };
	int rc = 0;
	for (unsigned r = 0; r < p->ndata && !rc; r++) {
		row[0] = r < half; /* column 0: +1 in the first half */
		rc = macro_write_row(&m, r, row);
	}
	for (unsigned i = 0; i < t->n && !rc; i++) {
		one_sided(t->d[i], half, wldac_code_max(&p->wldac), x);
		rc = macro_compare(&m, x, false, NULL);
		v[i] = m.v_bl_v[t->col] - m.v_blb_v[t->col];
	}
	macro_free(&m);
	if (rc)
		return imc_fail(rc, "column transfer: the macro refused an "
				    "operation");
	return 0;
}

int plot_transfer(const macro_params_t *p, uint64_t seed, unsigned npts,
		  plot_transfer_t *t)
{
	memset(t, 0, sizeof(*t));
	if (p->ndata < 2 || p->ndata > 256)
		return imc_fail(-1, "column transfer: needs 2..256 data rows");
	t->d_max = (int)(p->ndata / 2 * wldac_code_max(&p->wldac));
	if (npts < 2 || npts > PLOT_TRANSFER_MAX ||
	    npts > 2 * (unsigned)t->d_max + 1)
		return imc_fail(
			-1,
			"column transfer: %u points; give 2..%u (the dot "
			"product spans %d..%d)",
			npts,
			2 * (unsigned)t->d_max + 1 < PLOT_TRANSFER_MAX
				? 2 * (unsigned)t->d_max + 1
				: PLOT_TRANSFER_MAX,
			-t->d_max, t->d_max);
	t->n = npts;
	for (unsigned i = 0; i < npts; i++)
		t->d[i] = (int)lround(-t->d_max +
				      2.0 * t->d_max * i / (npts - 1));
	macro_params_t ideal = *p;
	ideal.wldac.gain_sigma = 0;
	ideal.wldac.compress = 0;
	ideal.array.sig_vt_v = 0;
	if (sweep(&ideal, seed, t, t->v_ideal_v) ||
	    sweep(p, seed, t, t->v_real_v))
		return -1;
	t->g0_v = macro_params_lsb_v(p);
	for (unsigned i = 0; i < t->n; i++) {
		int ad = abs(t->d[i]);
		double e = fabs(t->v_ideal_v[i] - t->g0_v * t->d[i]);
		if (e > t->g0_v && (!t->tan_1lsb || ad < t->tan_1lsb))
			t->tan_1lsb = ad;
		if (ad && e > 0.1 * t->g0_v * ad &&
		    (!t->tan_10pct || ad < t->tan_10pct))
			t->tan_10pct = ad;
	}
	fit_line(t->d, t->v_ideal_v, t->n, &t->fit_gain_v[0], &t->fit_off_v[0],
		 &t->fit_err_max_v[0], &t->fit_err_at[0]);
	fit_line(t->d, t->v_real_v, t->n, &t->fit_gain_v[1], &t->fit_off_v[1],
		 &t->fit_err_max_v[1], &t->fit_err_at[1]);
	return 0;
}

/* ---- calibration convergence -------------------------------------------- */

/* macro_calibrate_observed() observer: one snapshot of the counts. */
static void snap_counts(void *ctx, const calib_t *c, unsigned step_index)
{
	plot_calib_t *pc = ctx;
	if (pc->nsnap == PLOT_CAL_MAX_SNAP)
		return;
	unsigned s = pc->nsnap++;
	pc->step[s] = (pc->nrow / 4) >> (step_index - 1);
	if (pc->step[s] == 0) { /* the final half step: a move of 0 or +1 */
		pc->step[s] = 1;
		pc->half_snap = s;
	}
	for (unsigned k = 0; k < pc->ncol; k++)
		pc->n[s][k] = (uint8_t)calib_count(c, k);
}

int plot_calib_trace(const macro_params_t *p, uint64_t seed, unsigned chip,
		     unsigned lat_cycles, plot_calib_t *pc)
{
	memset(pc, 0, sizeof(*pc));
	macro_t m;
	if (lat_cycles == 0 || p->ncol > CALIB_MAX_COL ||
	    macro_init(&m, p, seed, chip))
		return imc_fail(-1, "calibration: bad chip parameters");
	pc->ncol = p->ncol;
	pc->nrow = p->comp.nrow;
	for (unsigned k = 0; k < pc->ncol; k++)
		pc->n[0][k] =
			(uint8_t)(pc->nrow / 2); /* the FSM's start count */
	pc->nsnap = 1;
	int rc = macro_calibrate_observed(&m, lat_cycles, NULL, &pc->cycles,
					  snap_counts, pc);
	for (unsigned s = 0; s < pc->nsnap && !rc; s++)
		rc = macro_offset_counts_v(&m, pc->n[s], pc->off_v[s]);
	pc->step_v = macro_comp_step_v(&m);
	macro_free(&m);
	if (rc)
		return imc_fail(-1, "calibration: the FSM did not finish");
	return 0;
}

double plot_calib_rms_v(const plot_calib_t *pc, unsigned s)
{
	double s2 = 0;
	for (unsigned k = 0; k < pc->ncol; k++)
		s2 += pc->off_v[s][k] * pc->off_v[s][k];
	return pc->ncol ? sqrt(s2 / pc->ncol) : 0.0;
}

/* ---- energy breakdown --------------------------------------------------- */

int plot_energy(const sys_params_t *p, const struct bnn_net *net,
		const struct bnn_dataset *test, const struct bnn_dataset *op,
		unsigned n, plot_energy_t *e)
{
	memset(e, 0, sizeof(*e));
	if (n == 0 || n > test->n)
		return imc_fail(
			-1, "energy: %u images asked, the test split has %zu",
			n, test->n);
	sys_t *s = sys_deploy_data(p, SYS_TLM, net, 1, op ? op->n : 0,
				   op ? op->codes : NULL, NULL);
	if (!s)
		return -1;
	int rc = 0;
	for (unsigned l = 0; l < SYS_NLAYER; l++) {
		macro_t *m = sys_macro(s, p->layer_chip[l]);
		e->chip[l] = p->layer_chip[l];
		e->cal_pre[l] = m->cal_pre;
		e->cal_pre_v[l] = macro_pre_v(m, m->cal_pre);
	}
	sys_energy_reset(s); /* count the inferences only */
	size_t right = 0;
	for (unsigned k = 0; k < n && !rc; k++) {
		sys_result_t r;
		if (sys_tlm_infer(s, test->codes + (size_t)k * BNN_N_INPUTS,
				  &r) < 0) {
			rc = imc_fail(-1, "%s", sys_error(s));
			break;
		}
		right += r.pred == test->labels[k];
		e->bus_j += r.e_bus_j;
		e->result_total_j += r.energy_j;
	}
	if (!rc) {
		e->images = n;
		e->accuracy = (double)right / n;
		e->bus_j /= n;
		e->result_total_j /= n;
		e->total_j = e->bus_j;
		for (unsigned l = 0; l < SYS_NLAYER; l++) {
			const chip_energy_t *c = sys_chip_energy(s, e->chip[l]);
			e->layer_j[l][PLOT_E_RESTORE] = c->restore_j / n;
			e->layer_j[l][PLOT_E_WLDAC] = c->wldac_j / n;
			e->layer_j[l][PLOT_E_CMP] = c->cmp_j / n;
			for (unsigned k = 0; k < PLOT_NEKIND; k++)
				e->total_j += e->layer_j[l][k];
		}
	}
	sys_free(s);
	return rc;
}

/* ---- JSON ---------------------------------------------------------------- */

/* an exact integer (cJSON numbers are doubles: 53 bits) */
static void add_u64(cJSON *o, const char *name, uint64_t v)
{
	char text[24];
	snprintf(text, sizeof(text), "%llu", (unsigned long long)v);
	cJSON_AddRawToObject(o, name, text);
}

static cJSON *num_array(const double *v, unsigned n, double scale)
{
	cJSON *a = cJSON_CreateArray();
	for (unsigned i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber(scale * v[i]));
	return a;
}

static void json_fit(cJSON *o, const char *name, const plot_transfer_t *t,
		     int k)
{
	cJSON *f = cJSON_AddObjectToObject(o, name);
	cJSON_AddNumberToObject(f, "gain_v_per_lsb", t->fit_gain_v[k]);
	cJSON_AddNumberToObject(f, "offset_v", t->fit_off_v[k]);
	cJSON_AddNumberToObject(f, "max_error_v", t->fit_err_max_v[k]);
	cJSON_AddNumberToObject(f, "max_error_at_lsb", t->fit_err_at[k]);
}

void plot_json(cJSON *root, const plot_data_t *d, uint64_t seed)
{
	const plot_transfer_t *t = &d->tr;
	cJSON *o = cJSON_AddObjectToObject(root, "column_transfer");
	add_u64(o, "chip_seed", d->seed);
	cJSON_AddNumberToObject(o, "column", t->col);
	cJSON_AddNumberToObject(o, "dot_product_max_lsb", t->d_max);
	cJSON_AddNumberToObject(o, "tangent_v_per_lsb", t->g0_v);
	cJSON_AddNumberToObject(o, "off_tangent_1lsb_from_lsb", t->tan_1lsb);
	cJSON_AddNumberToObject(o, "off_tangent_10pct_from_lsb", t->tan_10pct);
	cJSON *dp = cJSON_AddArrayToObject(o, "dot_product_lsb");
	for (unsigned i = 0; i < t->n; i++)
		cJSON_AddItemToArray(dp, cJSON_CreateNumber(t->d[i]));
	cJSON_AddItemToObject(o, "v_diff_ideal_v",
			      num_array(t->v_ideal_v, t->n, 1));
	cJSON_AddItemToObject(o, "v_diff_nonideal_v",
			      num_array(t->v_real_v, t->n, 1));
	json_fit(o, "fit_ideal", t, 0);
	json_fit(o, "fit_nonideal", t, 1);

	const plot_calib_t *c = &d->cal;
	o = cJSON_AddObjectToObject(root, "calibration");
	add_u64(o, "chip_seed", d->seed);
	cJSON_AddNumberToObject(o, "chip", 0);
	cJSON_AddNumberToObject(o, "columns", c->ncol);
	cJSON_AddNumberToObject(o, "nominal_step_v", c->step_v);
	cJSON_AddNumberToObject(o, "cycles", (double)c->cycles);
	cJSON_AddBoolToObject(o, "matches_macro_calibrate", d->cal_matches);
	cJSON_AddNumberToObject(o, "half_step_snapshot", c->half_snap);
	cJSON *steps = cJSON_AddArrayToObject(o, "steps");
	cJSON *counts = cJSON_AddArrayToObject(o, "counts");
	cJSON *offs = cJSON_AddArrayToObject(o, "offset_v");
	cJSON *rms = cJSON_AddArrayToObject(o, "rms_offset_v");
	cJSON *in1 = cJSON_AddArrayToObject(o, "columns_within_one_step");
	for (unsigned s = 0; s < c->nsnap; s++) {
		cJSON_AddItemToArray(steps, cJSON_CreateNumber(c->step[s]));
		cJSON *n = cJSON_CreateArray();
		unsigned in = 0;
		for (unsigned k = 0; k < c->ncol; k++) {
			cJSON_AddItemToArray(n, cJSON_CreateNumber(c->n[s][k]));
			in += fabs(c->off_v[s][k]) <= c->step_v;
		}
		cJSON_AddItemToArray(counts, n);
		cJSON_AddItemToArray(offs, num_array(c->off_v[s], c->ncol, 1));
		cJSON_AddItemToArray(
			rms, cJSON_CreateNumber(plot_calib_rms_v(c, s)));
		cJSON_AddItemToArray(in1, cJSON_CreateNumber(in));
	}

	o = cJSON_AddObjectToObject(root, "accuracy_vs_offset");
	cJSON_AddNumberToObject(o, "test_images", d->ntest);
	cJSON_AddNumberToObject(o, "ideal_software_accuracy", d->acc_ideal);
	cJSON *seeds = cJSON_AddArrayToObject(o, "chip_seeds");
	for (unsigned k = 0; k < d->nseeds; k++)
		cJSON_AddItemToArray(seeds,
				     cJSON_CreateNumber((double)(seed + k)));
	cJSON *pts = cJSON_AddArrayToObject(o, "points");
	static const char *const name[2] = { "naive", "calibrated" };
	for (unsigned i = 0; i < d->nsig; i++) {
		cJSON *p = cJSON_CreateObject();
		cJSON_AddNumberToObject(p, "offset_sigma_v", d->sig_v[i]);
		for (int k = 0; k < 2; k++) {
			char key[64];
			snprintf(key, sizeof(key), "accuracy_%s", name[k]);
			cJSON_AddNumberToObject(p, key, d->acc[i][k]);
			snprintf(key, sizeof(key), "accuracy_%s_min", name[k]);
			cJSON_AddNumberToObject(p, key, d->acc_min[i][k]);
			snprintf(key, sizeof(key), "accuracy_%s_max", name[k]);
			cJSON_AddNumberToObject(p, key, d->acc_max[i][k]);
		}
		cJSON_AddItemToArray(pts, p);
	}

	const plot_energy_t *e = &d->en;
	o = cJSON_AddObjectToObject(root, "energy");
	add_u64(o, "chip_seed", d->seed);
	cJSON_AddNumberToObject(o, "images", e->images);
	cJSON_AddNumberToObject(o, "accuracy", e->accuracy);
	cJSON *layers = cJSON_AddArrayToObject(o, "layers");
	for (unsigned l = 0; l < SYS_NLAYER; l++) {
		cJSON *L = cJSON_CreateObject();
		cJSON_AddNumberToObject(L, "layer", l);
		cJSON_AddNumberToObject(L, "chip", e->chip[l]);
		cJSON_AddNumberToObject(L, "cal_point_code", e->cal_pre[l]);
		cJSON_AddNumberToObject(L, "cal_precharge_v", e->cal_pre_v[l]);
		cJSON_AddNumberToObject(L, "restore_j",
					e->layer_j[l][PLOT_E_RESTORE]);
		cJSON_AddNumberToObject(L, "wldac_j",
					e->layer_j[l][PLOT_E_WLDAC]);
		cJSON_AddNumberToObject(L, "comparator_j",
					e->layer_j[l][PLOT_E_CMP]);
		cJSON_AddItemToArray(layers, L);
	}
	cJSON_AddNumberToObject(o, "buses_j", e->bus_j);
	cJSON_AddNumberToObject(o, "total_j", e->total_j);
	cJSON_AddNumberToObject(o, "results_total_j", e->result_total_j);
}
