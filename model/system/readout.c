/* readout.c - vote counting and argmax; see readout.h. */
#include "system/readout.h"

#include <stdio.h>

#include "imc_bits.h"

void readout_params_default(readout_params_t *p)
{
	p->nclass = 10;
	p->cols_per_class = 9;
}

int readout_params_check(const readout_params_t *p, unsigned max_cols)
{
	if (p->nclass < 1 || p->nclass > READOUT_MAX_CLASS)
		return imc_fail(-1, "readout: %u classes (allowed 1..%d)",
				p->nclass, READOUT_MAX_CLASS);
	if (p->cols_per_class < 1 || p->cols_per_class > 31)
		return imc_fail(
			-1,
			"readout: %u columns per class (allowed 1..31, a "
			"score must fit a 5-bit bus word)",
			p->cols_per_class);
	if (readout_ncols(p) > max_cols)
		return imc_fail(
			-1,
			"readout: %u classes x %u columns = %u columns, the "
			"output chip has %u",
			p->nclass, p->cols_per_class, readout_ncols(p),
			max_cols);
	return 0;
}

unsigned readout_ncols(const readout_params_t *p)
{
	return p->nclass * p->cols_per_class;
}

void readout_scores(const readout_params_t *p, const uint64_t *dec,
		    unsigned *scores)
{
	unsigned n = p->cols_per_class; /* 1..31 */
	uint64_t mask = (UINT64_C(1) << n) - 1;
	for (unsigned k = 0, j = 0; k < p->nclass; k++, j += n) {
		/* the class's columns j..j+n-1, across a word boundary too */
		unsigned sh = j % 64;
		uint64_t v = dec[j / 64] >> sh;
		if (sh + n > 64)
			v |= dec[j / 64 + 1] << (64 - sh);
		scores[k] = imc_popcount64(v & mask);
	}
}

unsigned readout_argmax(const readout_params_t *p, const unsigned *scores)
{
	unsigned best = 0;
	for (unsigned k = 1; k < p->nclass; k++)
		if (scores[k] > scores[best])
			best = k;
	return best;
}
