/* pngcheck.c - complete-PNG check; see pngcheck.h. */
#include "pngcheck.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* CRC-32 (ISO 3309, as PNG uses), bitwise: figures are small. */
static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return c ^ 0xffffffffu;
}

int pngcheck_buffer(const unsigned char *b, size_t n, const char **why)
{
	static const unsigned char sig[8] = { 0x89, 'P',  'N',	'G',
					      '\r', '\n', 0x1a, '\n' };
	if (n < 8 || memcmp(b, sig, 8)) {
		*why = "no PNG signature";
		return -1;
	}
	size_t off = 8;
	int first = 1;
	while (off < n) {
		if (n - off < 12) {
			*why = "truncated chunk header";
			return -1;
		}
		uint32_t len = be32(b + off);
		if (len > n - off - 12) {
			*why = "truncated (a chunk runs past the end)";
			return -1;
		}
		const unsigned char *type = b + off + 4;
		if (crc32_of(type, 4 + (size_t)len) != be32(type + 4 + len)) {
			*why = "chunk CRC mismatch";
			return -1;
		}
		if (first && memcmp(type, "IHDR", 4)) {
			*why = "first chunk is not IHDR";
			return -1;
		}
		first = 0;
		off += 12 + (size_t)len;
		if (!memcmp(type, "IEND", 4)) {
			if (off != n) {
				*why = "data after IEND";
				return -1;
			}
			return 0;
		}
	}
	*why = "truncated (no IEND chunk)";
	return -1;
}

int pngcheck_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return imc_fail(-1, "%s: %s", path, strerror(errno));
	size_t cap = 1 << 16, n = 0;
	unsigned char *b = malloc(cap);
	while (b) {
		n += fread(b + n, 1, cap - n, f);
		if (n < cap)
			break;
		unsigned char *nb = cap < (1u << 30) ? realloc(b, cap * 2)
						     : NULL;
		if (!nb) {
			free(b);
			b = NULL;
			break;
		}
		b = nb;
		cap *= 2;
	}
	int rd = ferror(f);
	fclose(f);
	const char *why = "out of memory";
	int rc = b && !rd ? pngcheck_buffer(b, n, &why) : -1;
	if (rd)
		why = "read error";
	free(b);
	if (rc)
		return imc_fail(rc, "%s: %s", path, why);
	return 0;
}
