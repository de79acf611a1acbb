/* macro.c - analog macro and transaction-level path; see macro.h. */
#include "chip/macro.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

IMC_PARAM_BLOCK_DEFINE(macro_param_block, MACRO_SECTION, macro_params_t,
		       MACRO_PARAMS);

void macro_params_default(macro_params_t *p)
{
	imc_param_defaults(&macro_param_block, p);
	wldac_params_default(&p->wldac);
	array_params_default(&p->array);
	bitline_params_default(&p->bl);
	comparator_params_default(&p->cmp);
	comprow_params_default(&p->comp);
	energy_params_default(&p->energy);
}

int macro_params_problem(const macro_params_t *p, imc_msg_t *m)
{
	const imc_param_block_t *b[] = {
		&macro_param_block,	 &wldac_param_block,
		&array_param_block,	 &bitline_param_block,
		&comparator_param_block, &comprow_param_block,
		&energy_param_block,
	};
	const void *base[] = { p,	&p->wldac, &p->array, &p->bl,
			       &p->cmp, &p->comp,  &p->energy };
	for (size_t k = 0; k < sizeof(b) / sizeof(b[0]); k++)
		if (imc_param_check_msg(b[k], base[k], m))
			return -1;
	const char *why = comprow_params_problem(&p->comp);
	if (why)
		return imc_msgf(m, "%s", why);
	return 0;
}

int macro_params_check(const macro_params_t *p)
{
	return p && !macro_params_problem(p, NULL) ? 0 : -1;
}

int macro_init(macro_t *m, const macro_params_t *p, uint64_t seed,
	       unsigned chip)
{
	memset(m, 0, sizeof(*m));
	if (macro_params_check(p))
		return -1;
	m->p = *p;
	m->seed = seed;
	m->chip = chip;
	m->nrow = p->ndata + p->comp.nrow;
	m->nword = (p->ncol + 63) / 64;
	unsigned ncode = wldac_code_max(&p->wldac) + 1, n = p->ncol;
	if (array_init(&m->arr, m->nrow, n, seed, chip) ||
	    comparator_bank_init(&m->cmp, &p->cmp, p->bl.v_pre_v, n, seed,
				 chip))
		goto fail;
	m->row_i_a = malloc((size_t)p->ndata * ncode * sizeof(double));
	m->code_sig = malloc(ncode * sizeof(double));
	m->i_bl_a = calloc(4 * (size_t)n, sizeof(double));
	m->dec = calloc(m->nword, sizeof(uint64_t));
	m->row_bl_a = malloc(2 * (size_t)p->ndata * n * sizeof(double));
	m->row_code = malloc(p->ndata * sizeof(uint16_t));
	m->comp_bl_a = calloc(2 * (size_t)n, sizeof(double));
	if (!m->row_i_a || !m->code_sig || !m->i_bl_a || !m->dec ||
	    !m->row_bl_a || !m->row_code || !m->comp_bl_a)
		goto fail;
	m->row_blb_a = m->row_bl_a + (size_t)p->ndata * n;
	m->comp_blb_a = m->comp_bl_a + n;
	for (unsigned r = 0; r < p->ndata; r++)
		m->row_code[r] = MACRO_CODE_STALE;
	m->comp_ok = false;
	m->i_blb_a = m->i_bl_a + n;
	m->v_bl_v = m->i_bl_a + 2 * n;
	m->v_blb_v = m->i_bl_a + 3 * n;
	for (unsigned c = 0; c < n; c++)
		m->v_bl_v[c] = m->v_blb_v[c] = p->bl.v_pre_v;
	for (unsigned r = 0; r < p->ndata; r++) {
		double d = wldac_row_gain(&p->wldac, seed, chip, r);
		for (unsigned x = 0; x < ncode; x++)
			m->row_i_a[(size_t)r * ncode + x] =
				wldac_current_a(&p->wldac, x, d);
	}
	for (unsigned x = 0; x < ncode; x++)
		m->code_sig[x] = array_sigma_rel(
			&p->array, (double)x / wldac_code_max(&p->wldac));
	m->comp_sig =
		p->comp.mismatch_scale *
		array_sigma_rel(&p->array, p->comp.i_comp_a / p->wldac.i_fs_a);
	energy_reset(&m->energy);
	return 0;
fail:
	macro_free(m);
	return -1;
}

void macro_free(macro_t *m)
{
	array_free(&m->arr);
	comparator_bank_free(&m->cmp);
	free(m->row_i_a);
	free(m->code_sig);
	free(m->i_bl_a);
	free(m->dec);
	free(m->row_bl_a);
	free(m->row_code);
	free(m->comp_bl_a);
	memset(m, 0, sizeof(*m));
}

int macro_write_row(macro_t *m, unsigned row, const uint64_t *data)
{
	if (array_write_row(&m->arr, row, data))
		return -1;
	if (row < m->p.ndata)
		m->row_code[row] = MACRO_CODE_STALE;
	else
		m->comp_ok = false;
	energy_add_write(&m->energy, &m->p.bl, m->p.ncol);
	return 0;
}

int macro_read_row(macro_t *m, unsigned row, uint64_t *data)
{
	if (array_read_row(&m->arr, row, data))
		return -1;
	energy_add_read(&m->energy, &m->p.energy, &m->p.bl, m->p.ncol);
	return 0;
}

/* Line currents for codes / comp_on into i_bl, i_blb; returns the number of
 * active wordlines, or -1 for a code out of range. Compensation rows first
 * (cached sums), then the active data rows in order (cached per code). */
static int line_currents(macro_t *m, const uint8_t *codes, bool comp_on,
			 double *i_bl, double *i_blb)
{
	const macro_params_t *p = &m->p;
	unsigned ncode = wldac_code_max(&p->wldac) + 1, n = p->ncol;
	int n_wl = 0;
	if (codes)
		for (unsigned r = 0; r < p->ndata; r++)
			if (codes[r] >= ncode)
				return -1;
	if (comp_on && p->comp.i_comp_a > 0) {
		if (!m->comp_ok) {
			memset(m->comp_bl_a, 0, 2 * (size_t)n * sizeof(double));
			for (unsigned r = 0; r < p->comp.nrow; r++)
				array_accumulate(&m->arr, p->ndata + r,
						 p->comp.i_comp_a, m->comp_sig,
						 m->comp_bl_a, m->comp_blb_a);
			m->comp_ok = true;
		}
		memcpy(i_bl, m->comp_bl_a, n * sizeof(double));
		memcpy(i_blb, m->comp_blb_a, n * sizeof(double));
		n_wl += (int)p->comp.nrow;
	} else {
		memset(i_bl, 0, n * sizeof(double));
		memset(i_blb, 0, n * sizeof(double));
	}
	for (unsigned r = 0; codes && r < p->ndata; r++) {
		unsigned x = codes[r];
		if (x == 0)
			continue;
		double *cb = m->row_bl_a + (size_t)r * n;
		double *cbb = m->row_blb_a + (size_t)r * n;
		if (m->row_code[r] != x) {
			array_row_currents(&m->arr, r,
					   m->row_i_a[(size_t)r * ncode + x],
					   m->code_sig[x], cb, cbb);
			m->row_code[r] = (uint16_t)x;
		}
		array_add_lines(n, cb, cbb, i_bl, i_blb);
		n_wl++;
	}
	return n_wl;
}

int macro_drive(macro_t *m, const uint8_t *codes, bool comp_on)
{
	int n = line_currents(m, codes, comp_on, m->i_bl_a, m->i_blb_a);
	if (n < 0)
		return -1;
	m->n_wl = (unsigned)n;
	return 0;
}

void macro_line_v(const macro_t *m, unsigned col, double t_s, double *v_bl,
		  double *v_blb)
{
	const bitline_params_t *bl = &m->p.bl;
	*v_bl = bitline_v(bl, bl->v_pre_v, m->i_bl_a[col], t_s);
	*v_blb = bitline_v(bl, bl->v_pre_v, m->i_blb_a[col], t_s);
}

/* bitline_v_end() with its constant factor hoisted out of the column
 * loop: the same operations in the same order, so the same bits (a test in
 * tests/test_system_blocks.c holds the two together). */
static double line_v_end(const bitline_params_t *bl, double k, double t_s,
			 double i_a)
{
	double a = bl->v_pre_v / bl->v_k_v;
	double tau = i_a * t_s / (bl->c_bl_f * bl->v_k_v);
	double d = a - tau;
	if (d > 0)
		return bl->v_k_v * (d + log(exp(-d) + k));
	return bl->v_k_v * log1p(exp(d) * k);
}

void macro_strobe(macro_t *m, uint64_t *dec)
{
	const macro_params_t *p = &m->p;
	const bitline_params_t *bl = &p->bl;
	double droop = 0;
	double k = -expm1(-(bl->v_pre_v / bl->v_k_v));
	double t_s = (double)bl->t_wl_ps * 1e-12;
	double bound = 9.0 * p->cmp.noise_sigma_v;
	memset(m->dec, 0, m->nword * sizeof(uint64_t));
	for (unsigned c = 0; c < p->ncol; c++) {
		double vb = line_v_end(bl, k, t_s, m->i_bl_a[c]);
		double vbb = line_v_end(bl, k, t_s, m->i_blb_a[c]);
		m->v_bl_v[c] = vb;
		m->v_blb_v[c] = vbb;
		droop += 2 * bl->v_pre_v - vb - vbb;
		double v = comparator_input_v(&m->cmp, &p->cmp, c, vb, vbb);
		bool d = v > bound ||
			 (v >= -bound &&
			  comparator_decide(&m->cmp, &p->cmp, m->seed, m->chip,
					    c, m->op, vb, vbb));
		if (d)
			m->dec[c / 64] |= UINT64_C(1) << (c % 64);
	}
	energy_add_compare(&m->energy, &p->energy, &p->bl, droop, m->n_wl,
			   p->ncol);
	m->op++;
	if (dec)
		memcpy(dec, m->dec, m->nword * sizeof(uint64_t));
}

int macro_compare(macro_t *m, const uint8_t *codes, bool comp_on, uint64_t *dec)
{
	if (macro_drive(m, codes, comp_on))
		return -1;
	macro_strobe(m, dec);
	return 0;
}

int macro_input_v(macro_t *m, const uint8_t *codes, bool comp_on, double *out)
{
	const macro_params_t *p = &m->p;
	double *tmp = malloc(2 * (size_t)p->ncol * sizeof(double));
	if (!tmp)
		return -1;
	if (line_currents(m, codes, comp_on, tmp, tmp + p->ncol) < 0) {
		free(tmp);
		return -1;
	}
	for (unsigned c = 0; c < p->ncol; c++)
		out[c] = comparator_input_v(
			&m->cmp, &p->cmp, c, bitline_v_end(&p->bl, tmp[c]),
			bitline_v_end(&p->bl, tmp[p->ncol + c]));
	free(tmp);
	return 0;
}

int macro_calibrate(macro_t *m, unsigned lat_cycles, calib_t *cal,
		    uint64_t *cycles)
{
	return macro_calibrate_observed(m, lat_cycles, cal, cycles, NULL, NULL);
}

int macro_calibrate_observed(macro_t *m, unsigned lat_cycles, calib_t *cal,
			     uint64_t *cycles, macro_calib_step_fn fn,
			     void *ctx)
{
	unsigned steps = 0;
	calib_t c;
	calib_params_t cp = { .ncol = m->p.ncol, .nrow = m->p.comp.nrow };
	if (lat_cycles == 0 || calib_init(&c, &cp))
		return -1;
	calib_out_t o;
	uint64_t dec[CALIB_MAX_COL / 64] = { 0 };
	uint64_t valid_at = UINT64_MAX;
	/* Generous bound: writes + 4 steps * (req + latency + writes). */
	uint64_t limit = 64 + 16 * ((uint64_t)lat_cycles + 2 * cp.nrow + 2);
	for (uint64_t t = 0; t < limit; t++) {
		calib_in_t in = { 0 };
		calib_outputs(&c, NULL, &o);
		in.start = (t == 0);
		in.cmp_valid = (t == valid_at);
		in.cmp_dec = dec;
		if (o.row_we &&
		    macro_write_row(m, m->p.ndata + o.row_addr, o.row_data))
			return -1;
		if (o.cmp_req) {
			if (macro_compare(m, NULL, true, dec))
				return -1;
			valid_at = t + lat_cycles;
		}
		int before = calib_state(&c);
		calib_clock(&c, &in);
		if (fn && before == CALIB_WAIT &&
		    calib_state(&c) == CALIB_WRITE)
			fn(ctx, &c, ++steps);
		if (calib_state(&c) == CALIB_DONE) {
			if (cal)
				*cal = c;
			if (cycles)
				*cycles = t;
			return 0;
		}
	}
	return -1;
}

int macro_offset_counts_v(macro_t *m, const uint8_t *n_c, double *out)
{
	const macro_params_t *p = &m->p;
	unsigned n = p->ncol;
	double *tmp = calloc(2 * (size_t)n, sizeof(double));
	if (!tmp)
		return -1;
	double k = p->comp.i_comp_a * m->comp_sig;
	for (unsigned r = 0; r < p->comp.nrow; r++) {
		const double *z = m->arr.z + (size_t)(p->ndata + r) * n;
		for (unsigned c = 0; c < n; c++) {
			double i = p->comp.i_comp_a + k * z[c];
			i = i > 0 ? i : 0;
			if (r < n_c[c])
				tmp[n + c] += i;
			else
				tmp[c] += i;
		}
	}
	for (unsigned c = 0; c < n; c++)
		out[c] = comparator_input_v(&m->cmp, &p->cmp, c,
					    bitline_v_end(&p->bl, tmp[c]),
					    bitline_v_end(&p->bl, tmp[n + c]));
	free(tmp);
	return 0;
}
