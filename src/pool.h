/*
 * pool.h - independent jobs on several cores, with results that do not
 * depend on how many.
 *
 * Contract. pool_run() computes jobs 0..njobs-1 with fn. With workers <= 1
 * they run in this process, one after the other, in index order (the
 * serial run). With workers > 1 each job runs in a forked child process
 * (at most `workers` at a time); the child sends its progress and its
 * result_size-byte result back through a pipe and exits, and the result
 * lands in results + job * result_size. A job must therefore be a pure
 * function of (ctx, job): then the results are byte-identical for any
 * number of workers. Results must be plain bytes (no pointers): they cross
 * a process boundary.
 *
 * Progress: a job calls pool_job_progress(job ctx, fraction, text) as it
 * goes; pool_run() reports the overall fraction (jobs weighted by
 * weight[], or equally when weight is NULL) with the latest text through
 * progress, always from the calling process.
 *
 * Errors: the first job to fail (fn returns non-zero with a message) stops
 * the pool: running children are killed (SIGKILL, by pid: no handler a worker
 * inherited can turn it into anything else) and reaped, and
 * pool_run() returns -1 with the job's own message. A child that dies
 * without a result is an error too ("worker of job <i> killed by signal").
 */
#ifndef IMCSIM_POOL_H
#define IMCSIM_POOL_H

#include <stddef.h>

#include "imc_err.h"

typedef struct pool_job pool_job_t;

/* One job: compute job number `job` into result (result_size bytes,
 * zeroed). 0, or non-zero after imc_fail() recorded the message (in a
 * child, the message crosses the pipe to pool_run()'s caller). */
typedef int (*pool_fn)(void *ctx, unsigned job, void *result, pool_job_t *pj);
/* Overall progress, from the calling process only. */
typedef void (*pool_progress_fn)(void *ctx, const char *text, double frac);

/* Report progress of the running job (frac in 0..1 of this job). */
void pool_job_progress(pool_job_t *pj, double frac, const char *text);

/* The number of online CPUs (at least 1). */
unsigned pool_cpus(void);

/* Run the jobs; see the contract. 0, or -1 with the message in
 * imc_last_error(). */
int pool_run(unsigned njobs, unsigned workers, pool_fn fn, void *ctx,
	     void *results, size_t result_size, const double *weight,
	     pool_progress_fn progress, void *progress_ctx);

#endif /* IMCSIM_POOL_H */
