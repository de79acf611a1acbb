/* normalizer.c - decision -> 5-bit code; see normalizer.h. */
#include "system/normalizer.h"

#include <stdio.h>

void normalizer_params_uniform(normalizer_params_t *p, uint8_t lo, uint8_t hi)
{
	for (unsigned j = 0; j < NORMALIZER_MAX; j++) {
		p->lo[j] = lo;
		p->hi[j] = hi;
	}
}

void normalizer_params_default(normalizer_params_t *p)
{
	normalizer_params_uniform(p, 0, NORMALIZER_CODE_MAX);
}

int normalizer_params_check(const normalizer_params_t *p, unsigned n)
{
	if (n > NORMALIZER_MAX)
		return imc_fail(-1, "normalizer: %u neurons (at most %d)", n,
				NORMALIZER_MAX);
	for (unsigned j = 0; j < n; j++)
		if (p->lo[j] > NORMALIZER_CODE_MAX ||
		    p->hi[j] > NORMALIZER_CODE_MAX)
			return imc_fail(
				-1,
				"normalizer: neuron %u levels lo %u hi %u "
				"exceed the 5-bit code range 0..%d",
				j, p->lo[j], p->hi[j], NORMALIZER_CODE_MAX);
	return 0;
}

void normalizer_apply(const normalizer_params_t *p, const uint64_t *dec,
		      unsigned n, uint8_t *codes)
{
	for (unsigned j = 0; j < n; j++)
		codes[j] = (dec[j / 64] >> (j % 64)) & 1 ? p->hi[j] : p->lo[j];
}
