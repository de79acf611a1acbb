/*
 * readout.h - the output-layer readout: comparator decisions to class
 * scores and a predicted class.
 *
 * Contract
 * --------
 * The output layer has nclass * cols_per_class columns (default 10 x 9 =
 * 90); column j votes for class j / cols_per_class (columns of one class are
 * adjacent). A class's score is the number of its columns that decided +1
 * (0..cols_per_class), each column being one one-vs-all classifier. The
 * predicted class is the highest score; ties go to the lowest class index,
 * so the readout is a pure, deterministic function of the decisions (an
 * all -1 output predicts class 0). Scores fit one 5-bit bus word each
 * (cols_per_class <= 31), which is how they leave the output chip.
 */
#ifndef IMCSIM_SYSTEM_READOUT_H
#define IMCSIM_SYSTEM_READOUT_H

#include <stddef.h>
#include <stdint.h>

#include "imc_err.h"
#include "imc_export.h"

IMC_BEGIN_DECLS

#define READOUT_MAX_CLASS 32

typedef struct readout_params {
	unsigned nclass;	 /* classes (default 10) */
	unsigned cols_per_class; /* voting columns per class (default 9) */
} readout_params_t;

void readout_params_default(readout_params_t *p);
/* 0 if usable (1 <= nclass <= 32, 1 <= cols_per_class <= 31, and at most
 * max_cols columns in all), else -1 with a message. */
int readout_params_check(const readout_params_t *p, unsigned max_cols);
/* Columns the readout uses: nclass * cols_per_class. */
unsigned readout_ncols(const readout_params_t *p);
/* Scores from a decision bitmap (bit j = column j decided +1). */
void readout_scores(const readout_params_t *p, const uint64_t *dec,
		    unsigned *scores);
/* Argmax of nclass scores, ties to the lowest index. */
unsigned readout_argmax(const readout_params_t *p, const unsigned *scores);

IMC_END_DECLS

#endif /* IMCSIM_SYSTEM_READOUT_H */
