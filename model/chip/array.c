/* array.c - bitcell array storage and mismatch; see array.h. */
#include "chip/array.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/rng.h"

IMC_PARAM_BLOCK_DEFINE(array_param_block, ARRAY_SECTION, array_params_t,
		       ARRAY_PARAMS);

void array_params_default(array_params_t *p)
{
	imc_param_defaults(&array_param_block, p);
}

int array_params_check(const array_params_t *p)
{
	return p && !imc_param_check(&array_param_block, p) ? 0 : -1;
}

double array_ut_v(const array_params_t *p)
{
	return 1.380649e-23 * p->temp_k / 1.602176634e-19;
}

double array_ispec_a(const array_params_t *p)
{
	double ut = array_ut_v(p);
	return 2 * p->n_slope * p->kp_a_v2 * p->w_um / p->l_um * ut * ut;
}

/* ln(1 + e^x) without overflow. */
static double softplus(double x)
{
	return x > 30 ? x + log1p(exp(-x)) : log1p(exp(x));
}

/* EKV interpolation F(v) = ln^2(1 + e^(v/2)). */
static double ekv_f(double v)
{
	double s = softplus(0.5 * v);
	return s * s;
}

double array_cell_i_a(const array_params_t *p, double vg_v, double vd_v)
{
	double ut = array_ut_v(p);
	double vf = (vg_v - p->vt0_v + p->dibl * vd_v) / (p->n_slope * ut);
	return array_ispec_a(p) * (ekv_f(vf) - ekv_f(vf - vd_v / ut));
}

double array_cell_vf(const array_params_t *p, double i_a)
{
	/* F(vf) = i / I_spec: softplus(vf / 2) = sqrt(i / I_spec) */
	return 2 * log(expm1(sqrt(i_a / array_ispec_a(p))));
}

double array_cell_vg_v(const array_params_t *p, double i_a, double vdd_v)
{
	/* the reverse term is e^(-VDD / U_T) smaller: none at VDD */
	return array_cell_vf(p, i_a) * p->n_slope * array_ut_v(p) + p->vt0_v -
	       p->dibl * vdd_v;
}

double array_cell_ratio(const array_params_t *p, double vf, double z)
{
	double s = p->sig_vt_v / (p->n_slope * array_ut_v(p));
	return ekv_f(vf - s * z) / ekv_f(vf);
}

double array_sigma_rel(const array_params_t *p, double i_a)
{
	if (!(i_a > 0))
		return 0;
	double h = 0.5 * array_cell_vf(p, i_a);
	/* d ln F / dv = sigmoid(v/2) / softplus(v/2) */
	double sig = 1 / (1 + exp(-h));
	return p->sig_vt_v / (p->n_slope * array_ut_v(p)) * sig / softplus(h);
}

int array_init(chip_array_t *a, unsigned nrow, unsigned ncol, uint64_t seed,
	       unsigned chip)
{
	memset(a, 0, sizeof(*a));
	if (nrow == 0 || ncol == 0 || nrow > 4096 || ncol > 4096)
		return -1;
	size_t ncell = (size_t)nrow * ncol;
	a->nrow = nrow;
	a->ncol = ncol;
	a->nword = (ncol + 63) / 64;
	a->bits = calloc((size_t)nrow * a->nword, sizeof(uint64_t));
	a->wmask = calloc(ncell, sizeof(double));
	a->z = malloc(ncell * sizeof(double));
	if (!a->bits || !a->wmask || !a->z) {
		array_free(a);
		return -1;
	}
	for (unsigned r = 0; r < nrow; r++)
		for (unsigned c = 0; c < ncol; c++)
			a->z[(size_t)r * ncol + c] =
				rng_normal(seed, RNG_STREAM_CELL, chip, r, c);
	return 0;
}

void array_free(chip_array_t *a)
{
	free(a->bits);
	free(a->wmask);
	free(a->z);
	memset(a, 0, sizeof(*a));
}

int array_write_row(chip_array_t *a, unsigned row, const uint64_t *data)
{
	if (row >= a->nrow || !data)
		return -1;
	unsigned tail = a->ncol % 64;
	if (tail && (data[a->nword - 1] >> tail) != 0)
		return -1;
	memcpy(a->bits + (size_t)row * a->nword, data,
	       a->nword * sizeof(uint64_t));
	double *m = a->wmask + (size_t)row * a->ncol;
	for (unsigned c = 0; c < a->ncol; c++)
		m[c] = (double)((data[c / 64] >> (c % 64)) & 1);
	return 0;
}

int array_read_row(const chip_array_t *a, unsigned row, uint64_t *data)
{
	if (row >= a->nrow || !data)
		return -1;
	memcpy(data, a->bits + (size_t)row * a->nword,
	       a->nword * sizeof(uint64_t));
	return 0;
}

bool array_bit(const chip_array_t *a, unsigned row, unsigned col)
{
	if (row >= a->nrow || col >= a->ncol)
		return false;
	return (a->bits[(size_t)row * a->nword + col / 64] >> (col % 64)) & 1;
}

void array_row_mag(const array_params_t *p, const chip_array_t *a, unsigned row,
		   double i_row_a, double vf, double *out)
{
	const double *z = a->z + (size_t)row * a->ncol;
	for (unsigned c = 0; c < a->ncol; c++)
		out[c] = i_row_a * array_cell_ratio(p, vf, z[c]);
}

/* Element-wise operations only, so any vector width gives the scalar
 * result (GCC's -O2 cost model leaves these loops scalar, hence the
 * explicit vector type; the AVX2 clone is picked at load time where the
 * CPU has it). */
typedef double array_v4d __attribute__((vector_size(32)));

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void array_row_split(const chip_array_t *a, unsigned row, const double *mag,
		     double *out_bl, double *out_blb)
{
	const double *m = a->wmask + (size_t)row * a->ncol;
	unsigned n = a->ncol, c = 0;
	for (; c + 4 <= n; c += 4) {
		array_v4d vm, vi;
		memcpy(&vm, m + c, sizeof vm);
		memcpy(&vi, mag + c, sizeof vi);
		array_v4d ib = vi * vm;
		array_v4d il = vi - ib;
		memcpy(out_blb + c, &ib, sizeof ib);
		memcpy(out_bl + c, &il, sizeof il);
	}
	for (; c < n; c++) {
		double ib = mag[c] * m[c];
		out_blb[c] = ib;
		out_bl[c] = mag[c] - ib;
	}
}

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void array_add_masked(const chip_array_t *a, unsigned row, double k,
		      const double *mag, double *i_bl, double *i_blb)
{
	const double *m = a->wmask + (size_t)row * a->ncol;
	unsigned n = a->ncol, c = 0;
	const array_v4d vk = { k, k, k, k };
	for (; c + 4 <= n; c += 4) {
		array_v4d vm, vi, x, y;
		memcpy(&vm, m + c, sizeof vm);
		memcpy(&vi, mag + c, sizeof vi);
		memcpy(&x, i_bl + c, sizeof x);
		memcpy(&y, i_blb + c, sizeof y);
		array_v4d ib = vi * vm;
		array_v4d il = vi - ib;
		if (k == 1) {
			x += il;
			y += ib;
		} else {
			x += vk * il;
			y += vk * ib;
		}
		memcpy(i_bl + c, &x, sizeof x);
		memcpy(i_blb + c, &y, sizeof y);
	}
	for (; c < n; c++) {
		double ib = mag[c] * m[c], il = mag[c] - ib;
		if (k == 1) {
			i_bl[c] += il;
			i_blb[c] += ib;
		} else {
			i_bl[c] += k * il;
			i_blb[c] += k * ib;
		}
	}
}

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void array_add_lines(unsigned n, double k, const double *add_bl,
		     const double *add_blb, double *i_bl, double *i_blb)
{
	unsigned c = 0;
	const array_v4d vk = { k, k, k, k };
	for (; c + 4 <= n; c += 4) {
		array_v4d a, b, x, y;
		memcpy(&a, add_bl + c, sizeof a);
		memcpy(&b, add_blb + c, sizeof b);
		memcpy(&x, i_bl + c, sizeof x);
		memcpy(&y, i_blb + c, sizeof y);
		if (k == 1) {
			x += a;
			y += b;
		} else {
			x += vk * a;
			y += vk * b;
		}
		memcpy(i_bl + c, &x, sizeof x);
		memcpy(i_blb + c, &y, sizeof y);
	}
	for (; c < n; c++) {
		if (k == 1) {
			i_bl[c] += add_bl[c];
			i_blb[c] += add_blb[c];
		} else {
			i_bl[c] += k * add_bl[c];
			i_blb[c] += k * add_blb[c];
		}
	}
}
