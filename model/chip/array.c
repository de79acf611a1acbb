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
	a->z = malloc(ncell * sizeof(double));
	if (!a->bits || !a->z) {
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

/* The stored bits of four columns as the 0.0 / 1.0 factors the line split
 * multiplies by: 16 B of bits per row read instead of a 1 KB double mask,
 * and the very same arithmetic. */
static const double nibble_mask[16][4] = {
#define M4(n)                                                   \
	{                                                       \
		n & 1, (n >> 1) & 1, (n >> 2) & 1, (n >> 3) & 1 \
	}
	M4(0), M4(1), M4(2),  M4(3),  M4(4),  M4(5),  M4(6),  M4(7),
	M4(8), M4(9), M4(10), M4(11), M4(12), M4(13), M4(14), M4(15),
#undef M4
};

/* Bit c of a row (c < ncol) as 0.0 or 1.0. */
static double bit_d(const uint64_t *row, unsigned c)
{
	return (double)((row[c / 64] >> (c % 64)) & 1);
}

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void array_row_split(const chip_array_t *a, unsigned row, const double *mag,
		     double *out_bl, double *out_blb)
{
	const uint64_t *b = a->bits + (size_t)row * a->nword;
	unsigned n = a->ncol, c = 0;
	for (; c + 4 <= n; c += 4) {
		array_v4d vm, vi;
		memcpy(&vm, nibble_mask[(b[c / 64] >> (c % 64)) & 15],
		       sizeof vm);
		memcpy(&vi, mag + c, sizeof vi);
		array_v4d ib = vi * vm;
		array_v4d il = vi - ib;
		memcpy(out_blb + c, &ib, sizeof ib);
		memcpy(out_bl + c, &il, sizeof il);
	}
	for (; c < n; c++) {
		double ib = mag[c] * bit_d(b, c);
		out_blb[c] = ib;
		out_bl[c] = mag[c] - ib;
	}
}

/* One row's cells, steered by their bits, added into n_to (1 or 2) pairs
 * of lines with weights k0, k1 (kind: 0 general, 1 k0 == 1 without
 * multiplying); inlined into each entry point with constant n_to, kind. */
static inline __attribute__((always_inline)) void
add_masked(const chip_array_t *a, unsigned row, const double *mag, int n_to,
	   int kind, double k0, double *bl0, double *blb0, double k1,
	   double *bl1, double *blb1)
{
	const uint64_t *b = a->bits + (size_t)row * a->nword;
	unsigned n = a->ncol, c = 0;
	const array_v4d vk0 = { k0, k0, k0, k0 }, vk1 = { k1, k1, k1, k1 };
	uint64_t word = 0;
	for (; c + 4 <= n; c += 4, word >>= 4) {
		array_v4d vm, vi, x, y;
		if (c % 64 == 0)
			word = b[c / 64];
		memcpy(&vm, nibble_mask[word & 15], sizeof vm);
		memcpy(&vi, mag + c, sizeof vi);
		array_v4d ib = vi * vm;
		array_v4d il = vi - ib;
		memcpy(&x, bl0 + c, sizeof x);
		memcpy(&y, blb0 + c, sizeof y);
		if (kind == 1) {
			x += il;
			y += ib;
		} else {
			x += vk0 * il;
			y += vk0 * ib;
		}
		memcpy(bl0 + c, &x, sizeof x);
		memcpy(blb0 + c, &y, sizeof y);
		if (n_to == 2) {
			memcpy(&x, bl1 + c, sizeof x);
			memcpy(&y, blb1 + c, sizeof y);
			x += vk1 * il;
			y += vk1 * ib;
			memcpy(bl1 + c, &x, sizeof x);
			memcpy(blb1 + c, &y, sizeof y);
		}
	}
	for (; c < n; c++) {
		double ib = mag[c] * bit_d(b, c), il = mag[c] - ib;
		if (kind == 1) {
			bl0[c] += il;
			blb0[c] += ib;
		} else {
			bl0[c] += k0 * il;
			blb0[c] += k0 * ib;
		}
		if (n_to == 2) {
			bl1[c] += k1 * il;
			blb1[c] += k1 * ib;
		}
	}
}

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void array_add_masked(const chip_array_t *a, unsigned row, double k,
		      const double *mag, double *i_bl, double *i_blb)
{
	if (k == 1)
		add_masked(a, row, mag, 1, 1, 1, i_bl, i_blb, 0, NULL, NULL);
	else
		add_masked(a, row, mag, 1, 0, k, i_bl, i_blb, 0, NULL, NULL);
}

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void array_add_masked2(const chip_array_t *a, unsigned row, double k0,
		       double k1, const double *mag, double *bl0, double *blb0,
		       double *bl1, double *blb1)
{
	if (k0 == 1)
		add_masked(a, row, mag, 2, 1, 1, bl0, blb0, k1, bl1, blb1);
	else
		add_masked(a, row, mag, 2, 0, k0, bl0, blb0, k1, bl1, blb1);
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
