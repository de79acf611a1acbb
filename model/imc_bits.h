/*
 * imc_bits.h - bit counting for the models' bit vectors (decisions, bus
 * lines), the same on every compiler and machine.
 *
 * Contract
 * --------
 * imc_popcount64(x) (imc_popcount8(b)) is the number of 1 bits of x (b). Built for a CPU with a
 * population-count instruction (GCC / Clang define __POPCNT__, e.g. with
 * -mpopcnt or -march=native) it is that one instruction; otherwise it is
 * the branch-free SWAR count (a dozen ALU operations, inlined) rather than
 * __builtin_popcountll, which without the instruction calls libgcc's
 * table-driven __popcountdi2. Both give the same count, so outputs do not
 * depend on the build.
 */
#ifndef IMCSIM_IMC_BITS_H
#define IMCSIM_IMC_BITS_H

#include <stdint.h>

static inline unsigned imc_popcount64(uint64_t x)
{
#if defined(__POPCNT__) && (defined(__GNUC__) || defined(__clang__))
	return (unsigned)__builtin_popcountll(x);
#else
	x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
	x = (x & UINT64_C(0x3333333333333333)) +
	    ((x >> 2) & UINT64_C(0x3333333333333333));
	x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
	return (unsigned)((x * UINT64_C(0x0101010101010101)) >> 56);
#endif
}

/* The 1 bits of a byte (bus lines): the instruction, or a 3-step count. */
static inline unsigned imc_popcount8(uint8_t b)
{
#if defined(__POPCNT__) && (defined(__GNUC__) || defined(__clang__))
	return (unsigned)__builtin_popcount(b);
#else
	unsigned x = b;
	x = x - ((x >> 1) & 0x55u);
	x = (x & 0x33u) + ((x >> 2) & 0x33u);
	return (x + (x >> 4)) & 0x0fu;
#endif
}

#endif /* IMCSIM_IMC_BITS_H */
