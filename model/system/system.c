/* system.c - the four-chip system: parameters, construction, host setup
 * (weights, calibration, thresholds); see system.h. The cycle-accurate
 * pipeline is in system_ca.c, the transaction-level path in system_tlm.c. */
#include "system/system.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "system/system_internal.h"

#define SYS_ALL_PARAMS(X, S) SYS_PARAMS(X, S) SYS_MAP_PARAMS(X, S)
IMC_PARAM_BLOCK_DEFINE(sys_param_block, SYS_SECTION, sys_params_t,
		       SYS_ALL_PARAMS);

void sys_params_default(sys_params_t *p)
{
	memset(p, 0, sizeof(*p));
	chip_params_default(&p->chip);
	imc_param_defaults(&sys_param_block, p);
	bus_params_default(&p->bus);
	for (unsigned l = 0; l + 1 < SYS_NLAYER; l++)
		normalizer_params_default(&p->norm[l]);
	readout_params_default(&p->readout);
}

unsigned sys_comp_step_codes(const sys_params_t *p)
{
	const macro_params_t *mp = &p->chip.macro;
	double lsb = mp->wldac.i_fs_a / wldac_code_max(&mp->wldac);
	double steps = 2 * mp->comp.i_comp_a / lsb;
	return steps < 1 ? 1 : (unsigned)lround(steps);
}

int sys_params_check(const sys_params_t *p)
{
	if (!p)
		return imc_fail(SYS_EARG, "system: no parameters");
	if (chip_params_problem(&p->chip) ||
	    imc_param_check_msg(&sys_param_block, p))
		return SYS_EARG; /* the message names the parameter */
	const macro_params_t *mp = &p->chip.macro;
	if (mp->ndata > SYS_MAX_ROW || mp->ncol > SYS_MAX_COL)
		return imc_fail(
			SYS_EARG,
			"system: chips of %u data rows x %u columns (the "
			"system supports up to %d x %d)",
			mp->ndata, mp->ncol, SYS_MAX_ROW, SYS_MAX_COL);
	if (wldac_code_max(&mp->wldac) < NORMALIZER_CODE_MAX)
		return imc_fail(
			SYS_EARG,
			"system: the chips' WLDAC takes codes up to %u but "
			"the bus carries 5-bit codes up to %d",
			wldac_code_max(&mp->wldac), NORMALIZER_CODE_MAX);
	if (p->nchips < SYS_NLAYER || p->nchips > SYS_MAX_CHIPS)
		return imc_fail(SYS_EARG,
				"system: %u chips (need %d..%d: one per layer)",
				p->nchips, SYS_NLAYER, SYS_MAX_CHIPS);
	for (unsigned l = 0; l < SYS_NLAYER; l++) {
		if (p->layer_chip[l] >= p->nchips)
			return imc_fail(
				SYS_EARG,
				"system: layer %u mapped to chip %u, out of "
				"range (chips 0..%u)",
				l, p->layer_chip[l], p->nchips - 1);
		for (unsigned k = 0; k < l; k++)
			if (p->layer_chip[k] == p->layer_chip[l])
				return imc_fail(
					SYS_EARG,
					"system: layers %u and %u both "
					"mapped to chip %u (one layer per "
					"chip)",
					k, l, p->layer_chip[l]);
	}
	if (bus_params_check(&p->bus))
		return imc_fail(SYS_EARG, "system: %s", imc_last_error());
	for (unsigned l = 0; l + 1 < SYS_NLAYER; l++)
		if (normalizer_params_check(&p->norm[l], mp->ncol))
			return imc_fail(SYS_EARG, "system: after layer %u: %s",
					l, imc_last_error());
	if (readout_params_check(&p->readout, mp->ncol))
		return imc_fail(SYS_EARG, "system: %s", imc_last_error());
	if (p->max_cycles_per_image == 0)
		return imc_fail(SYS_EARG, "system: max_cycles_per_image is 0");
	return SYS_OK;
}

int sys_fail(struct sys *s, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	return imc_fail(code, "%s", s->err);
}

const char *sys_error(const sys_t *s)
{
	return s->err;
}

sys_level_t sys_level(const sys_t *s)
{
	return s->level;
}

const sys_params_t *sys_params(const sys_t *s)
{
	return &s->p;
}

const sys_stats_t *sys_stats(const sys_t *s)
{
	return &s->st;
}

chip_t *sys_chip(sys_t *s, unsigned chip)
{
	if (s->level != SYS_CYCLE_ACCURATE || chip >= s->p.nchips)
		return NULL;
	return s->chip[chip];
}

macro_t *sys_macro(sys_t *s, unsigned chip)
{
	if (chip >= s->p.nchips)
		return NULL;
	return s->be->macro(s, chip);
}

const chip_energy_t *sys_chip_energy(sys_t *s, unsigned chip)
{
	macro_t *m = sys_macro(s, chip);
	return m ? &m->energy : NULL;
}

void sys_energy_reset(sys_t *s)
{
	for (unsigned i = 0; i < s->p.nchips; i++)
		energy_reset(&s->be->macro(s, i)->energy);
}

sys_t *sys_new(const sys_params_t *p, sys_level_t level, int *err)
{
	int rc = sys_params_check(p);
	sys_t *s = NULL;
	if (rc)
		goto out;
	if (level != SYS_CYCLE_ACCURATE && level != SYS_TLM) {
		rc = imc_fail(SYS_EARG, "system: unknown level %d", (int)level);
		goto out;
	}
	rc = SYS_ENOMEM;
	s = calloc(1, sizeof(*s));
	if (!s) {
		imc_fail(rc, "system: out of memory");
		goto out;
	}
	s->p = *p;
	s->level = level;
	s->be = level == SYS_TLM ? &sys_tlm_backend : &sys_ca_backend;
	s->ndata = p->chip.macro.ndata;
	s->ncol = p->chip.macro.ncol;
	s->ncomp = p->chip.macro.comp.nrow;
	s->nword = (s->ncol + 63) / 64;
	s->pad = calloc(s->ndata, 1);
	if (!s->pad) {
		imc_fail(rc, "system: out of memory");
		goto out;
	}
	if ((rc = s->be->build(s))) {
		imc_fail(rc, "%s", s->err);
		goto out;
	}
	if (err)
		*err = SYS_OK;
	return s;
out:
	if (err)
		*err = rc;
	sys_free(s);
	return NULL;
}

void sys_free(sys_t *s)
{
	if (!s)
		return;
	if (s->be)
		s->be->destroy(s);
	free(s->pad);
	free(s);
}

/* ---- host writes: the SRAM port of each chip ----------------------------- */

static int host_write(sys_t *s, unsigned chip, unsigned row,
		      const uint64_t *data)
{
	return s->be->write_row(s, chip, row, data);
}

static int sync(sys_t *s)
{
	return s->be->sync(s);
}

/* Compensation rows of layer l's chip: thermometer code of n_c + t_c,
 * clamped to 0..nrow; returns the number of clamped columns or an error. */
static int write_thresholds(sys_t *s, unsigned l)
{
	const sys_layer_t *L = &s->net[l];
	unsigned chip = s->p.layer_chip[l], sat = 0;
	uint8_t n[SYS_MAX_COL];
	uint64_t row[SYS_NWORD];
	for (unsigned c = 0; c < s->ncol; c++) {
		int v = s->ncnt[chip][c] + (c < L->n_out ? L->thr[c] : 0);
		if (v < 0 || v > (int)s->ncomp) {
			v = v < 0 ? 0 : (int)s->ncomp;
			sat++;
		}
		n[c] = (uint8_t)v;
	}
	for (unsigned r = 0; r < s->ncomp; r++) {
		comprow_row_data(s->ncol, n, r, row);
		int rc = host_write(s, chip, s->ndata + r, row);
		if (rc)
			return rc;
	}
	s->st.comp_saturated[l] = sat;
	return (int)sat;
}

static int check_layer(sys_t *s, unsigned l, const sys_layer_t *L)
{
	if (L->n_in < 1 || L->n_in > s->ndata || L->n_out < 1 ||
	    L->n_out > s->ncol)
		return sys_fail(s, SYS_EARG,
				"system: layer %u is %u inputs x %u outputs; "
				"its chip has macro.ndata = %u data rows and "
				"macro.ncol = %u columns",
				l, L->n_in, L->n_out, s->ndata, s->ncol);
	unsigned want_in = l == 0 ? 0 : s->net[l - 1].n_out;
	if (l > 0 && s->loaded[l - 1] && L->n_in != want_in)
		return sys_fail(s, SYS_EARG,
				"system: layer %u has %u inputs, layer %u has "
				"%u columns",
				l, L->n_in, l - 1, want_in);
	if (l == SYS_NLAYER - 1 && L->n_out != readout_ncols(&s->p.readout))
		return sys_fail(s, SYS_EARG,
				"system: output layer has %u columns, the "
				"readout expects %u classes x %u = %u",
				L->n_out, s->p.readout.nclass,
				s->p.readout.cols_per_class,
				readout_ncols(&s->p.readout));
	for (unsigned i = 0; i < SYS_MAX_ROW; i++)
		for (unsigned w = 0; w < SYS_NWORD; w++) {
			uint64_t keep = 0;
			if (i < L->n_in)
				keep = L->n_out >= 64 * (w + 1) ? ~UINT64_C(0)
				       : L->n_out > 64 * w
					       ? (UINT64_C(1)
						  << (L->n_out - 64 * w)) -
							 1
					       : 0;
			if (L->w[i][w] & ~keep)
				return sys_fail(s, SYS_EARG,
						"system: layer %u has weight "
						"bits outside its %u x %u "
						"shape (row %u)",
						l, L->n_in, L->n_out, i);
		}
	return SYS_OK;
}

static int write_layer(sys_t *s, unsigned l, const sys_layer_t *L)
{
	int rc = check_layer(s, l, L);
	if (rc)
		return rc;
	s->net[l] = *L;
	s->loaded[l] = true;
	unsigned chip = s->p.layer_chip[l];
	static const uint64_t zero[SYS_NWORD];
	for (unsigned r = 0; r < s->ndata; r++)
		if ((rc = host_write(s, chip, r, r < L->n_in ? L->w[r] : zero)))
			return rc;
	return s->calibrated ? write_thresholds(s, l) : 0;
}

int sys_load_layer(sys_t *s, unsigned layer, const sys_layer_t *L)
{
	if (!s || !L || layer >= SYS_NLAYER)
		return s ? sys_fail(s, SYS_EARG, "system: no layer %u", layer)
			 : SYS_EARG;
	int sat = write_layer(s, layer, L);
	if (sat < 0)
		return sat;
	int rc = sync(s);
	return rc ? rc : sat;
}

int sys_load_net(sys_t *s, const sys_net_t *net)
{
	if (!s || !net)
		return imc_fail(SYS_EARG, "%s: invalid argument", __func__);
	if (sys_net_check(net))
		return sys_fail(s, SYS_EARG, "system: %s", imc_last_error());
	int sat = 0;
	for (unsigned l = 0; l < SYS_NLAYER; l++) {
		int rc = write_layer(s, l, &net->layer[l]);
		if (rc < 0)
			return rc;
		sat += rc;
	}
	int rc = sync(s);
	return rc ? rc : sat;
}

int sys_calibrate(sys_t *s)
{
	int rc;
	if (!s)
		return imc_fail(SYS_EARG, "%s: invalid argument", __func__);
	if ((rc = s->be->calibrate(s)))
		return rc;
	s->calibrated = true;
	int sat = 0;
	for (unsigned l = 0; l < SYS_NLAYER; l++)
		if (s->loaded[l]) {
			if ((rc = write_thresholds(s, l)) < 0)
				return rc;
			sat += rc;
		}
	rc = sync(s);
	return rc ? rc : sat;
}

int sys_skip_calibration(sys_t *s)
{
	if (!s)
		return imc_fail(SYS_EARG, "%s: invalid argument", __func__);
	/* the FSM's starting point: half of every column's cells at 1 */
	for (unsigned i = 0; i < s->p.nchips; i++)
		for (unsigned c = 0; c < s->ncol; c++)
			s->ncnt[i][c] = (uint8_t)(s->ncomp / 2);
	s->calibrated = true;
	int rc, sat = 0;
	for (unsigned l = 0; l < SYS_NLAYER; l++)
		if (s->loaded[l]) {
			if ((rc = write_thresholds(s, l)) < 0)
				return rc;
			sat += rc;
		}
	rc = sync(s);
	return rc ? rc : sat;
}

unsigned sys_comp_count(const sys_t *s, unsigned chip, unsigned col)
{
	if (chip >= s->p.nchips || col >= s->ncol)
		return 0;
	return s->ncnt[chip][col];
}

int sys_thr_range(const sys_t *s, unsigned layer, unsigned col, int *t_min,
		  int *t_max)
{
	if (layer >= SYS_NLAYER || col >= s->ncol)
		return imc_fail(SYS_EARG, "%s: invalid argument", __func__);
	if (!s->calibrated)
		return imc_fail(SYS_ESTATE, "%s: the system is not calibrated",
				__func__);
	unsigned n = s->ncnt[s->p.layer_chip[layer]][col];
	*t_min = -(int)n;
	*t_max = (int)s->ncomp - (int)n;
	return SYS_OK;
}

/* ---- shared by both levels -------------------------------------------- */

void sys_mask(const uint64_t *dec, unsigned n, uint64_t *out)
{
	for (unsigned w = 0; w < SYS_NWORD; w++) {
		uint64_t keep = n >= 64 * (w + 1) ? ~UINT64_C(0)
				: n > 64 * w ? (UINT64_C(1) << (n - 64 * w)) - 1
					     : 0;
		out[w] = keep ? dec[w] & keep : 0;
	}
}

unsigned sys_layer_output(const struct sys *s, unsigned l, const uint64_t *dec,
			  sys_result_t *r, uint8_t *out)
{
	unsigned n_out = s->net[l].n_out;
	sys_mask(dec, n_out, r->dec[l]);
	if (l + 1 < SYS_NLAYER) {
		normalizer_apply(&s->p.norm[l], r->dec[l], n_out, out);
		return n_out;
	}
	unsigned sc[READOUT_MAX_CLASS];
	readout_scores(&s->p.readout, r->dec[l], sc);
	for (unsigned i = 0; i < s->p.readout.nclass; i++)
		out[i] = (uint8_t)sc[i];
	return s->p.readout.nclass;
}

void sys_host_receive(const struct sys *s, const uint8_t *scores, unsigned n,
		      sys_result_t *r)
{
	for (unsigned i = 0; i < n && i < READOUT_MAX_CLASS; i++)
		r->score[i] = scores[i];
	r->pred = readout_argmax(&s->p.readout, r->score);
}

void sys_finish_result(const struct sys *s, sys_result_t *r)
{
	r->e_bus_j = (double)r->bus_toggles * s->p.bus.e_bit_j;
	double e = 0;
	for (unsigned l = 0; l < SYS_NLAYER; l++)
		e += r->e_chip_j[l];
	r->energy_j = e + r->e_bus_j;
}

int sys_ready(struct sys *s)
{
	for (unsigned l = 0; l < SYS_NLAYER; l++)
		if (!s->loaded[l])
			return sys_fail(s, SYS_ESTATE,
					"system: layer %u has no weights "
					"(sys_load_net first)",
					l);
	if (!s->calibrated)
		return sys_fail(s, SYS_ESTATE,
				"system: not calibrated (sys_calibrate first)");
	return SYS_OK;
}

int sys_infer(sys_t *s, const uint8_t *codes, sys_result_t *res)
{
	return sys_infer_batch(s, 1, codes, res);
}

int sys_infer_batch(sys_t *s, size_t n, const uint8_t *codes, sys_result_t *res)
{
	if (!s || !codes || !res)
		return imc_fail(SYS_EARG, "%s: invalid argument", __func__);
	return s->be->infer_batch(s, n, codes, res);
}
