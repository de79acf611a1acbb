/* dist_probe.c - dist.h's engine alone, for test_dist under mpirun: jobs
 * that take a few ms each (a sleep, so a busy machine does not change
 * who gets what) and compute a hash of their index, and rank 0 checking
 * every result as it arrives.
 *
 *   dist_probe JOBS [--odd] [--fail-job J] [--fail-rank R]
 *
 * --odd: only the odd jobs are to do (a resumed run's todo[]);
 * --fail-job J: job J fails, on whichever rank runs it;
 * --fail-rank R: the first job rank R runs fails.
 * Rank 0 prints "probe: jobs N sum S done D ranks K used U" and exits 0, or
 * prints the run's error to stderr and exits 1 (every rank exits 1). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dist.h"

typedef struct result {
	uint64_t value;
	uint32_t rank; /* who computed it, plus one (0: nobody) */
	uint32_t pad;
} result_t;

typedef struct probe {
	long fail_job, fail_rank;
	unsigned runs;	/* jobs this rank ran (the computing thread's) */
	unsigned *seen; /* rank 0: done() calls per job */
	unsigned ndone, bad;
} probe_t;

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static int job_fn(void *ctx, unsigned job, void *out)
{
	probe_t *p = ctx;
	result_t *r = out;
	struct timespec ts = { 0, (long)(1 + job % 4) * 1000000 };
	nanosleep(&ts, NULL);
	int first = p->runs++ == 0;
	if ((long)job == p->fail_job ||
	    (first && (long)dist_rank() == p->fail_rank))
		return imc_fail(-1, "probe: job %u failed on purpose", job);
	r->value = mix(job);
	r->rank = dist_rank() + 1;
	return 0;
}

static int done_fn(void *ctx, unsigned job, const void *res)
{
	probe_t *p = ctx;
	const result_t *r = res;
	p->seen[job]++;
	p->ndone++;
	if (r->value != mix(job) || r->rank == 0 || r->rank > dist_size())
		p->bad++;
	return 0;
}

int main(int argc, char **argv)
{
	if (dist_init(&argc, &argv))
		return 1;
	probe_t p = { .fail_job = -1, .fail_rank = -1 };
	unsigned njobs = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 0;
	int odd = 0;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--odd"))
			odd = 1;
		else if (!strcmp(argv[i], "--fail-job") && i + 1 < argc)
			p.fail_job = atol(argv[++i]);
		else if (!strcmp(argv[i], "--fail-rank") && i + 1 < argc)
			p.fail_rank = atol(argv[++i]);
	}
	unsigned *todo = malloc((njobs + 1) * sizeof(*todo));
	result_t *res = calloc(njobs + 1, sizeof(*res));
	p.seen = calloc(njobs + 1, sizeof(*p.seen));
	unsigned ntodo = 0;
	for (unsigned j = 0; todo && j < njobs; j++)
		if (!odd || j % 2)
			todo[ntodo++] = j;
	/* all up before the first job, so every rank can take part */
	int rc = dist_agree(todo && res && p.seen) ? 0 : -1;
	if (!rc)
		rc = dist_run(njobs, todo, ntodo, job_fn, &p, res, sizeof(*res),
			      done_fn, &p);
	if (rc) {
		fprintf(stderr, "dist_probe: %s\n", imc_last_error());
	} else if (dist_rank() == 0) {
		uint64_t sum = 0;
		unsigned used = 0, ranks = dist_size();
		unsigned char *by = calloc(ranks + 1, 1);
		for (unsigned j = 0; j < njobs; j++) {
			if (p.seen[j] != (odd ? j % 2 : 1u))
				p.bad++;
			if (res[j].rank && by && !by[res[j].rank]++)
				used++;
			sum += res[j].value;
		}
		free(by);
		printf("probe: jobs %u sum %llu done %u ranks %u used %u bad %u\n",
		       ntodo, (unsigned long long)sum, p.ndone, ranks, used,
		       p.bad);
	}
	free(todo);
	free(res);
	free(p.seen);
	dist_finish();
	return rc ? 1 : 0;
}
