/*
 * fold.h - fold a batch-normalized sign neuron into what a column realises.
 *
 * Contract. A neuron trained with batch normalization decides
 *     +1 iff gamma * (z - mean) / sigma + beta >= 0,   z = w . x  (integer)
 * The hardware decides +1 iff z' + comp_step * bias_steps >= 0 with z' the
 * dot product of the stored weights. With theta = mean - beta*sigma/gamma:
 *   gamma > 0: +1 iff z >= theta iff z >= ceil(theta): keep w, and
 *              bias_steps = -ceil(theta) / comp_step;
 *   gamma < 0: +1 iff z <= theta iff (-w).x >= -floor(theta): store -w
 *              (every weight flips sign), bias_steps = floor(theta) /
 *              comp_step.
 * The fold is exact (identical decisions for every integer z) when that
 * division leaves no remainder and |bias_steps| <= comp_max_steps; then
 * *exact = 1. Otherwise the bias is rounded to the nearest step (*exact = 0)
 * and, if it is out of range, clipped and BNN_ERANGE returned. gamma == 0,
 * sigma <= 0 or non-finite values give BNN_EARG. The trainer in train.h
 * learns biases already on the step grid, so its nets need no folding; this
 * is for nets trained elsewhere with a full BN, and states the equivalence.
 */
#ifndef IMCSIM_BNN_FOLD_H
#define IMCSIM_BNN_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "bnn/bnn.h"

#include "imc_export.h"

IMC_BEGIN_DECLS

struct bnn_bn {
	double gamma, beta; /* learned scale and shift */
	double mean, sigma; /* population mean and std (sqrt(var + eps)) */
};

/* The BN formulation's decision for dot product z (+1 or -1). */
int bnn_bn_decide(const struct bnn_bn *bn, int32_t z);

/* Fold bn into n_in weights w (flipped in place if gamma < 0) and one
 * bias in compensation steps. Returns 0, BNN_ERANGE or BNN_EARG. */
int bnn_fold_bn(const struct bnn_hw *hw, const struct bnn_bn *bn, unsigned n_in,
		int8_t *w, int16_t *bias_steps, int *exact);

IMC_END_DECLS

#endif /* IMCSIM_BNN_FOLD_H */
