/* poprun.c - the chip instances of a job; see poprun.h. */
#include "poprun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t poprun_fingerprint(const char *cmd, const imcsim_config_t *c,
			    const char *net_path, const char *extra)
{
	uint64_t h = resume_hash(RESUME_FNV0, cmd, strlen(cmd) + 1);
	cJSON *cfg = cli_json_config(c);
	char *text = cfg ? cJSON_PrintUnformatted(cfg) : NULL;
	if (text)
		h = resume_hash(h, text, strlen(text) + 1);
	cJSON_free(text);
	cJSON_Delete(cfg);
	h = resume_hash(h, extra, strlen(extra) + 1);
	FILE *f = net_path ? fopen(net_path, "rb") : NULL;
	if (f) {
		unsigned char buf[1 << 14];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			h = resume_hash(h, buf, n);
		fclose(f);
	} else {
		h = resume_hash(h, "trained", 8);
	}
	return h;
}

int poprun_open(poprun_t *p, cli_t *cli, unsigned njobs,
		const char *resume_path, uint64_t fp, cli_out_t *json,
		cli_out_t *fig, const char *figure)
{
	memset(p, 0, sizeof(*p));
	p->cli = cli;
	p->njobs = njobs;
	if (dist_rank() != 0)
		return 0;
	p->res = calloc(njobs ? njobs : 1, sizeof(*p->res));
	p->have = calloc(njobs ? njobs : 1, 1);
	if (!p->res || !p->have)
		return imc_fail(-1, "out of memory (%u chip instances)", njobs);
	if (resume_open(&p->rs, resume_path, fp, njobs, p->res, p->have))
		return -1;
	p->resumed = p->rs.loaded;
	if (cli->json_path && cli_out_open(json, cli->json_path))
		return -1;
	return figure ? cli_out_open_opt(fig, figure, "--figure") : 0;
}

static int on_done(void *ctx, unsigned job, const void *result)
{
	poprun_t *p = ctx;
	if (resume_append(&p->rs, job, result))
		return -1;
	p->completed++;
	char stage[96];
	unsigned left = p->njobs - p->resumed;
	snprintf(stage, sizeof(stage), "chip instances: %u of %u", p->completed,
		 left);
	cli_progress(p->cli, stage, left ? (double)p->completed / left : 1.0);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int poprun_go(poprun_t *p, int setup_ok, dist_fn fn, void *ctx)
{
	if (!dist_agree(setup_ok))
		return 1;
	unsigned *todo = NULL, ntodo = 0;
	if (dist_rank() == 0) {
		todo = malloc((p->njobs ? p->njobs : 1) * sizeof(*todo));
		if (!todo)
			return imc_fail(-1, "out of memory");
		for (unsigned j = 0; j < p->njobs; j++)
			if (!p->have[j])
				todo[ntodo++] = j;
	}
	double t0 = now_s();
	int rc = dist_run(p->njobs, todo, ntodo, fn, ctx, p->res,
			  sizeof(pop_inst_t), on_done, p);
	p->seconds = now_s() - t0;
	free(todo);
	return rc ? -1 : 0;
}

void poprun_free(poprun_t *p)
{
	free(p->res);
	free(p->have);
	p->res = NULL;
	p->have = NULL;
}
