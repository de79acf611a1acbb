/* bitline.c - line ODE over tabulated cell curves; see bitline.h. */
#include "chip/bitline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

IMC_PARAM_BLOCK_DEFINE(bitline_param_block, BITLINE_SECTION, bitline_params_t,
		       BITLINE_PARAMS);

void bitline_params_default(bitline_params_t *p)
{
	imc_param_defaults(&bitline_param_block, p);
}

int bitline_params_check(const bitline_params_t *p)
{
	if (!p || imc_param_check(&bitline_param_block, p) ||
	    !(p->c_cell_f + p->c_periph_f > 0))
		return -1;
	return 0;
}

double bitline_c_f(const bitline_params_t *p, unsigned nrow)
{
	return p->c_cell_f * nrow + p->c_periph_f;
}

int bitline_curves_init(bitline_curves_t *bc, unsigned ncurve, double vdd_v)
{
	memset(bc, 0, sizeof(*bc));
	if (ncurve == 0 || !(vdd_v > 0))
		return -1;
	size_t ng = (size_t)ncurve * (BITLINE_NGRID + 1);
	bc->f = calloc(2 * ng + (size_t)ncurve * (BITLINE_NINV + 1),
		       sizeof(double));
	if (!bc->f)
		return -1;
	bc->phi = bc->f + ng;
	bc->vinv = bc->f + 2 * ng;
	bc->ncurve = ncurve;
	bc->vdd_v = vdd_v;
	bc->inv_h = BITLINE_NGRID / vdd_v;
	return 0;
}

void bitline_curves_free(bitline_curves_t *bc)
{
	free(bc->f);
	memset(bc, 0, sizeof(*bc));
}

double bitline_grid_v(const bitline_curves_t *bc, unsigned k)
{
	return bc->vdd_v * k / BITLINE_NGRID;
}

double *bitline_curve(bitline_curves_t *bc, unsigned j)
{
	return bc->f + (size_t)j * (BITLINE_NGRID + 1);
}

double bitline_f(const bitline_curves_t *bc, unsigned j, double v)
{
	const double *f = bc->f + (size_t)j * (BITLINE_NGRID + 1);
	double x = v * bc->inv_h;
	if (!(x > 0))
		return 0;
	if (x >= BITLINE_NGRID)
		return f[BITLINE_NGRID] +
		       (f[BITLINE_NGRID] - f[BITLINE_NGRID - 1]) *
			       (x - BITLINE_NGRID);
	unsigned k = (unsigned)x;
	double a = x - k;
	return f[k] + a * (f[k + 1] - f[k]);
}

void bitline_curve_set(bitline_curves_t *bc, unsigned j,
		       double (*fn)(void *ctx, double v), void *ctx)
{
	double *f = bitline_curve(bc, j);
	double *phi = bc->phi + (size_t)j * (BITLINE_NGRID + 1);
	double h = bc->vdd_v / BITLINE_NGRID;
	for (unsigned k = 0; k <= BITLINE_NGRID; k++)
		f[k] = k ? fn(ctx, bitline_grid_v(bc, k)) : 0;
	phi[BITLINE_NGRID] = 0;
	const unsigned m = 16; /* Simpson sub-intervals (even) */
	for (unsigned k = BITLINE_NGRID; k-- > 1;) {
		double a = bitline_grid_v(bc, k), s = 0, d = h / m;
		for (unsigned i = 0; i <= m; i++) {
			double w = i == 0 || i == m ? 1 : (i % 2 ? 4 : 2);
			s += w / fn(ctx, a + i * d);
		}
		phi[k] = phi[k + 1] + s * d / 3;
	}
	phi[0] = (double)INFINITY; /* f ~ V near 0: Phi diverges like log */
	/* the inverse on a uniform u grid over [0, Phi(v_1)] */
	double *vi = bc->vinv + (size_t)j * (BITLINE_NINV + 1);
	unsigned k = BITLINE_NGRID;
	for (unsigned i = 0; i <= BITLINE_NINV; i++) {
		double u = phi[1] * i / BITLINE_NINV;
		while (k > 1 && phi[k - 1] < u)
			k--;
		/* phi[k-1] >= u >= phi[k] */
		double a = k < 1 || phi[k - 1] == phi[k]
				   ? 0
				   : (phi[k - 1] - u) / (phi[k - 1] - phi[k]);
		vi[i] = i == BITLINE_NINV ? bitline_grid_v(bc, 1)
					  : (k - 1 + a) / bc->inv_h;
	}
}

/* u = Phi_j(v) and its inverse, interpolated; below the first grid point
 * f is taken as linear in V, so Phi = Phi_1 + (v_1 / f_1) ln(v_1 / v). */
static double phi_of(const bitline_curves_t *bc, unsigned j, double v)
{
	const double *phi = bc->phi + (size_t)j * (BITLINE_NGRID + 1);
	const double *f = bc->f + (size_t)j * (BITLINE_NGRID + 1);
	double x = v * bc->inv_h;
	if (x >= BITLINE_NGRID)
		return (BITLINE_NGRID - x) / (bc->inv_h * f[BITLINE_NGRID]);
	if (x < 1) {
		double v1 = 1 / bc->inv_h;
		return x > 0 ? phi[1] + v1 / f[1] * log(1 / x)
			     : (double)INFINITY;
	}
	unsigned k = (unsigned)x;
	double a = x - k;
	return phi[k] + a * (phi[k + 1] - phi[k]);
}

static double phi_inv(const bitline_curves_t *bc, unsigned j, double u)
{
	const double *phi = bc->phi + (size_t)j * (BITLINE_NGRID + 1);
	const double *f = bc->f + (size_t)j * (BITLINE_NGRID + 1);
	const double *vi = bc->vinv + (size_t)j * (BITLINE_NINV + 1);
	if (u <= 0) /* above VDD (a precharge at VDD has u = 0) */
		return bc->vdd_v - u * f[BITLINE_NGRID];
	if (u >= phi[1]) {
		double v1 = 1 / bc->inv_h;
		return v1 * exp(-(u - phi[1]) * f[1] / v1);
	}
	double x = u * BITLINE_NINV / phi[1];
	unsigned k = (unsigned)x;
	if (k >= BITLINE_NINV)
		k = BITLINE_NINV - 1;
	double a = x - k;
	return vi[k] + a * (vi[k + 1] - vi[k]);
}

/* Total line current at v, over f_d(v) (the u-space slope times C). */
static double ratio_i(const bitline_curves_t *bc, unsigned nact,
		      const unsigned *act, const double *amp, unsigned d,
		      double v)
{
	double x = v * bc->inv_h, s = 0;
	if (!(x > 1e-9))
		x = 1e-9; /* the ratio is finite at 0: take its limit */
	unsigned k = x >= BITLINE_NGRID ? BITLINE_NGRID - 1 : (unsigned)x;
	double a = x - k, fd = 0;
	for (unsigned i = 0; i < nact; i++) {
		const double *f = bc->f + (size_t)act[i] * (BITLINE_NGRID + 1);
		double fi = f[k] + a * (f[k + 1] - f[k]);
		if (k == 0) /* both linear through 0: use the slopes */
			fi = f[1];
		s += amp[i] * fi;
		if (act[i] == d)
			fd = fi;
	}
	return s / fd;
}

double bitline_v(const bitline_curves_t *bc, unsigned nact, const unsigned *act,
		 const double *amp, double v0_v, double c_f, double t_s,
		 unsigned rk_steps)
{
	if (nact == 0 || !(t_s > 0))
		return v0_v;
	unsigned d = act[0];
	double big = amp[0];
	for (unsigned i = 1; i < nact; i++)
		if (amp[i] > big) {
			big = amp[i];
			d = act[i];
		}
	if (!(big > 0))
		return v0_v;
	double h = t_s / (rk_steps * c_f), u = phi_of(bc, d, v0_v);
	for (unsigned n = 0; n < rk_steps && isfinite(u); n++) {
		double v = phi_inv(bc, d, u);
		double k1 = ratio_i(bc, nact, act, amp, d, v);
		double vm = phi_inv(bc, d, u + 0.5 * h * k1);
		u += h * ratio_i(bc, nact, act, amp, d, vm);
	}
	double v = isfinite(u) ? phi_inv(bc, d, u) : 0;
	return v > 0 ? v : 0;
}
