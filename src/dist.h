/*
 * dist.h - independent jobs spread over the processes of an MPI run, with
 * results that do not depend on how many processes there are.
 *
 * Contract. The program calls dist_init() first and dist_finish() last.
 * Built without MPI (dist_serial.c), or started without an MPI launcher
 * (no mpirun / srun environment), there is one process, rank 0 of 1.
 * Under `mpirun -n K` (dist_mpi.c) there are K processes, ranks 0..K-1,
 * all running the same command line.
 *
 * dist_run() computes the jobs of todo[] (job indices, njobs slots of
 * result_size bytes each) with fn. Rank 0 hands the jobs out one at a
 * time, in the order of todo[], to whichever process asks next (dynamic
 * load balancing): every other rank is a worker that asks, computes and
 * sends the result back with its next request, holding one job ahead so
 * that it never waits for an answer between jobs; rank 0 computes jobs too,
 * on a thread of its own, while its main thread serves the workers. Each
 * result lands, as plain bytes, in results + job * result_size on rank 0,
 * and done() is called on rank 0's main thread for each job as it
 * completes (completion order, which varies; results[] itself does not).
 * A job must be a pure function of (ctx, job) for that to hold, and fn
 * may run on a thread other than the caller's (rank 0): it must not touch
 * what done() touches.
 *
 * Only rank 0 has the results, and only rank 0 writes files or prints:
 * dist_init() sends the other ranks' stdout and stderr to /dev/null
 * (IMCSIM_DIST_VERBOSE=1 keeps them). A job that fails on any rank stops
 * the run: rank 0 returns -1 with "job J (rank R): message"; every rank
 * returns the same status, so all go on, or stop, together.
 *
 * dist_bcast() copies rank 0's buffer to every rank (a collective: all
 * call it at the same point).
 */
#ifndef IMCSIM_DIST_H
#define IMCSIM_DIST_H

#include <stddef.h>

#include "imc_err.h"

/* Compute job `job` into result (result_size bytes, zeroed). 0, or
 * non-zero after imc_fail() recorded why (read on the thread that ran
 * it, and sent to rank 0 from a worker). */
typedef int (*dist_fn)(void *ctx, unsigned job, void *result);
/* Rank 0: job finished with result. 0, or non-zero (imc_fail()) to stop. */
typedef int (*dist_done_fn)(void *ctx, unsigned job, const void *result);

/* Start MPI when launched by an MPI launcher. 0, or -1 after printing
 * why. */
int dist_init(int *argc, char ***argv);
/* This process's rank and the number of processes. */
unsigned dist_rank(void);
unsigned dist_size(void);
/* "MPI" or "none", for reports. */
const char *dist_engine(void);
/* End MPI (every rank, once). */
void dist_finish(void);
/* Every rank calls this at the same point before dist_run(), with 1 if it
 * is ready (its setup succeeded) and 0 if not; 1 when all are ready. A
 * failing rank has printed why (rank 0) or stays quiet (the others). */
int dist_agree(int ok);

/* Run the ntodo jobs todo[0..ntodo-1] (indices < njobs) as the contract
 * says. Workers ignore todo, results and done (pass what rank 0 does).
 * 0, or -1 with the message in imc_last_error(). */
int dist_run(unsigned njobs, const unsigned *todo, unsigned ntodo, dist_fn fn,
	     void *ctx, void *results, size_t result_size, dist_done_fn done,
	     void *done_ctx);

/* Rank 0's len bytes at buf to every rank. */
void dist_bcast(void *buf, size_t len);

/* The one-process run: every job of todo[], in order, on this process
 * (what dist_run() does when there is one process). */
int dist_run_local(unsigned njobs, const unsigned *todo, unsigned ntodo,
		   dist_fn fn, void *ctx, void *results, size_t result_size,
		   dist_done_fn done, void *done_ctx);

#endif /* IMCSIM_DIST_H */
