/* dist.c - what both engines of dist.h share: the one-process run. */
#include "dist.h"

#include <stdio.h>
#include <string.h>

int dist_run_local(unsigned njobs, const unsigned *todo, unsigned ntodo,
		   dist_fn fn, void *ctx, void *results, size_t result_size,
		   dist_done_fn done, void *done_ctx)
{
	for (unsigned k = 0; k < ntodo; k++) {
		unsigned j = todo[k];
		if (j >= njobs)
			return imc_fail(-1, "internal: job %u of %u", j, njobs);
		unsigned char *r = (unsigned char *)results + j * result_size;
		memset(r, 0, result_size);
		if (fn(ctx, j, r))
			return -1;
		if (done && done(done_ctx, j, r))
			return -1;
	}
	return 0;
}
