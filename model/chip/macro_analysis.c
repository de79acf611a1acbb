/* macro_analysis.c - the macro's analysis side: residual offsets, the
 * nominal compensation step, the layer's nominal common mode and the
 * calibration operating point that matches it (macro.h). None of it
 * touches the operation counter, the energy or the driven operation. */
#include "chip/macro.h"

#include <math.h>
#include <string.h>

int macro_offset_counts_v(macro_t *m, const uint8_t *n_c, double *out)
{
	const macro_params_t *p = &m->p;
	unsigned n = p->ncol, j = m->nanchor, act[1] = { j };
	double t_s = (double)p->bl.t_wl_ps * 1e-12;
	double v0 = macro_pre_v(m, m->cal_pre);
	for (unsigned c = 0; c < n; c++) {
		double ib = 0, ibb = 0;
		for (unsigned r = 0; r < p->comp.nrow; r++) {
			double i = m->comp_mag[(size_t)r * n + c];
			if (r < n_c[c])
				ibb += i;
			else
				ib += i;
		}
		double vb = bitline_v(&m->curves, 1, act, &ib, v0, m->c_bl_f,
				      t_s, p->bl.rk_steps);
		double vbb = bitline_v(&m->curves, 1, act, &ibb, v0, m->c_bl_f,
				       t_s, p->bl.rk_steps);
		out[c] = comparator_input_v(&m->cmp, &p->cmp, c, vb, vbb);
	}
	return 0;
}

/* Nominal end voltage of a line carrying k compensation cells from v0. */
static double comp_line_v(const macro_t *m, double k, double v0)
{
	unsigned act[1] = { m->nanchor };
	double a = k * m->p.comp.i_comp_a;
	return bitline_v(&m->curves, 1, act, &a, v0, m->c_bl_f,
			 (double)m->p.bl.t_wl_ps * 1e-12, m->p.bl.rk_steps);
}

double macro_comp_step_v(macro_t *m)
{
	double h = m->p.comp.nrow / 2, v0 = macro_pre_v(m, m->cal_pre);
	/* n_c = h-1: BL carries h+1 cells, BLB h-1; n_c = h+1: the reverse. */
	return comp_line_v(m, h - 1, v0) - comp_line_v(m, h + 1, v0);
}

double macro_nominal_cm_v(macro_t *m, const double *x)
{
	const macro_params_t *p = &m->p;
	unsigned n = p->ncol, cm = wldac_code_max(&p->wldac);
	unsigned act[MACRO_MAX_CURVE];
	double ab[MACRO_MAX_CURVE], abb[MACRO_MAX_CURVE], sum = 0;
	double t_s = (double)p->bl.t_wl_ps * 1e-12;
	unsigned na = m->nanchor + 1;
	for (unsigned j = 0; j < na; j++)
		act[j] = j;
	for (unsigned c = 0; c < n; c++) {
		memset(ab, 0, sizeof ab);
		memset(abb, 0, sizeof abb);
		ab[m->nanchor] = abb[m->nanchor] =
			p->comp.nrow / 2 * p->comp.i_comp_a;
		for (unsigned r = 0; x && r < p->ndata; r++) {
			double xr = x[r] < 0 ? 0 : x[r] > cm ? cm : x[r];
			if (xr <= 0)
				continue;
			/* a real code: between its two integer codes */
			unsigned x0 = (unsigned)xr;
			double f = xr - x0;
			double i0 = wldac_current_a(&p->wldac, x0, 0);
			double i1 =
				x0 < cm ? wldac_current_a(&p->wldac, x0 + 1, 0)
					: i0;
			double i = (1 - f) * i0 + f * i1;
			unsigned xc = x0 < cm && f >= 0.5 ? x0 + 1 : x0;
			if (xc == 0)
				xc = 1;
			unsigned j = m->code_lo[xc];
			double w = m->code_w[xc];
			double *side = array_bit(&m->arr, r, c) ? abb : ab;
			side[j] += (1 - w) * i;
			if (w > 0)
				side[j + 1] += w * i;
		}
		double vb = bitline_v(&m->curves, na, act, ab, p->bl.v_pre_v,
				      m->c_bl_f, t_s, p->bl.rk_steps);
		double vbb = bitline_v(&m->curves, na, act, abb, p->bl.v_pre_v,
				       m->c_bl_f, t_s, p->bl.rk_steps);
		sum += 0.5 * (vb + vbb);
	}
	return sum / n;
}

unsigned macro_cal_point_for(macro_t *m, double v_cm_v)
{
	double h = m->p.comp.nrow / 2, best = INFINITY;
	unsigned code = 0;
	for (unsigned k = 0; k < (1u << CALIB_OP_BITS); k++) {
		double v0 = macro_pre_v(m, k);
		double cm = comp_line_v(m, h, v0); /* both lines alike */
		double e = fabs(cm - v_cm_v);
		if (e < best) {
			best = e;
			code = k;
		}
	}
	return code;
}
