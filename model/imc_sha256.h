/*
 * imc_sha256.h - SHA-256 (FIPS 180-4), for the provenance of input files:
 * every JSON result names each file it read with the digest of the bytes
 * that were read, so a result can be matched to its inputs later.
 *
 * Contract: imc_sha256() hashes len bytes at data (data may be NULL when
 * len is 0) into 32 bytes; imc_sha256_hex() writes the 64 lower-case hex
 * digits and a terminating NUL into hex[65]. The incremental form
 * (init / update / final) gives the same digest for any split of the
 * input. Internal to the library and its programs (not installed).
 */
#ifndef IMCSIM_IMC_SHA256_H
#define IMCSIM_IMC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define IMC_SHA256_BYTES 32
#define IMC_SHA256_HEX 65 /* 64 hex digits and the NUL */

typedef struct {
	uint32_t h[8];
	uint64_t bytes; /* message length so far */
	uint8_t block[64];
	size_t fill; /* bytes waiting in block */
} imc_sha256_t;

void imc_sha256_init(imc_sha256_t *s);
void imc_sha256_update(imc_sha256_t *s, const void *data, size_t len);
void imc_sha256_final(imc_sha256_t *s, uint8_t out[IMC_SHA256_BYTES]);
void imc_sha256(const void *data, size_t len, uint8_t out[IMC_SHA256_BYTES]);
void imc_sha256_hex(const uint8_t digest[IMC_SHA256_BYTES],
		    char hex[IMC_SHA256_HEX]);

#endif /* IMCSIM_IMC_SHA256_H */
