/*
 * adam.h - the ADAM optimizer (Kingma & Ba) over one flat float vector.
 *
 * Contract: bnn_adam_step applies one bias-corrected ADAM update
 *   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 *   p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * to n parameters, then clips each to [lo, hi] (the latent weights of a BNN
 * live in [-1, 1]). t counts the steps taken so far, starting at 1. The
 * caller owns all arrays; m and v start at zero. Deterministic: plain loops
 * in index order.
 */
#ifndef IMCSIM_BNN_ADAM_H
#define IMCSIM_BNN_ADAM_H

#include <stddef.h>

struct bnn_adam {
	double beta1, beta2, eps;
	unsigned long t; /* steps taken */
};

/* beta1 0.9, beta2 0.999, eps 1e-8, t 0. */
void bnn_adam_init(struct bnn_adam *a);
/* Advance the step counter once per optimizer step (all vectors). */
void bnn_adam_tick(struct bnn_adam *a);
/* Update n parameters p with gradient g at learning rate lr. */
void bnn_adam_step(const struct bnn_adam *a, double lr, size_t n, float *p,
		   const float *g, float *m, float *v, float lo, float hi);

#endif /* IMCSIM_BNN_ADAM_H */
