/*
 * bnn.h - the deployed binarized network, exactly as the chips compute it,
 * and the pluggable column evaluator that runs its layers.
 *
 * Contract. A network has three layers, one chip each: 96 inputs -> 96
 * hidden -> 96 hidden -> 90 output columns. Layer l, column j, computes on
 * input codes x[0..n_in-1] (5-bit, 0..31, one per data row):
 *
 *     pre_j = sum_i w[j][i] * x[i] + hw.comp_step * bias_steps[j]
 *     out_j = +1 if pre_j >= 0, else -1              (ties give +1)
 *
 * with binary weights w = +1/-1 (+1 pushes the column towards +1; on the
 * chip +1 discharges BLB). bias_steps[j] is an integer in
 * [-hw.comp_max_steps, +hw.comp_max_steps]: the only per-neuron threshold the
 * hardware can realise, through the compensation rows (by default 32 rows of
 * about 2 data-code LSBs each: moving one row from 0 to 1 changes the sum
 * by 4 code units, so comp_step = 4 and +-16 steps = +-64 code units around
 * the calibrated count; see doc/bnn.md for the mapping to n_c). The input of
 * layer 0 is the preprocessed image (preproc.h); the input of layers 1 and 2
 * is the previous layer's decisions as codes: -1 -> hw.code_lo (0), +1 ->
 * hw.code_hi (31). Readout: output column j votes for class j / 9 (9
 * columns per class, classes 0..9); the class score is the number of its
 * columns at +1, the prediction the class with the highest score, ties
 * going to the lowest class index.
 *
 * The column evaluator (struct bnn_evaluator) is how a layer is computed:
 * NULL or bnn_ideal_evaluator() is the exact integer model above; the system
 * model plugs in a simulated chip instead (chip-in-the-loop). The forward
 * pass calls it once per layer per batch, in layer order, with the layer's
 * current weights and a version number that changes whenever they change,
 * so the chip side knows when to rewrite its SRAM. All functions return 0
 * or a negative error code (BNN_E*) with one message in imc_last_error()
 * (imc_err.h); nothing is printed.
 */
#ifndef IMCSIM_BNN_BNN_H
#define IMCSIM_BNN_BNN_H

#include <stddef.h>
#include <stdint.h>

#include "bnn/dataset.h"
#include "bnn/preproc.h"

#include "imc_err.h"
#include "imc_export.h"

IMC_BEGIN_DECLS

#define BNN_N_LAYERS 3
#define BNN_HIDDEN 96
#define BNN_VOTERS 9			       /* output columns per class */
#define BNN_N_OUT (BNN_N_CLASSES * BNN_VOTERS) /* 90 */
#define BNN_MAX_IN 96			       /* data rows per chip */
#define BNN_MAX_OUT 96 /* columns used per chip (of 128) */

enum bnn_err {
	BNN_OK = 0,
	BNN_EARG = IMC_EINVAL,	 /* invalid argument or parameter */
	BNN_ENOMEM = IMC_ENOMEM, /* out of memory */
	BNN_EEVAL = IMC_EEVAL,	 /* the column evaluator failed */
	BNN_ERANGE =
		IMC_ERANGE, /* a value outside what the hardware realises */
	BNN_EIO = IMC_EIO,  /* cannot read or write a file */
	BNN_EFORMAT = IMC_EFORMAT /* malformed network file */
};

/* What the hardware can realise, shared by training and deployment. */
struct bnn_hw {
	int comp_step;	    /* code units per compensation step (4) */
	int comp_max_steps; /* |bias_steps| limit (16, so +-64 units) */
	uint8_t code_lo;    /* code sent for a -1 activation (0) */
	uint8_t code_hi;    /* code sent for a +1 activation (31) */
};

struct bnn_layer {
	unsigned n_in, n_out;
	int8_t w[BNN_MAX_OUT * BNN_MAX_IN]; /* w[j * n_in + i], +1 or -1 */
	int16_t bias_steps[BNN_MAX_OUT];    /* per column, see contract */
	uint64_t version; /* changes whenever w or bias_steps change */
};

struct bnn_net {
	struct bnn_hw hw;
	struct bnn_preproc_params pre; /* preprocessing the net expects */
	struct bnn_layer layer[BNN_N_LAYERS];
};

/*
 * Column evaluator: compute one layer for a batch of n inputs.
 *   codes: n x layer->n_in input codes (row i of image k at k*n_in + i);
 *   out:   n x layer->n_out decisions, each +1 or -1, to be filled.
 * index is the layer number (0, 1, 2); hw gives comp_step etc. Return 0, or
 * non-zero after recording why with imc_fail() (the forward pass then
 * fails with BNN_EEVAL and puts the message after its own context).
 */
typedef int (*bnn_eval_fn)(void *ctx, unsigned index,
			   const struct bnn_layer *layer,
			   const struct bnn_hw *hw, size_t n,
			   const uint8_t *codes, int8_t *out);

struct bnn_evaluator {
	bnn_eval_fn eval;
	void *ctx;
};

/* Defaults: comp_step 4, comp_max_steps 16, codes 0 / 31. */
void bnn_hw_defaults(struct bnn_hw *hw);
/* Check hw parameters (positive step and range, code_lo < code_hi <= 31). */
int bnn_hw_check(const struct bnn_hw *hw);

/* 1 if a and b describe the same hardware (field by field), else 0. */
int bnn_hw_equal(const struct bnn_hw *a, const struct bnn_hw *b);

/* A zero net of the standard shape (all weights +1, biases 0). */
void bnn_net_init(struct bnn_net *net, const struct bnn_hw *hw,
		  const struct bnn_preproc_params *pre);
/* Check shape, weights (+1/-1) and biases (in range) of a net. */
int bnn_net_check(const struct bnn_net *net);

/* The exact integer evaluator (the contract's formula). */
int bnn_ideal_eval(void *ctx, unsigned index, const struct bnn_layer *layer,
		   const struct bnn_hw *hw, size_t n, const uint8_t *codes,
		   int8_t *out);
/* { bnn_ideal_eval, NULL } */
struct bnn_evaluator bnn_ideal_evaluator(void);

/* Pre-activation of column j on input codes x (exact integer). */
int32_t bnn_column_pre(const struct bnn_layer *layer, const struct bnn_hw *hw,
		       unsigned j, const uint8_t *x);

/* Decisions -> next layer's input codes (n values). */
void bnn_act_to_codes(const struct bnn_hw *hw, size_t n, const int8_t *act,
		      uint8_t *codes);

/*
 * Forward a batch of n preprocessed images (n x 96 codes) through the
 * three layers with evaluator ev (NULL: ideal). Optional outputs: act[l]
 * (n x n_out of layer l, +1/-1; any may be NULL) and pred (n classes).
 */
int bnn_forward(const struct bnn_net *net, const struct bnn_evaluator *ev,
		size_t n, const uint8_t *codes, int8_t *act[BNN_N_LAYERS],
		uint8_t *pred);

/* Readout of 90 output decisions: scores[10] (optional) and the class. */
unsigned bnn_readout(const int8_t out[BNN_N_OUT],
		     unsigned scores[BNN_N_CLASSES]);

/* Fraction of ds classified correctly (evaluated in batches). */
int bnn_accuracy(const struct bnn_net *net, const struct bnn_evaluator *ev,
		 const struct bnn_dataset *ds, double *acc);

IMC_END_DECLS

#endif /* IMCSIM_BNN_BNN_H */
