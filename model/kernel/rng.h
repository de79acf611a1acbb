/*
 * rng.h - counter-based random numbers: every draw is a pure function of its
 * key, never of evaluation order.
 *
 * Contract: rng_u64(seed, stream, a, b, c) hashes the full 64-bit key
 * (seed, stream, a, b, c) through a bijective 64-bit mixer applied
 * round by round (splitmix64 finalizer per word), so the same key always gives
 * the same value on every platform, and changing any field gives an
 * independent-looking value. Streams name what is drawn (RNG_STREAM_*), and
 * a, b, c are the coordinates of the draw, e.g. (chip, row, column) or
 * (chip, column, operation index). No state, no globals: callers may draw in
 * any order and from several simulations at once.
 */
#ifndef IMCSIM_RNG_H
#define IMCSIM_RNG_H

#include <stdint.h>

#include "imc_export.h"

IMC_BEGIN_DECLS

/* Stream identifiers: one per kind of random quantity in the model. */
enum rng_stream {
	RNG_STREAM_ROW_GAIN = 1,   /* WLDAC row gain error d_row */
	RNG_STREAM_CELL = 2,	   /* bitcell current mismatch (fixed N(0,1)) */
	RNG_STREAM_CMP_OFFSET = 3, /* comparator offset V_os */
	RNG_STREAM_CMP_CM = 4,	   /* comparator common-mode coefficient b_c */
	RNG_STREAM_CMP_NOISE = 5,  /* per-decision comparator noise */
	RNG_STREAM_BNN_INIT = 16,  /* latent weight initialisation */
	RNG_STREAM_BNN_SHUFFLE = 17, /* training order */
	RNG_STREAM_BUS_STALL = 32,   /* bus receiver back-pressure */
	RNG_STREAM_TEST = 100,	     /* free for tests and benchmarks */
};

/* A 64-bit hash of the key; uniform over all 64-bit values. */
uint64_t rng_u64(uint64_t seed, uint64_t stream, uint64_t a, uint64_t b,
		 uint64_t c);
/* Uniform in (0, 1), never exactly 0 or 1. */
double rng_uniform(uint64_t seed, uint64_t stream, uint64_t a, uint64_t b,
		   uint64_t c);
/* Standard normal N(0, 1) (Box-Muller on two keyed uniforms). */
double rng_normal(uint64_t seed, uint64_t stream, uint64_t a, uint64_t b,
		  uint64_t c);

IMC_END_DECLS

#endif /* IMCSIM_RNG_H */
