/*
 * resume.h - the results file of --resume: chip instances completed so
 * far, so that an interrupted run picks up where it stopped.
 *
 * Format (text, one line each, numbers exact: doubles as C99 hex floats):
 *   imcsim-results 1 <fingerprint>
 *   <job> <seed> <n_test> <right> <right_cal> <right_naive> <clamped>
 *         <e_sys_pj> <e_chip_pj> <e_naive_pj>
 * The fingerprint (16 hex digits) hashes everything the results depend
 * on (the command, every parameter, the net, the options that change an
 * instance); a file with another fingerprint is refused, not mixed in.
 * Records are appended as instances complete (output.h's journal: each
 * record written whole and synced); a last line cut short by an
 * interruption is dropped and overwritten. A job may appear at most once.
 * Only rank 0 reads or writes the file.
 */
#ifndef IMCSIM_RESUME_H
#define IMCSIM_RESUME_H

#include <stddef.h>
#include <stdint.h>

#include "output.h"
#include "population.h"

typedef struct resume {
	out_id_t id; /* 0: no results file */
	uint64_t fingerprint;
	int header_written;
	unsigned loaded; /* records read back */
} resume_t;

/* 64-bit FNV-1a of n bytes, continuing from h (start: RESUME_FNV0). */
#define RESUME_FNV0 0xcbf29ce484222325ull
uint64_t resume_hash(uint64_t h, const void *data, size_t n);

/* Open path (NULL: no results file, r->id = 0) for a run of njobs jobs
 * with fingerprint fp: read back its records into results[job] and set
 * done[job] = 1 for each, then keep it open for appending. 0, or -1 with a
 * message (imc_last_error(): unreadable, malformed, another run's, a job
 * out of range). */
int resume_open(resume_t *r, const char *path, uint64_t fp, unsigned njobs,
		pop_inst_t *results, unsigned char *done);
/* Append job's result (no-op without a file). 0, or -1 (message in imc_last_error()). */
int resume_append(resume_t *r, unsigned job, const pop_inst_t *x);

#endif /* IMCSIM_RESUME_H */
