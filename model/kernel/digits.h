/*
 * digits.h - binary digits of a 64-bit word as '0'/'1' characters, MSB
 * first, for the trace writers (vcd.c, fst.c). Not installed.
 *
 * sim_digits64(p, y, upper_half) writes the 64 digits of y to p[0..63],
 * or only the first 32 (the digits of y's upper half) if upper_half.
 * With SSE2 each byte of y is broadcast to 8 lanes and each lane tested
 * against its own bit (no table, no branch on the value); elsewhere, and
 * with VCD_PORTABLE (tests), a plain shift loop.
 */
#ifndef IMCSIM_DIGITS_H
#define IMCSIM_DIGITS_H

#include <stdbool.h>
#include <stdint.h>

#if defined(__SSE2__) && !defined(VCD_PORTABLE)
#include <emmintrin.h>

static inline __m128i sim_digits16_(__m128i bytes)
{
	const __m128i bit = _mm_set_epi8(1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4,
					 8, 16, 32, 64, -128);
	const __m128i zero = _mm_set1_epi8('0');
	return _mm_sub_epi8(zero,
			    _mm_cmpeq_epi8(_mm_and_si128(bytes, bit), bit));
}

static inline void sim_digits64(char *p, uint64_t y, bool upper_half)
{
	__m128i m = _mm_cvtsi64_si128((long long)__builtin_bswap64(y));
	__m128i a = _mm_unpacklo_epi8(m, m);
	__m128i c = _mm_unpacklo_epi16(a, a);
	_mm_storeu_si128((__m128i *)(void *)p,
			 sim_digits16_(_mm_unpacklo_epi32(c, c)));
	_mm_storeu_si128((__m128i *)(void *)(p + 16),
			 sim_digits16_(_mm_unpackhi_epi32(c, c)));
	if (!upper_half) {
		__m128i e = _mm_unpackhi_epi16(a, a);
		_mm_storeu_si128((__m128i *)(void *)(p + 32),
				 sim_digits16_(_mm_unpacklo_epi32(e, e)));
		_mm_storeu_si128((__m128i *)(void *)(p + 48),
				 sim_digits16_(_mm_unpackhi_epi32(e, e)));
	}
}
#else
static inline void sim_digits64(char *p, uint64_t y, bool upper_half)
{
	int n = upper_half ? 32 : 64;
	for (int k = 0; k < n; k++)
		p[k] = (char)('0' + ((y >> (63 - k)) & 1));
}
#endif

#endif /* IMCSIM_DIGITS_H */
