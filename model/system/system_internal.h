/*
 * system_internal.h - the layout of sys_t, shared by system.c (host,
 * parameters, setup), system_ca.c (cycle-accurate inference, tracing) and
 * system_tlm.c (transaction-level path), and nobody else.
 */
#ifndef IMCSIM_SYSTEM_INTERNAL_H
#define IMCSIM_SYSTEM_INTERNAL_H

#include "system/system.h"

struct sys_ctx {
	struct sys *s;
	unsigned k; /* layer (chip callbacks) or bus index (bus sinks) */
};

struct sys {
	sys_params_t p;
	sys_level_t level;
	char err[320];
	unsigned ndata, ncol, ncomp, nword;
	bool calibrated, ran;
	bool loaded[SYS_NLAYER];
	sys_layer_t net[SYS_NLAYER];		  /* loaded layers */
	uint8_t ncnt[SYS_MAX_CHIPS][SYS_MAX_COL]; /* calibrated n_c */
	sys_stats_t st;
	uint8_t *pad; /* ndata input codes of one compare */
	/* bnn evaluator: version of each loaded layer */
	bool bnn_loaded[SYS_NLAYER];
	uint64_t bnn_version[SYS_NLAYER];

	/* transaction level */
	macro_t *m;		      /* nchips macros */
	unsigned bus_lines[SYS_NBUS]; /* line state of the last transfer */

	/* cycle accurate */
	sim_t *sim;
	sim_signal_t *clk;
	chip_t *chip[SYS_MAX_CHIPS];
	bus_t *bus[SYS_NBUS];
	sim_trace_t *tr;
	struct sys_ctx lctx[SYS_NLAYER], bctx[SYS_NBUS];
	/* the batch in flight */
	sys_result_t *res;
	size_t nres, done;
	size_t lcnt[SYS_NLAYER], bcnt[SYS_NBUS];
	sim_time_t *t_start;
	size_t t_cap;
	double e_last[SYS_NLAYER];
	uint64_t tog_last[SYS_NBUS];
};

/* Keep a message and return code. */
int sys_fail(struct sys *s, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Mask a decision row to n bits. */
void sys_mask(const uint64_t *dec, unsigned n, uint64_t *out);
/* Sum the parts of an inference's energy (same order on both levels). */
void sys_finish_result(const struct sys *s, sys_result_t *r);
/* Readiness check shared by the inference entry points. */
int sys_ready(struct sys *s);

/* Cycle-accurate parts (system_ca.c). */
int sys_ca_build(struct sys *s);
int sys_ca_sync(struct sys *s);
int sys_ca_infer_batch(struct sys *s, size_t n, const uint8_t *codes,
		       sys_result_t *res);

#endif /* IMCSIM_SYSTEM_INTERNAL_H */
