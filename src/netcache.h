/*
 * netcache.h - the default net, trained once per build, configuration and
 * training data, and kept in the user cache.
 *
 * A command that deploys "the default trained net" (yield, sweep without
 * retraining) would otherwise train the same deterministic net at every
 * run, serially, before any chip work can start. exp_train_cached() gives
 * exactly the net exp_train() gives (a net file round-trips every bit the
 * chips and the evaluator use), from
 *
 *     $XDG_CACHE_HOME/imcsim/nets/<key>.bnn   (else ~/.cache/imcsim/nets)
 *
 * when an earlier run stored it, and otherwise trains and stores it there
 * (written to a temporary name and renamed: concurrent runs and MPI ranks
 * never see a torn file). The key is the SHA-256 of the program version
 * and commit, every parameter's exact bits, the preprocessing and the
 * training split's codes and labels. A file that does not parse is trained
 * again and replaced; a cache that cannot be written costs only the next
 * run a training. IMCSIM_NET_CACHE=0 turns the cache off, =1 on; unset, it
 * is on for a build of a clean commit and off for a dirty tree (whose
 * trainer may differ from the commit it names).
 */
#ifndef IMCSIM_NETCACHE_H
#define IMCSIM_NETCACHE_H

#include "experiment.h"
#include "imc_sha256.h"

/* The key of the net trained from c on train (norm: normalized inputs). */
void netcache_key(const imcsim_config_t *c, const struct bnn_dataset *train,
		  int norm, char hex[IMC_SHA256_BYTES * 2 + 1]);
/* exp_train() through the cache; *hit (may be NULL) says whether the net
 * came from it. 0 or -1 (message in imc_last_error()). */
int exp_train_cached(const imcsim_config_t *c, const exp_data_t *d, int norm,
		     struct bnn_net *net, int *hit, exp_progress_fn fn,
		     void *ctx, double frac0, double frac1);

#endif /* IMCSIM_NETCACHE_H */
