/* preproc.c - resampling, quantization, normalization; see preproc.h. */
#include "bnn/preproc.h"

#include <math.h>

#define MAX_SIDE 4096u

void bnn_preproc_defaults(struct bnn_preproc_params *p)
{
	p->norm_target = 0;
}

/* Overlap of source cell i, [i*10, i*10+10), with output cell o,
 * [o*n, o*n+n), in tenths of a source pixel (n = source size). */
static unsigned overlap(unsigned i, unsigned o, unsigned n)
{
	unsigned a0 = i * BNN_SIDE, a1 = a0 + BNN_SIDE;
	unsigned b0 = o * n, b1 = b0 + n;
	unsigned lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;

	return hi > lo ? hi - lo : 0;
}

int bnn_resample(const uint8_t *src, unsigned rows, unsigned cols,
		 double out[BNN_SIDE * BNN_SIDE])
{
	if (!src || !out || rows == 0 || cols == 0 || rows > MAX_SIDE ||
	    cols > MAX_SIDE)
		return BNN_PRE_EARG;
	for (unsigned r = 0; r < BNN_SIDE; r++) {
		/* Source rows touching output row r. */
		unsigned i0 = r * rows / BNN_SIDE;
		unsigned i1 = ((r + 1) * rows + BNN_SIDE - 1) / BNN_SIDE;

		for (unsigned c = 0; c < BNN_SIDE; c++) {
			unsigned j0 = c * cols / BNN_SIDE;
			unsigned j1 =
				((c + 1) * cols + BNN_SIDE - 1) / BNN_SIDE;
			uint64_t num = 0;

			for (unsigned i = i0; i < i1; i++) {
				unsigned wr = overlap(i, r, rows);

				for (unsigned j = j0; j < j1; j++)
					num += (uint64_t)wr *
					       overlap(j, c, cols) *
					       src[(size_t)i * cols + j];
			}
			/* Weights of one output sum to rows * cols. */
			out[r * BNN_SIDE + c] =
				(double)num / ((double)rows * (double)cols);
		}
	}
	return BNN_PRE_OK;
}

void bnn_input_pixel(unsigned i, unsigned *row, unsigned *col)
{
	/* Row 0 and row 9 have 8 inputs, rows 1..8 have 10. */
	unsigned r, c;

	if (i < 8) {
		r = 0;
		c = i + 1;
	} else if (i < 88) {
		r = 1 + (i - 8) / BNN_SIDE;
		c = (i - 8) % BNN_SIDE;
	} else {
		r = BNN_SIDE - 1;
		c = i - 88 + 1;
	}
	*row = r;
	*col = c;
}

void bnn_drop_corners(const double in[BNN_SIDE * BNN_SIDE],
		      double out[BNN_N_INPUTS])
{
	for (unsigned i = 0; i < BNN_N_INPUTS; i++) {
		unsigned r, c;

		bnn_input_pixel(i, &r, &c);
		out[i] = in[r * BNN_SIDE + c];
	}
}

static uint8_t code_of(double x)
{
	double q = floor(x + 0.5);

	if (q <= 0)
		return 0;
	return q >= BNN_CODE_MAX ? BNN_CODE_MAX : (uint8_t)q;
}

void bnn_quantize(const double v[BNN_N_INPUTS], double g,
		  uint8_t codes[BNN_N_INPUTS])
{
	for (unsigned i = 0; i < BNN_N_INPUTS; i++)
		codes[i] = code_of(g * v[i]);
}

/* The sum of code_of(g * w[i]) over n inputs w >= 0, in the arithmetic
 * code_of does: x + 0.5 is the same double, and for it >= 0 truncation is
 * floor (clamping x at 31 first changes no code). */
static unsigned code_sum(const double *w, unsigned n, double g)
{
	unsigned s = 0;

	for (unsigned i = 0; i < n; i++) {
		double x = g * w[i];

		x = x < BNN_CODE_MAX ? x : BNN_CODE_MAX;
		s += (unsigned)(x + 0.5);
	}
	return s;
}

double bnn_norm_gain(const double v[BNN_N_INPUTS], unsigned target)
{
	double w[BNN_N_INPUTS], vmin = 0, vmax = 0;
	unsigned n = 0;

	if (target == 0)
		return 1.0;
	/* a zero pixel's code is 0 at every gain: sum the others only */
	for (unsigned i = 0; i < BNN_N_INPUTS; i++) {
		if (!(v[i] > 0))
			continue;
		w[n++] = v[i];
		if (vmin == 0 || v[i] < vmin)
			vmin = v[i];
		if (v[i] > vmax)
			vmax = v[i];
	}
	if (vmax == 0)
		return 1.0;
	/* At hi every non-zero pixel saturates: the most any gain gives. */
	double lo = 0, hi = (BNN_CODE_MAX + 0.5) / vmin;
	if (code_sum(w, n, hi) < target)
		return hi;
	/* code_sum is a non-decreasing, right-continuous step function of
	 * g: bisect for the smallest g reaching the target. */
	for (int it = 0; it < 200 && lo < hi; it++) {
		double mid = lo + (hi - lo) / 2;

		if (mid <= lo || mid >= hi)
			break;
		if (code_sum(w, n, mid) >= target)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

int bnn_preproc_image(const struct bnn_preproc_params *p, const uint8_t *src,
		      unsigned rows, unsigned cols, uint8_t codes[BNN_N_INPUTS])
{
	double img[BNN_SIDE * BNN_SIDE], v[BNN_N_INPUTS];
	unsigned target = p ? p->norm_target : 0;

	if (!codes || target > BNN_N_INPUTS * BNN_CODE_MAX)
		return BNN_PRE_EARG;
	if (bnn_resample(src, rows, cols, img))
		return BNN_PRE_EARG;
	bnn_drop_corners(img, v);
	for (unsigned i = 0; i < BNN_N_INPUTS; i++)
		v[i] *= (double)BNN_CODE_MAX / 255.0;
	bnn_quantize(v, bnn_norm_gain(v, target), codes);
	return BNN_PRE_OK;
}
