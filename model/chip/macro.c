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

int macro_params_problem(const macro_params_t *p)
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
		if (imc_param_check_msg(b[k], base[k]))
			return IMC_EINVAL;
	const char *why = comprow_params_problem(&p->comp);
	if (!why)
		why = comparator_params_problem(&p->cmp);
	if (!why && !(p->bl.c_cell_f + p->bl.c_periph_f > 0))
		why = "bitline.c_cell_f + bitline.c_periph_f must be > 0";
	if (why)
		return imc_fail(IMC_EINVAL, "%s", why);
	return 0;
}

int macro_params_check(const macro_params_t *p)
{
	return p && !macro_params_problem(p) ? 0 : -1;
}

double macro_params_c_bl_f(const macro_params_t *p)
{
	return bitline_c_f(&p->bl, p->ndata + p->comp.nrow);
}

double macro_params_lsb_v(const macro_params_t *p)
{
	return p->wldac.i_fs_a / wldac_code_max(&p->wldac) *
	       (double)p->bl.t_wl_ps * 1e-12 / macro_params_c_bl_f(p);
}

typedef struct curve_ctx {
	const array_params_t *a;
	double vg, i0;
} curve_ctx_t;

static double curve_fn(void *ctx, double v)
{
	const curve_ctx_t *k = ctx;
	return array_cell_i_a(k->a, k->vg, v) / k->i0;
}

/* Curve j of a cell whose current at VDD is i_a. */
static void fill_curve(macro_t *m, double i_a, unsigned j)
{
	const macro_params_t *p = &m->p;
	curve_ctx_t k = { &p->array,
			  array_cell_vg_v(&p->array, i_a, p->bl.v_pre_v), 0 };
	k.i0 = array_cell_i_a(&p->array, k.vg, p->bl.v_pre_v);
	bitline_curve_set(&m->curves, j, curve_fn, &k);
}

/* Anchors 1, 2, 4, ... below code_max, then code_max; codes between two
 * anchors are weighted linearly. */
static void build_anchors(macro_t *m)
{
	unsigned cm = wldac_code_max(&m->p.wldac), na = 0;
	for (unsigned x = 1; x < cm; x *= 2)
		m->anchor_code[na++] = x;
	m->anchor_code[na++] = cm;
	m->nanchor = na;
	m->code_lo[0] = 0;
	m->code_w[0] = 0;
	for (unsigned x = 1; x <= cm; x++) {
		unsigned j = 0;
		while (j + 1 < na && m->anchor_code[j + 1] <= x)
			j++;
		m->code_lo[x] = (uint8_t)j;
		m->code_w[x] = j + 1 < na ? (double)(x - m->anchor_code[j]) /
						    (m->anchor_code[j + 1] -
						     m->anchor_code[j])
					  : 0;
	}
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
	m->c_bl_f = bitline_c_f(&p->bl, m->nrow);
	unsigned ncode = wldac_code_max(&p->wldac) + 1, n = p->ncol,
		 nd = p->ndata;
	if (array_init(&m->arr, m->nrow, n, seed, chip) ||
	    comparator_bank_init(&m->cmp, &p->cmp, p->bl.v_pre_v, n, seed,
				 chip) ||
	    bitline_curves_init(&m->curves, MACRO_MAX_CURVE, p->bl.v_pre_v))
		goto fail;
	size_t nrc = (size_t)nd * ncode;
	m->code_lo = malloc(ncode);
	m->code_w = malloc(ncode * sizeof(double));
	m->row_i_a = malloc(nrc * sizeof(double));
	m->row_vf = malloc(nrc * sizeof(double));
	m->mag = calloc(nrc * n, sizeof(double)); /* pages touched lazily */
	m->mag_ok = calloc(nrc, 1);
	m->comp_mag = malloc((size_t)p->comp.nrow * n * sizeof(double));
	m->acc = calloc((size_t)MACRO_MAX_CURVE * 2 * n, sizeof(double));
	m->v_bl_v = calloc(2 * (size_t)n, sizeof(double));
	m->dec = calloc(m->nword, sizeof(uint64_t));
	m->comp_bl_a = calloc(6 * (size_t)n, sizeof(double)); /* + scratch */
	if (!m->code_lo || !m->code_w || !m->row_i_a || !m->row_vf || !m->mag ||
	    !m->mag_ok || !m->comp_mag || !m->acc || !m->v_bl_v || !m->dec ||
	    !m->comp_bl_a)
		goto fail;
	m->comp_blb_a = m->comp_bl_a + n;
	m->cal_bl_a = m->comp_bl_a + 2 * n;
	m->cal_blb_a = m->comp_bl_a + 3 * n;
	m->v_blb_v = m->v_bl_v + n;
	m->comp_ok = false;
	m->v0_v = p->bl.v_pre_v;
	for (unsigned c = 0; c < n; c++)
		m->v_bl_v[c] = m->v_blb_v[c] = p->bl.v_pre_v;
	for (unsigned r = 0; r < nd; r++) {
		double d = wldac_row_gain(&p->wldac, seed, chip, r);
		for (unsigned x = 0; x < ncode; x++) {
			double i = wldac_current_a(&p->wldac, x, d);
			m->row_i_a[(size_t)r * ncode + x] = i;
			m->row_vf[(size_t)r * ncode + x] =
				i > 0 ? array_cell_vf(&p->array, i) : 0;
		}
	}
	build_anchors(m);
	for (unsigned j = 0; j < m->nanchor; j++)
		fill_curve(m, wldac_current_a(&p->wldac, m->anchor_code[j], 0),
			   j);
	/* the compensation cells: their own DAC, their own curve */
	array_params_t ca = p->array;
	ca.sig_vt_v *= p->comp.mismatch_scale;
	if (p->comp.i_comp_a > 0) {
		fill_curve(m, p->comp.i_comp_a, m->nanchor);
		double vf = array_cell_vf(&p->array, p->comp.i_comp_a);
		for (unsigned r = 0; r < p->comp.nrow; r++)
			array_row_mag(&ca, &m->arr, nd + r, p->comp.i_comp_a,
				      vf, m->comp_mag + (size_t)r * n);
	} else {
		memset(m->comp_mag, 0,
		       (size_t)p->comp.nrow * n * sizeof(double));
	}
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
	bitline_curves_free(&m->curves);
	free(m->code_lo);
	free(m->code_w);
	free(m->row_i_a);
	free(m->row_vf);
	free(m->mag);
	free(m->mag_ok);
	free(m->comp_mag);
	free(m->acc);
	free(m->v_bl_v);
	free(m->dec);
	free(m->comp_bl_a);
	memset(m, 0, sizeof(*m));
}

int macro_write_row(macro_t *m, unsigned row, const uint64_t *data)
{
	if (array_write_row(&m->arr, row, data))
		return -1;
	if (row >= m->p.ndata)
		m->comp_ok = false;
	energy_add_write(&m->energy, &m->p.bl, m->c_bl_f, m->p.ncol);
	return 0;
}

int macro_read_row(macro_t *m, unsigned row, uint64_t *data)
{
	if (array_read_row(&m->arr, row, data))
		return -1;
	energy_add_read(&m->energy, &m->p.energy, &m->p.bl, m->c_bl_f,
			m->p.ncol);
	return 0;
}

/* Compensation line sums (all rows; without row nrow-1), cached. */
static void comp_sums(macro_t *m)
{
	unsigned n = m->p.ncol, nr = m->p.comp.nrow;
	if (m->comp_ok)
		return;
	memset(m->comp_bl_a, 0, 4 * (size_t)n * sizeof(double));
	double *bl = m->comp_bl_a + 4 * (size_t)n, *blb = bl + n; /* scratch */
	for (unsigned r = 0; r < nr; r++) {
		array_row_split(&m->arr, m->p.ndata + r,
				m->comp_mag + (size_t)r * n, bl, blb);
		if (r + 1 < nr)
			array_add_lines(n, 1, bl, blb, m->cal_bl_a,
					m->cal_blb_a);
		array_add_lines(n, 1, bl, blb, m->comp_bl_a, m->comp_blb_a);
	}
	m->comp_ok = true;
}

static void use_curve(macro_t *m, unsigned j)
{
	for (unsigned i = 0; i < m->nact; i++)
		if (m->act[i] == j)
			return;
	memset(m->acc + (size_t)j * 2 * m->p.ncol, 0,
	       2 * (size_t)m->p.ncol * sizeof(double));
	m->act[m->nact++] = j;
}

/* Per-curve line amplitudes for codes / compensation mode (0 off, 1 on,
 * 2 calibration: row nrow-1 off) into m->acc, m->act; returns the number
 * of active wordlines, or -1 for a code out of range. */
static int line_amps(macro_t *m, const uint8_t *codes, int comp)
{
	const macro_params_t *p = &m->p;
	unsigned ncode = wldac_code_max(&p->wldac) + 1, n = p->ncol;
	int n_wl = 0;
	if (codes)
		for (unsigned r = 0; r < p->ndata; r++)
			if (codes[r] >= ncode)
				return -1;
	m->nact = 0;
	if (comp && p->comp.i_comp_a > 0) {
		comp_sums(m);
		unsigned j = m->nanchor;
		use_curve(m, j);
		double *a = m->acc + (size_t)j * 2 * n;
		memcpy(a, comp == 2 ? m->cal_bl_a : m->comp_bl_a,
		       n * sizeof(double));
		memcpy(a + n, comp == 2 ? m->cal_blb_a : m->comp_blb_a,
		       n * sizeof(double));
		n_wl += (int)p->comp.nrow - (comp == 2);
	}
	for (unsigned r = 0; codes && r < p->ndata; r++) {
		unsigned x = codes[r];
		if (x == 0)
			continue;
		unsigned j = m->code_lo[x];
		double w = m->code_w[x];
		use_curve(m, j);
		if (w > 0)
			use_curve(m, j + 1);
		double *a0 = m->acc + (size_t)j * 2 * n;
		double *a1 = m->acc + (size_t)(j + 1) * 2 * n;
		size_t k = (size_t)r * ncode + x;
		double *mg = m->mag + k * n;
		if (!m->mag_ok[k]) {
			array_row_mag(&p->array, &m->arr, r, m->row_i_a[k],
				      m->row_vf[k], mg);
			m->mag_ok[k] = 1;
		}
		if (w > 0)
			array_add_masked2(&m->arr, r, 1 - w, w, mg, a0, a0 + n,
					  a1, a1 + n);
		else
			array_add_masked(&m->arr, r, 1, mg, a0, a0 + n);
		n_wl++;
	}
	return n_wl;
}

static int drive(macro_t *m, const uint8_t *codes, int comp, double v0)
{
	int n = line_amps(m, codes, comp);
	if (n < 0)
		return -1;
	m->n_wl = (unsigned)n;
	m->v0_v = v0;
	return 0;
}

int macro_drive(macro_t *m, const uint8_t *codes, bool comp_on)
{
	return drive(m, codes, comp_on ? 1 : 0, m->p.bl.v_pre_v);
}

double macro_pre_v(const macro_t *m, unsigned pre_code)
{
	return m->p.bl.v_pre_v * (1 - (double)pre_code / (1u << CALIB_OP_BITS));
}

int macro_drive_cal(macro_t *m, unsigned pre_code)
{
	if (pre_code >= (1u << CALIB_OP_BITS))
		return -1;
	return drive(m, NULL, 2, macro_pre_v(m, pre_code));
}

/* End voltages of column c's two lines after t_s. */
static void col_v(const macro_t *m, const double *acc, unsigned nact,
		  const unsigned *act, unsigned c, double v0, double t_s,
		  double *vb, double *vbb)
{
	unsigned n = m->p.ncol;
	double ab[MACRO_MAX_CURVE], abb[MACRO_MAX_CURVE];
	for (unsigned i = 0; i < nact; i++) {
		const double *a = acc + (size_t)act[i] * 2 * n;
		ab[i] = a[c];
		abb[i] = a[n + c];
	}
	*vb = bitline_v(&m->curves, nact, act, ab, v0, m->c_bl_f, t_s,
			m->p.bl.rk_steps);
	*vbb = bitline_v(&m->curves, nact, act, abb, v0, m->c_bl_f, t_s,
			 m->p.bl.rk_steps);
}

void macro_line_v(const macro_t *m, unsigned col, double t_s, double *v_bl,
		  double *v_blb)
{
	col_v(m, m->acc, m->nact, m->act, col, m->v0_v, t_s, v_bl, v_blb);
}

/* The lines of LINE_COLS columns make one bitline_vn() call: BL of
 * columns c.. in the lower half of the lanes, their BLB in the upper. */
#define LINE_COLS (BITLINE_LANES / 2)
_Static_assert(MACRO_MAX_CURVE <= BITLINE_MAX_ACT, "curves of one line");

/* End voltages of columns c..c+LINE_COLS-1 (all < ncol). */
static void cols_v(macro_t *m, unsigned c, double t_s)
{
	unsigned n = m->p.ncol;
	double amp[BITLINE_LANES * MACRO_MAX_CURVE], v[BITLINE_LANES];
	for (unsigned i = 0; i < m->nact; i++) {
		const double *a = m->acc + (size_t)m->act[i] * 2 * n;
		double *o = amp + BITLINE_LANES * i;
		memcpy(o, a + c, LINE_COLS * sizeof(double));
		memcpy(o + LINE_COLS, a + n + c, LINE_COLS * sizeof(double));
	}
	(void)bitline_vn(&m->curves, m->nact, m->act, amp, m->v0_v, m->c_bl_f,
			 t_s, m->p.bl.rk_steps,
			 v); /* nact <= MACRO_MAX_CURVE */
	memcpy(m->v_bl_v + c, v, LINE_COLS * sizeof(double));
	memcpy(m->v_blb_v + c, v + LINE_COLS, LINE_COLS * sizeof(double));
}

/* Every column's end voltages into m->v_bl_v, m->v_blb_v. */
static void lines_v(macro_t *m, double t_s)
{
	unsigned n = m->p.ncol, c = 0;
	for (; c + LINE_COLS <= n; c += LINE_COLS)
		cols_v(m, c, t_s);
	for (; c < n; c++)
		col_v(m, m->acc, m->nact, m->act, c, m->v0_v, t_s,
		      &m->v_bl_v[c], &m->v_blb_v[c]);
}

void macro_strobe(macro_t *m, uint64_t *dec)
{
	const macro_params_t *p = &m->p;
	double droop = 0;
	double t_s = (double)p->bl.t_wl_ps * 1e-12;
	double bound = 9.0 * p->cmp.noise_sigma_v;
	memset(m->dec, 0, m->nword * sizeof(uint64_t));
	lines_v(m, t_s);
	for (unsigned c = 0; c < p->ncol; c++) {
		double vb = m->v_bl_v[c], vbb = m->v_blb_v[c];
		droop += 2 * m->v0_v - vb - vbb;
		if (0.5 * (vb + vbb) < p->cmp.v_cm_min_v)
			m->n_cm_low++;
		double v = comparator_input_v(&m->cmp, &p->cmp, c, vb, vbb);
		bool d = v > bound ||
			 (v >= -bound &&
			  comparator_decide(&m->cmp, &p->cmp, m->seed, m->chip,
					    c, m->op, vb, vbb));
		if (d)
			m->dec[c / 64] |= UINT64_C(1) << (c % 64);
	}
	energy_add_compare(&m->energy, &p->energy, &p->bl, m->c_bl_f, droop,
			   m->n_wl, p->ncol);
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

int macro_compare_cal(macro_t *m, unsigned pre_code, uint64_t *dec)
{
	if (macro_drive_cal(m, pre_code))
		return -1;
	macro_strobe(m, dec);
	return 0;
}

int macro_set_cal_point(macro_t *m, unsigned pre_code)
{
	if (pre_code >= (1u << CALIB_OP_BITS))
		return -1;
	m->cal_pre = pre_code;
	return 0;
}

/* The driven operation's line state, saved around analysis calls. */
typedef struct drive_state {
	unsigned n_wl, nact;
	unsigned act[MACRO_MAX_CURVE];
	double v0;
	double *acc;
} drive_state_t;

static int save_drive(macro_t *m, drive_state_t *s)
{
	size_t sz = (size_t)MACRO_MAX_CURVE * 2 * m->p.ncol * sizeof(double);
	s->acc = malloc(sz);
	if (!s->acc)
		return -1;
	memcpy(s->acc, m->acc, sz);
	s->n_wl = m->n_wl;
	s->nact = m->nact;
	memcpy(s->act, m->act, sizeof s->act);
	s->v0 = m->v0_v;
	return 0;
}

static void restore_drive(macro_t *m, drive_state_t *s)
{
	memcpy(m->acc, s->acc,
	       (size_t)MACRO_MAX_CURVE * 2 * m->p.ncol * sizeof(double));
	m->n_wl = s->n_wl;
	m->nact = s->nact;
	memcpy(m->act, s->act, sizeof s->act);
	m->v0_v = s->v0;
	free(s->acc);
}

int macro_input_v(macro_t *m, const uint8_t *codes, bool comp_on, double *out)
{
	const macro_params_t *p = &m->p;
	drive_state_t s;
	if (save_drive(m, &s))
		return -1;
	if (drive(m, codes, comp_on ? 1 : 0, p->bl.v_pre_v) < 0) {
		restore_drive(m, &s);
		return -1;
	}
	double t_s = (double)p->bl.t_wl_ps * 1e-12;
	for (unsigned c = 0; c < p->ncol; c++) {
		double vb, vbb;
		col_v(m, m->acc, m->nact, m->act, c, m->v0_v, t_s, &vb, &vbb);
		out[c] = comparator_input_v(&m->cmp, &p->cmp, c, vb, vbb);
	}
	restore_drive(m, &s);
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
	/* Generous bound: writes + 5 steps * (req + latency + writes). */
	uint64_t limit = 64 + 16 * ((uint64_t)lat_cycles + 2 * cp.nrow + 2);
	for (uint64_t t = 0; t < limit; t++) {
		calib_in_t in = { 0 };
		calib_outputs(&c, NULL, &o);
		in.start = (t == 0);
		in.op_we = (t == 0);
		in.op_code = m->cal_pre;
		in.cmp_valid = (t == valid_at);
		in.cmp_dec = dec;
		if (o.row_we &&
		    macro_write_row(m, m->p.ndata + o.row_addr, o.row_data))
			return -1;
		if (o.cmp_req) {
			if (macro_compare_cal(m, o.cmp_pre, dec))
				return -1;
			valid_at = t + lat_cycles;
		}
		int before = calib_state(&c);
		calib_clock(&c, &in);
		if (fn && before == CALIB_WAIT && calib_state(&c) != CALIB_WAIT)
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
