/*
 * preproc.h - turn an 8-bit grey image into the 96 five-bit wordline codes
 * of one chip input.
 *
 * Contract, in order:
 * 1. Area resampling to 10 x 10: output pixel (r, c) is the mean of the
 *    source over the square [r*R/10, (r+1)*R/10) x [c*C/10, (c+1)*C/10)
 *    (R x C the source size, e.g. 28 x 28), each source pixel weighted by
 *    its exact overlap area. The weights are integers (overlaps measured in
 *    tenths of a source pixel), so the result is exact, and the mean of the
 *    100 outputs equals the mean of the source.
 * 2. Scaling to code units: v = mean * 31 / 255, so 0..255 maps to 0..31.
 * 3. Corner drop: the four corners (0,0), (0,9), (9,0), (9,9) are removed;
 *    the remaining 96 pixels, row-major, are inputs 0..95 (= data rows
 *    0..95 of the SRAM). Input 0 is pixel (0,1), input 7 is (0,8), input 8
 *    is (1,0), input 87 is (8,9), input 88 is (9,1), input 95 is (9,8).
 * 4. Quantization: code = min(31, floor(g * v + 1/2)), round half up.
 *    Without normalization g = 1 (so codes are 0..31 and never clip).
 * 5. Optional per-image normalization (norm_target > 0): g is the smallest
 *    gain for which the sum of the 96 codes reaches norm_target, so every
 *    image drives the same total wordline current (the bitlines' common
 *    mode then sits at the same operating point image after image). The
 *    sum equals the target except when several equal pixels cross a
 *    rounding step together (slightly above) or when even full saturation
 *    cannot reach it (fewer than target/31 non-zero pixels: every non-zero
 *    pixel becomes 31). An all-zero image stays all zero.
 * Pure functions, no state, no allocation.
 */
#ifndef IMCSIM_BNN_PREPROC_H
#define IMCSIM_BNN_PREPROC_H

#include <stddef.h>
#include <stdint.h>

#include "imc_err.h"
#include "imc_export.h"

IMC_BEGIN_DECLS

#define BNN_SIDE 10	/* resampled image is BNN_SIDE x BNN_SIDE */
#define BNN_N_INPUTS 96 /* pixels kept after dropping the 4 corners */
#define BNN_CODE_MAX 31 /* 5-bit wordline codes 0..31 */
/* Default normalization target: about the median code sum of the training
 * digits at g = 1 (see doc/bnn.md). */
#define BNN_NORM_TARGET_DEFAULT 400u

enum bnn_preproc_err {
	BNN_PRE_OK = 0,
	BNN_PRE_EARG =
		IMC_EINVAL, /* null pointer, empty or oversized image, bad target */
};

struct bnn_preproc_params {
	unsigned norm_target; /* 0: off; else the code sum, 1..96*31 */
};

/* Defaults: normalization off. */
void bnn_preproc_defaults(struct bnn_preproc_params *p);

/* Area-resample rows x cols bytes to 10 x 10 means (0..255 scale). */
int bnn_resample(const uint8_t *src, unsigned rows, unsigned cols,
		 double out[BNN_SIDE * BNN_SIDE]);

/* Keep the 96 non-corner pixels of a 10 x 10 image, in input order. */
void bnn_drop_corners(const double in[BNN_SIDE * BNN_SIDE],
		      double out[BNN_N_INPUTS]);

/* Quantize 96 values in code units with gain g (step 4 of the contract). */
void bnn_quantize(const double v[BNN_N_INPUTS], double g,
		  uint8_t codes[BNN_N_INPUTS]);

/* The gain step 5 picks for values v and the target (1.0 if target 0). */
double bnn_norm_gain(const double v[BNN_N_INPUTS], unsigned target);

/* The whole chain: image -> 96 codes. Returns 0 or BNN_PRE_EARG. */
int bnn_preproc_image(const struct bnn_preproc_params *p, const uint8_t *src,
		      unsigned rows, unsigned cols,
		      uint8_t codes[BNN_N_INPUTS]);

/* (row, col) of the 10 x 10 pixel that feeds input i (0..95). */
void bnn_input_pixel(unsigned i, unsigned *row, unsigned *col);

IMC_END_DECLS

#endif /* IMCSIM_BNN_PREPROC_H */
