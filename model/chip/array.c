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

double array_sigma_rel(const array_params_t *p, double i_ratio)
{
	if (!(i_ratio > 0))
		return 0;
	return 2 * p->sig_vt_v / (p->v_ov_fs_v * sqrt(i_ratio));
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

void array_accumulate(const chip_array_t *a, unsigned row, double i_row_a,
		      double sigma_rel, double *i_bl, double *i_blb)
{
	const double *restrict z = a->z + (size_t)row * a->ncol;
	const double *restrict m = a->wmask + (size_t)row * a->ncol;
	double *restrict bl = i_bl, *restrict blb = i_blb;
	double k = i_row_a * sigma_rel;
	unsigned n = a->ncol;
	for (unsigned c = 0; c < n; c++) {
		double i = i_row_a + k * z[c];
		i = i > 0 ? i : 0; /* a cell cannot source current */
		double ib = i * m[c];
		blb[c] += ib;
		bl[c] += i - ib;
	}
}

/* Element-wise adds only, so any vector width gives the scalar result
 * (GCC's -O2 cost model leaves this loop scalar, hence the explicit vector
 * type; the AVX2 clone is picked at load time where the CPU has it). */
typedef double array_v4d __attribute__((vector_size(32)));

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void array_add_lines(unsigned n, const double *add_bl, const double *add_blb,
		     double *i_bl, double *i_blb)
{
	unsigned c = 0;
	for (; c + 4 <= n; c += 4) {
		array_v4d a, b, x, y;
		memcpy(&a, add_bl + c, sizeof a);
		memcpy(&b, add_blb + c, sizeof b);
		memcpy(&x, i_bl + c, sizeof x);
		memcpy(&y, i_blb + c, sizeof y);
		x += a;
		y += b;
		memcpy(i_bl + c, &x, sizeof x);
		memcpy(i_blb + c, &y, sizeof y);
	}
	for (; c < n; c++) {
		i_bl[c] += add_bl[c];
		i_blb[c] += add_blb[c];
	}
}

typedef long long array_v4i __attribute__((vector_size(32)));

/* The same element-wise operations as array_accumulate(), four columns at
 * a time; the clamp at 0 is a mask (i > 0 keeps i, else +0.0, as the
 * scalar form gives). */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void array_row_currents(const chip_array_t *a, unsigned row, double i_row_a,
			double sigma_rel, double *out_bl, double *out_blb)
{
	const double *z = a->z + (size_t)row * a->ncol;
	const double *m = a->wmask + (size_t)row * a->ncol;
	double k = i_row_a * sigma_rel;
	unsigned n = a->ncol, c = 0;
	const array_v4d vi = { i_row_a, i_row_a, i_row_a, i_row_a };
	const array_v4d vk = { k, k, k, k };
	const array_v4d zero = { 0, 0, 0, 0 };
	for (; c + 4 <= n; c += 4) {
		array_v4d vz, vm;
		memcpy(&vz, z + c, sizeof vz);
		memcpy(&vm, m + c, sizeof vm);
		array_v4d i = vi + vk * vz;
		i = (array_v4d)((array_v4i)i & (array_v4i)(i > zero));
		array_v4d ib = i * vm;
		array_v4d il = i - ib;
		memcpy(out_blb + c, &ib, sizeof ib);
		memcpy(out_bl + c, &il, sizeof il);
	}
	for (; c < n; c++) {
		double i = i_row_a + k * z[c];
		i = i > 0 ? i : 0;
		double ib = i * m[c];
		out_blb[c] = ib;
		out_bl[c] = i - ib;
	}
}
