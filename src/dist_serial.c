/* dist_serial.c - dist.h built without MPI: always one process. */
#include "dist.h"

int dist_init(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

unsigned dist_rank(void)
{
	return 0;
}

unsigned dist_size(void)
{
	return 1;
}

const char *dist_engine(void)
{
	return "none";
}

void dist_finish(void)
{
}

int dist_agree(int ok)
{
	return ok;
}

void dist_bcast(void *buf, size_t len)
{
	(void)buf;
	(void)len;
}

int dist_run(unsigned njobs, const unsigned *todo, unsigned ntodo, dist_fn fn,
	     void *ctx, void *results, size_t result_size, dist_done_fn done,
	     void *done_ctx)
{
	return dist_run_local(njobs, todo, ntodo, fn, ctx, results, result_size,
			      done, done_ctx);
}
