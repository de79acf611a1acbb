/* kernel_harness.h - what the kernel test suites share: a process that
 * counts its runs and the time of the last, and a log of when (time, delta
 * count) a process saw which value. Header-only, for tests. */
#ifndef IMCSIM_KERNEL_HARNESS_H
#define IMCSIM_KERNEL_HARNESS_H

#include "kernel/sim.h"

typedef struct counter {
	int runs;
	sim_time_t last;
} counter_t;

static inline void count_body(sim_proc_t *self, void *ctx)
{
	counter_t *c = ctx;
	c->runs++;
	c->last = sim_time(sim_proc_sim(self));
}

typedef struct log {
	int n;
	sim_time_t at[16];
	uint64_t delta[16];
	uint64_t val[16];
} log_t;

static inline void log_add(log_t *l, sim_t *sim, uint64_t v)
{
	if (l->n < 16) {
		l->at[l->n] = sim_time(sim);
		l->delta[l->n] = sim_delta_count(sim);
		l->val[l->n] = v;
	}
	l->n++;
}

#endif
