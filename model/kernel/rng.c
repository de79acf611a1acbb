/* rng.c - keyed hash random numbers; see rng.h for the contract. */
#include "kernel/rng.h"

#include <math.h>

/* splitmix64's finalizer: a bijection with good avalanche. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Absorb one key word: distinct golden-ratio offsets per position keep
 * (x, y) and (y, x) apart. */
static uint64_t absorb(uint64_t h, uint64_t word, uint64_t pos)
{
	return mix64(h ^ mix64(word + pos * UINT64_C(0x9e3779b97f4a7c15)));
}

uint64_t rng_u64(uint64_t seed, uint64_t stream, uint64_t a, uint64_t b,
		 uint64_t c)
{
	uint64_t h = mix64(seed + UINT64_C(0x632be59bd9b4e019));
	h = absorb(h, stream, 1);
	h = absorb(h, a, 2);
	h = absorb(h, b, 3);
	h = absorb(h, c, 4);
	return h;
}

static double to_unit(uint64_t x)
{
	/* 53 random bits, centred in their bin so 0 and 1 never occur. */
	return ((double)(x >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

double rng_uniform(uint64_t seed, uint64_t stream, uint64_t a, uint64_t b,
		   uint64_t c)
{
	return to_unit(rng_u64(seed, stream, a, b, c));
}

double rng_normal(uint64_t seed, uint64_t stream, uint64_t a, uint64_t b,
		  uint64_t c)
{
	uint64_t h = rng_u64(seed, stream, a, b, c);
	double u1 = to_unit(h);
	double u2 = to_unit(mix64(h ^ UINT64_C(0xd6e8feb86659fd93)));
	return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}
