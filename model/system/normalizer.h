/*
 * normalizer.h - the inter-chip activation normalizer: one binary decision
 * per neuron in, one 5-bit WLDAC code per neuron out.
 *
 * Contract
 * --------
 * Neuron j of a layer decided -1 or +1 (bit j of a decision bitmap, 1 =
 * +1). The normalizer sends code lo[j] for -1 and hi[j] for +1 to the next
 * chip, so the next chip's wordline DAC sees a fixed operating point for
 * every image (paper: "activations are normalized and converted to 5-bit
 * numbers"). Defaults: lo = 0, hi = 31 for every neuron. Per-neuron levels
 * let training fold a batch-norm scale into the codes. Levels are checked
 * once (normalizer_params_check); normalizer_apply() is a pure function.
 */
#ifndef IMCSIM_SYSTEM_NORMALIZER_H
#define IMCSIM_SYSTEM_NORMALIZER_H

#include <stddef.h>
#include <stdint.h>

#include "imc_err.h"
#include "imc_export.h"

IMC_BEGIN_DECLS

#define NORMALIZER_MAX 128     /* neurons per layer at most */
#define NORMALIZER_CODE_MAX 31 /* 5-bit bus codes */

typedef struct normalizer_params {
	uint8_t lo[NORMALIZER_MAX]; /* code for a -1 decision (default 0) */
	uint8_t hi[NORMALIZER_MAX]; /* code for a +1 decision (default 31) */
} normalizer_params_t;

/* Fill *p with the defaults (every neuron 0 / 31). */
void normalizer_params_default(normalizer_params_t *p);
/* Set every neuron's levels to lo / hi. */
void normalizer_params_uniform(normalizer_params_t *p, uint8_t lo, uint8_t hi);
/* 0 if the first n neurons have codes <= 31, else -1 with a message. */
int normalizer_params_check(const normalizer_params_t *p, unsigned n);
/* codes[j] = bit j of dec ? hi[j] : lo[j], for j < n (n <= NORMALIZER_MAX). */
void normalizer_apply(const normalizer_params_t *p, const uint64_t *dec,
		      unsigned n, uint8_t *codes);

IMC_END_DECLS

#endif /* IMCSIM_SYSTEM_NORMALIZER_H */
