/* netcache.c - the default net, trained once per build, configuration and
 * data; see netcache.h. */
#include "netcache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bnn/netfile.h"
#include "config.h"
#include "imc_sha256.h"
#include "imcsim_commit.h"
#include "params.h"
#include "settings.h"

/* Cache on: IMCSIM_NET_CACHE=0 turns it off, =1 on; otherwise on for a
 * build from a clean commit (a dirty tree's trainer may differ from the
 * commit it names). */
static int cache_on(void)
{
	const char *e = getenv("IMCSIM_NET_CACHE");
	if (e && *e)
		return strcmp(e, "0") != 0;
	return !strstr(IMCSIM_COMMIT, "-dirty") &&
	       strcmp(IMCSIM_COMMIT, "unknown") != 0;
}

static void hash_str(imc_sha256_t *h, const char *s)
{
	imc_sha256_update(h, s, strlen(s) + 1);
}

void netcache_key(const imcsim_config_t *c, const struct bnn_dataset *train,
		  int norm, char hex[IMC_SHA256_BYTES * 2 + 1])
{
	imc_sha256_t h;
	imc_sha256_init(&h);
	hash_str(&h, "imcsim net cache 1");
	hash_str(&h, PACKAGE_VERSION);
	hash_str(&h, IMCSIM_COMMIT);
	/* every parameter by name and exact bits, not just the train.* ones:
	 * more misses than needed, never a wrong hit */
	const param_table_t *t = config_table();
	for (size_t i = 0; i < t->n; i++) {
		const param_def_t *d = &t->defs[i];
		hash_str(&h, d->section);
		hash_str(&h, d->key);
		imc_sha256_update(&h, (const char *)c + d->offset,
				  d->type == PARAM_UINT ? sizeof(unsigned)
							: sizeof(uint64_t));
	}
	uint64_t n = train->n, nrm = (uint64_t)norm;
	imc_sha256_update(&h, &nrm, sizeof nrm);
	imc_sha256_update(&h, &n, sizeof n);
	imc_sha256_update(&h, train->codes, train->n * BNN_N_INPUTS);
	imc_sha256_update(&h, train->labels, train->n);
	uint8_t dg[IMC_SHA256_BYTES];
	imc_sha256_final(&h, dg);
	imc_sha256_hex(dg, hex);
}

/* mkdir -p of path's directories and path itself; 0 or -1. */
static int make_dirs(const char *path)
{
	char p[1024];
	size_t len = strlen(path);
	if (len >= sizeof p)
		return -1;
	memcpy(p, path, len + 1);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			if (mkdir(p, 0755) && errno != EEXIST)
				return -1;
			*s = '/';
		}
	return mkdir(p, 0755) && errno != EEXIST ? -1 : 0;
}

/* Store net as path, atomically (a reader sees the old file or the new,
 * never a torn one); a failure only costs the next run a training. */
static void store(const struct bnn_net *net, const char *dir, const char *path)
{
	char tmp[1100];
	if (make_dirs(dir) || snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path,
				       (long)getpid()) >= (int)sizeof tmp)
		return;
	if (bnn_net_save(net, tmp, "the default net of imcsim, cached") ||
	    rename(tmp, path))
		(void)unlink(tmp);
}

int exp_train_cached(const imcsim_config_t *c, const exp_data_t *d, int norm,
		     struct bnn_net *net, int *hit, exp_progress_fn fn,
		     void *ctx, double frac0, double frac1)
{
	char dir[900], path[1000], key[IMC_SHA256_BYTES * 2 + 1];
	int on = cache_on() && !config_user_cache(dir, sizeof dir, "nets");
	if (hit)
		*hit = 0;
	if (on) {
		netcache_key(c, norm ? &d->train_norm : &d->train, norm, key);
		on = snprintf(path, sizeof path, "%s/%s.bnn", dir, key) <
		     (int)sizeof path;
	}
	if (on && !access(path, R_OK)) {
		int rc = bnn_net_load(net, path);
		imc_clear_error();
		if (!rc) {
			if (hit)
				*hit = 1;
			if (fn)
				fn(ctx, "the default net, from the cache",
				   frac1);
			return 0;
		} /* unreadable: train again and replace it */
	}
	if (exp_train(c, d, norm, net, fn, ctx, frac0, frac1))
		return -1;
	if (on)
		store(net, dir, path);
	return 0;
}
