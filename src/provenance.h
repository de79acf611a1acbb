/*
 * provenance.h - the input files of a run, for its JSON result.
 *
 * Contract: every file a command reads (config files, net files, the IDX
 * digits, the data set's origin list) is noted once, in the order it was
 * read, with the path as opened, its size and the SHA-256 of the bytes
 * that were read (not of a second read, which could see other bytes).
 * Every result carries the list as "inputs", an array of {role, path,
 * bytes, sha256} (cli.c). A list holds at most
 * PROV_MAX_INPUTS files; noting the same path twice keeps the first.
 */
#ifndef IMCSIM_PROVENANCE_H
#define IMCSIM_PROVENANCE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "imc_err.h"
#include "imc_sha256.h"

#define PROV_MAX_INPUTS 12

typedef struct prov_input {
	const char *role; /* "config", "net", "mnist-train-images", ... */
	char path[PATH_MAX];
	uint64_t bytes;
	char sha256[IMC_SHA256_HEX];
} prov_input_t;

typedef struct prov_inputs {
	unsigned n;
	prov_input_t in[PROV_MAX_INPUTS];
} prov_inputs_t;

/* Note a file read whole: its bytes are hashed here. */
void prov_note_bytes(prov_inputs_t *p, const char *role, const char *path,
		     const void *data, size_t len);
/* Note a file whose digest the reader computed. */
void prov_note_digest(prov_inputs_t *p, const char *role, const char *path,
		      uint64_t bytes, const uint8_t digest[IMC_SHA256_BYTES]);
/* Append every input of src to dst (in order, skipping known paths). */
void prov_merge(prov_inputs_t *dst, const prov_inputs_t *src);

/* Read a whole regular file of at most max bytes into a malloc'ed,
 * NUL-terminated buffer (what the net loader and the like need): a FIFO, a
 * device or a directory is refused before it is opened. 0, or -1 with a
 * message (imc_last_error()) naming the file and the problem. */
int prov_read_file(const char *path, size_t max, char **buf, size_t *len);

#endif /* IMCSIM_PROVENANCE_H */
