/*
 * poprun.h - running the chip instances of a yield or sweep job: the
 * results file (resume.h), the processes (dist.h), progress.
 *
 * Order, on every rank: poprun_open() (rank 0 opens the results file,
 * before the command's other outputs, so that they are checked against
 * it, and reads back what an earlier run completed), the command's own
 * setup (data, net), then poprun_go() with whether that setup worked:
 * all ranks agree, then compute the jobs not read back, each appended to
 * the results file as it completes. Afterwards rank 0 holds every result
 * in job order; the other ranks hold none and write nothing.
 */
#ifndef IMCSIM_POPRUN_H
#define IMCSIM_POPRUN_H

#include "cli.h"
#include "dist.h"
#include "population.h"
#include "resume.h"

typedef struct poprun {
	cli_t *cli;
	unsigned njobs;
	pop_inst_t *res;     /* njobs results (rank 0) */
	unsigned char *have; /* read back from the results file (rank 0) */
	resume_t rs;
	unsigned resumed, completed;
	double seconds; /* wall time of poprun_go's jobs */
} poprun_t;

/* What the results depend on besides the parameters: the command, the
 * net file's bytes (NULL: trained from the parameters) and extra (the
 * command's options that change an instance). */
uint64_t poprun_fingerprint(const char *cmd, const imcsim_config_t *c,
			    const char *net_path, const char *extra);
/* Rank 0 opens the results file, then the command's outputs: json at
 * cli->json_path when there is one, fig at figure when not NULL (both
 * zero-initialized by the caller). 0, or -1 (message in imc_last_error()). */
int poprun_open(poprun_t *p, cli_t *cli, unsigned njobs,
		const char *resume_path, uint64_t fp, cli_out_t *json,
		cli_out_t *fig, const char *figure);
/* 0 done; 1 some rank's setup failed (it said why); -1 (message in imc_last_error()). */
int poprun_go(poprun_t *p, int setup_ok, dist_fn fn, void *ctx);
void poprun_free(poprun_t *p);

#endif /* IMCSIM_POPRUN_H */
