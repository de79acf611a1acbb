/*
 * train.h - software training of the hardware-exact BNN (bnn.h): binary
 * weights with real latent weights, straight-through estimator, squared
 * hinge loss, ADAM; optionally with a chip in the loop.
 *
 * Contract. The trainer keeps real latent weights in [-1, 1] and real
 * latent biases in [-comp_max_steps, +comp_max_steps] (in compensation
 * steps), and after every update re-derives the deployed net: w = +1 where
 * the latent weight is >= 0 else -1, bias_steps = round-half-up of the
 * latent bias. The forward pass of training IS the deployed net (same
 * integer pre-activations, same decisions), so the accuracy of
 * bnn_trainer_net() is the accuracy of what the hardware computes; nothing
 * is folded or rounded after training.
 *
 * Batch normalization, in the form the hardware can realise: each column's
 * pre-activation u = w.x + comp_step * bias_steps is scaled by its batch
 * standard deviation, h = u / sigma_B (a BN with scale 1/sigma_B > 0 and a
 * shift that is the learned bias itself, so it folds into the compensation
 * rows by construction). h sets the straight-through window (gradient of
 * sign(h) is 1 for |h| <= 1, else 0) and, in the output layer, the squared
 * hinge loss with targets y = +1 for the true class and -1 for the others:
 * group_loss = 1 (default): sum_c max(0, 1 - y_c * mean_v h_cv)^2 over the
 * 10 classes, h_cv the 9 voters of class c; group_loss = 0: one-vs-all per
 * column, sum_j max(0, 1 - y_j h_j)^2 over the 90 columns. pos_weight
 * scales the true-class terms. BN's mean subtraction has no place in the
 * hardware beyond the +-64-unit bias, so the weights learn the centering;
 * an optional penalty center * sum_j (mean_B(u_j) / sigma_B)^2 pushes every
 * column's batch mean to its threshold (off by default: it cost accuracy,
 * see doc/bnn.md). Batch statistics are constants in backprop.
 *
 * Determinism: latent weights start uniform in [-init_scale, init_scale]
 * from rng (RNG_STREAM_BNN_INIT, keyed by layer, column, row); each epoch's
 * order is a Fisher-Yates shuffle keyed by (RNG_STREAM_BNN_SHUFFLE, epoch,
 * position). Same seed, parameters and data -> bit-identical weights.
 *
 * Chip in the loop: pass an evaluator to bnn_trainer_epoch. Each layer's
 * forward decisions then come from it (called once per layer per batch
 * with the current deployed layer and its version); they feed the next
 * layer's input codes and decide which output columns are wrong. Backprop
 * stays in software: the STE windows and the hinge margins use the
 * software pre-activations computed on the same input codes the chip saw,
 * and an output column the chip got wrong counts with a margin of at most
 * 0. With the ideal evaluator this is exactly software training.
 */
#ifndef IMCSIM_BNN_TRAIN_H
#define IMCSIM_BNN_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "bnn/bnn.h"
#include "bnn/dataset.h"
#include "param/param.h"

IMC_BEGIN_DECLS

#define BNN_TRAIN_MAX_BATCH 4096 /* the trainer's per-batch buffers */

/* The trainer's parameters, declared once (param.h). */
#define BNN_TRAIN_PARAMS(X, S)                                                 \
	X(S, seed, U64, "", 1, 0, 18446744073709551615.0,                      \
	  "weight initialization and shuffling seed", "choice")                \
	X(S, epochs, UINT, "", 100, 1, 1000,                                   \
	  "software epochs (length of the learning-rate schedule)",            \
	  "measured: converged by the demo's rule at 100, not at 60 "          \
	  "(doc/bnn.md)")                                                      \
	X(S, batch, UINT, "", 100, 2, BNN_TRAIN_MAX_BATCH,                     \
	  "images per ADAM step",                                              \
	  "choice: batch norm needs >= 2; the trainer's buffers hold 4096")    \
	X(S, lr_start, DOUBLE, "", 0.03, 1e-6, 1,                              \
	  "ADAM step size, first epoch",                                       \
	  "choice: Courbariaux et al. 2016 BNN schedule")                      \
	X(S, lr_end, DOUBLE, "", 0.0005, 1e-7, 1,                              \
	  "ADAM step size, last epoch (exponential decay between)", "choice")  \
	X(S, bias_lr_scale, DOUBLE, "", 10, 0, 1000,                           \
	  "bias step size = lr * this (latent bias in steps)", "choice")       \
	X(S, center, DOUBLE, "", 0, 0, 100, "weight of the centering penalty", \
	  "choice")                                                            \
	X(S, init_scale, DOUBLE, "", 1, 1e-6, 1,                               \
	  "latent weights start uniform in +-init_scale", "choice")            \
	X(S, pos_weight, DOUBLE, "", 1, 1e-3, 1000,                            \
	  "hinge weight of true-class columns", "choice")                      \
	X(S, group_loss, UINT, "", 1, 0, 1,                                    \
	  "1: hinge per class on its voters' mean; 0: per column", "choice")

struct bnn_train_params {
	BNN_TRAIN_PARAMS(IMC_PARAM_FIELD, _)
};

#define BNN_TRAIN_SECTION "train"
extern IMC_API const imc_param_block_t bnn_train_param_block;

struct bnn_epoch_stats {
	unsigned epoch;	  /* 1-based, after the call */
	double loss;	  /* mean hinge loss per image */
	double train_acc; /* running accuracy of the forward decisions */
	double lr;	  /* step size used */
};

struct bnn_trainer;

/* Defaults (see doc/bnn.md): seed 1, 100 epochs, batch 100, ... */
void bnn_train_defaults(struct bnn_train_params *p);

/* New trainer with freshly initialized latent weights. */
int bnn_trainer_new(const struct bnn_hw *hw,
		    const struct bnn_preproc_params *pre,
		    const struct bnn_train_params *p, struct bnn_trainer **out);
/* Start from a deployed net: latent = 0.5 * w, latent bias = bias_steps. */
int bnn_trainer_set_net(struct bnn_trainer *t, const struct bnn_net *net);
/* One pass over ds (ev NULL: ideal software forward). */
int bnn_trainer_epoch(struct bnn_trainer *t, const struct bnn_dataset *ds,
		      const struct bnn_evaluator *ev,
		      struct bnn_epoch_stats *st);
/* The deployed, hardware-exact net (valid until the next epoch or free). */
const struct bnn_net *bnn_trainer_net(const struct bnn_trainer *t);
void bnn_trainer_free(struct bnn_trainer *t);

/* Convenience: new trainer, p->epochs software epochs, copy out the net. */
int bnn_train(const struct bnn_hw *hw, const struct bnn_preproc_params *pre,
	      const struct bnn_train_params *p, const struct bnn_dataset *ds,
	      struct bnn_net *net);

IMC_END_DECLS

#endif /* IMCSIM_BNN_TRAIN_H */
