/* bitline.c - line ODE over tabulated cell curves; see bitline.h. */
#include "chip/bitline.h"

#include <math.h>
#include <stdbool.h>
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
	size_t ni = (size_t)ncurve * (BITLINE_NINV + 1);
	bc->f = calloc(2 * ng + ni, sizeof(double));
	bc->fk = calloc(2 * (size_t)ncurve * BITLINE_NGRID, sizeof(double));
	bc->vk = calloc(2 * (size_t)ncurve * BITLINE_NINV, sizeof(double));
	if (!bc->f || !bc->fk || !bc->vk) {
		bitline_curves_free(bc);
		return -1;
	}
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
	free(bc->fk);
	free(bc->vk);
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
	/* the interleaved copies: (value, difference to the next) */
	for (unsigned g = 0; g < BITLINE_NGRID; g++) {
		double *e = bc->fk + ((size_t)g * bc->ncurve + j) * 2;
		e[0] = f[g];
		e[1] = f[g + 1] - f[g];
	}
	for (unsigned i = 0; i < BITLINE_NINV; i++) {
		double *e = bc->vk + ((size_t)j * BITLINE_NINV + i) * 2;
		e[0] = vi[i];
		e[1] = vi[i + 1] - vi[i];
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

/* ---- four lines at once ------------------------------------------------- */

typedef double bl_v4d __attribute__((vector_size(32)));
typedef int64_t bl_v4i __attribute__((vector_size(32)));
/* The helpers are inlined into bitline_v4(), whose AVX2 clone is picked at
 * load time where the CPU has it (AVX2 without FMA: no contraction, the
 * same bits as the default clone and the scalar path). */
#define BL_INLINE static inline __attribute__((always_inline))
#define BL_G (BITLINE_LANES / 4) /* 4-wide groups */
#if defined(__GNUC__) && !defined(__clang__)
#define BL_UNROLL _Pragma("GCC unroll 4")
#else
#define BL_UNROLL
#endif
#if defined(__GNUC__) && !defined(__clang__)
/* static, inlined helpers: no vector ever crosses a call boundary */
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

BL_INLINE bl_v4d v4_splat(double x)
{
	return (bl_v4d){ x, x, x, x };
}

/* m ? a : b, lane by lane (m all ones or all zeros per lane). */
BL_INLINE bl_v4d v4_select(bl_v4i m, bl_v4d a, bl_v4d b)
{
	return (bl_v4d)((m & (bl_v4i)a) | (~m & (bl_v4i)b));
}

typedef int32_t bl_v4si __attribute__((vector_size(16)));

/* trunc(min(x, top)) of x >= 0, as integers and as doubles. */
BL_INLINE bl_v4d v4_floor_to(bl_v4d x, double top, bl_v4si *k)
{
	bl_v4d xm = v4_select(x < v4_splat(top), x, v4_splat(top));
	*k = __builtin_convertvector(xm, bl_v4si);
	return __builtin_convertvector(*k, bl_v4d);
}

/* ratio_i() of BITLINE_LANES lines: group g holds lanes 4g..4g+3, lane l
 * has amplitudes amp[BITLINE_LANES i + l] and is_d[BL_G i + g] marks the
 * lanes whose dominant curve is act[i]. The groups are independent
 * chains, interleaved for the out-of-order core. */
BL_INLINE void ratio4(const bitline_curves_t *bc, unsigned nact,
		      const unsigned *act, const double *amp,
		      const bl_v4i *is_d, const bl_v4d *v, bl_v4d *out)
{
	const double *e[BITLINE_LANES];
	bl_v4d a[BL_G], s[BL_G], fd[BL_G];
	bl_v4si k[BL_G];
	bl_v4si low4 = { 0, 0, 0, 0 };
	const int nc2 = 2 * (int)bc->ncurve;
	BL_UNROLL
	for (unsigned g = 0; g < BL_G; g++) {
		bl_v4d x = v[g] * v4_splat(bc->inv_h);
		x = v4_select(x > v4_splat(1e-9), x, v4_splat(1e-9));
		a[g] = x - v4_floor_to(x, BITLINE_NGRID - 1, &k[g]);
		low4 |= k[g] == (bl_v4si){ 0, 0, 0, 0 };
		bl_v4si o = k[g] * nc2;
		for (unsigned j = 0; j < 4; j++)
			e[4 * g + j] = bc->fk + o[j];
		s[g] = v4_splat(0);
		fd[g] = v4_splat(0);
	}
	const bool low = (low4[0] | low4[1] | low4[2] | low4[3]) != 0;
	for (unsigned i = 0; i < nact; i++) {
		const size_t o = 2 * (size_t)act[i];
		BL_UNROLL
		for (unsigned g = 0; g < BL_G; g++) {
			const double *const *eg = e + 4 * g;
			bl_v4d f0 = { eg[0][o], eg[1][o], eg[2][o], eg[3][o] };
			bl_v4d df = { eg[0][o + 1], eg[1][o + 1], eg[2][o + 1],
				      eg[3][o + 1] };
			if (low) { /* below the first grid point: the slope */
				const double *f =
					bc->f +
					act[i] * (size_t)(BITLINE_NGRID + 1);
				for (unsigned j = 0; j < 4; j++)
					if (k[g][j] == 0) {
						f0[j] = f[1];
						df[j] = 0;
					}
			}
			bl_v4d ai;
			memcpy(&ai, amp + BITLINE_LANES * (size_t)i + 4 * g,
			       sizeof ai);
			bl_v4d fi = f0 + a[g] * df;
			s[g] += ai * fi;
			fd[g] = v4_select(is_d[BL_G * i + g], fi, fd[g]);
		}
	}
	BL_UNROLL
	for (unsigned g = 0; g < BL_G; g++)
		out[g] = s[g] / fd[g];
}

/* Any lane of m set. */
BL_INLINE bool v4_any(bl_v4i m)
{
	return (m[0] | m[1] | m[2] | m[3]) != 0;
}

/* isfinite() lane by lane: x - x is 0 exactly for finite x. */
BL_INLINE bl_v4i v4_finite(bl_v4d x)
{
	return (x - x) == v4_splat(0);
}

/* phi_inv() of BITLINE_LANES lines (vk0[l]: the inverse table of lane l's
 * dominant curve d[l], fN its f at VDD); lanes off in ok give 0. */
BL_INLINE void phi_inv4(const bitline_curves_t *bc, const unsigned *d,
			const double *const *vk0, const bl_v4d *phi1,
			const bl_v4d *fN, const bl_v4d *u, const bl_v4i *ok,
			bl_v4d *out)
{
	bl_v4i off[BL_G], any_off = { 0, 0, 0, 0 };
	BL_UNROLL
	for (unsigned g = 0; g < BL_G; g++) {
		bl_v4i in = (u[g] > v4_splat(0)) & (u[g] < phi1[g]) & ok[g];
		/* above VDD (a precharge at VDD has u = 0) */
		bl_v4i above = (u[g] <= v4_splat(0)) & ok[g];
		off[g] = ok[g] & ~in & ~above;
		any_off |= off[g];
		/* a lane off the table computes on x = 0 */
		bl_v4d x = u[g] * v4_splat(BITLINE_NINV) / phi1[g];
		x = v4_select(in, x, v4_splat(0));
		bl_v4si k;
		bl_v4d a = x - v4_floor_to(x, BITLINE_NINV - 1, &k);
		const double *e0 = vk0[4 * g] + 2 * k[0],
			     *e1 = vk0[4 * g + 1] + 2 * k[1],
			     *e2 = vk0[4 * g + 2] + 2 * k[2],
			     *e3 = vk0[4 * g + 3] + 2 * k[3];
		bl_v4d v0 = { e0[0], e1[0], e2[0], e3[0] };
		bl_v4d dv = { e0[1], e1[1], e2[1], e3[1] };
		out[g] = v4_select(in, v0 + a * dv, v4_splat(0));
		out[g] = v4_select(above, v4_splat(bc->vdd_v) - u[g] * fN[g],
				   out[g]);
	}
	if (!v4_any(any_off))
		return;
	for (unsigned l = 0; l < BITLINE_LANES; l++)
		if (off[l / 4][l % 4])
			out[l / 4][l % 4] = phi_inv(bc, d[l], u[l / 4][l % 4]);
}

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
int bitline_vn(const bitline_curves_t *bc, unsigned nact, const unsigned *act,
	       const double *amp, double v0_v, double c_f, double t_s,
	       unsigned rk_steps, double *out)
{
	enum { NL = BITLINE_LANES };
	unsigned d[NL];
	const double *vk0[NL];
	double u0[BITLINE_MAX_ACT], p1[BITLINE_MAX_ACT], f_n[BITLINE_MAX_ACT];
	bl_v4i is_d[BITLINE_MAX_ACT * BL_G];
	/* live: the lane has current; run: it is still integrating */
	bl_v4i live[BL_G], run[BL_G];
	bl_v4d u[BL_G], phi1[BL_G], fN[BL_G], us[BL_G], v[BL_G], k[BL_G],
		w[BL_G];
	if (nact > BITLINE_MAX_ACT)
		return -1;
	if (nact == 0 || !(t_s > 0)) {
		for (unsigned l = 0; l < NL; l++)
			out[l] = v0_v;
		return 0;
	}
	for (unsigned i = 0; i < nact; i++) { /* per curve, not per lane */
		u0[i] = phi_of(bc, act[i], v0_v);
		p1[i] = bc->phi[act[i] * (size_t)(BITLINE_NGRID + 1) + 1];
		f_n[i] = bc->f[act[i] * (size_t)(BITLINE_NGRID + 1) +
			       BITLINE_NGRID];
	}
	for (unsigned g = 0; g < BL_G; g++) {
		/* the dominant curve: the first largest amplitude */
		bl_v4d big, ai;
		bl_v4i di = { 0, 0, 0, 0 };
		memcpy(&big, amp + 4 * g, sizeof big);
		for (unsigned i = 1; i < nact; i++) {
			memcpy(&ai, amp + NL * (size_t)i + 4 * g, sizeof ai);
			bl_v4i m = ai > big;
			big = v4_select(m, ai, big);
			di = (m & (bl_v4i){ i, i, i, i }) | (~m & di);
		}
		live[g] = big > v4_splat(0);
		for (unsigned j = 0; j < 4; j++) {
			unsigned l = 4 * g + j, ix = (unsigned)di[j];
			d[l] = act[ix];
			vk0[l] = bc->vk + (size_t)d[l] * BITLINE_NINV * 2;
			u[g][j] = u0[ix];
			phi1[g][j] = p1[ix];
			fN[g][j] = f_n[ix];
		}
		u[g] = v4_select(live[g], u[g], v4_splat(0));
		for (unsigned i = 0; i < nact; i++)
			is_d[BL_G * i + g] = di == (bl_v4i){ i, i, i, i };
	}
	double h = t_s / (rk_steps * c_f);
	const bl_v4d vh = v4_splat(h), vh2 = v4_splat(0.5 * h);
	for (unsigned n = 0; n < rk_steps; n++) {
		bl_v4i any = { 0, 0, 0, 0 };
		BL_UNROLL
		for (unsigned g = 0; g < BL_G; g++) {
			run[g] = live[g] & v4_finite(u[g]);
			any |= run[g];
			/* a stopped lane computes on 0 and keeps its u */
			us[g] = v4_select(run[g], u[g], v4_splat(0));
		}
		if (!v4_any(any))
			break;
		phi_inv4(bc, d, vk0, phi1, fN, us, run, v);
		ratio4(bc, nact, act, amp, is_d, v, k);
		BL_UNROLL
		for (unsigned g = 0; g < BL_G; g++)
			w[g] = us[g] + vh2 * k[g];
		phi_inv4(bc, d, vk0, phi1, fN, w, run, v);
		ratio4(bc, nact, act, amp, is_d, v, k);
		BL_UNROLL
		for (unsigned g = 0; g < BL_G; g++)
			u[g] = v4_select(run[g], us[g] + vh * k[g], u[g]);
	}
	BL_UNROLL
	for (unsigned g = 0; g < BL_G; g++) {
		run[g] = live[g] & v4_finite(u[g]);
		us[g] = v4_select(run[g], u[g], v4_splat(0));
	}
	phi_inv4(bc, d, vk0, phi1, fN, us, run, v);
	BL_UNROLL
	for (unsigned g = 0; g < BL_G; g++) {
		bl_v4d r = v4_select(run[g] & (v[g] > v4_splat(0)), v[g],
				     v4_splat(0));
		r = v4_select(live[g], r, v4_splat(v0_v));
		memcpy(out + 4 * g, &r, sizeof r);
	}
	return 0;
}
