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

/* What differs between the two levels, behind one interface: everything
 * else (the host flow, thresholds, the layer-output step, energy sums) is
 * written once in system.c for both. */
typedef struct sys_backend {
	int (*build)(struct sys *s);	/* chips (and kernel) of s->p */
	void (*destroy)(struct sys *s); /* free what build made */
	/* host SRAM write of one row of a chip (queued on the CA level) */
	int (*write_row)(struct sys *s, unsigned chip, unsigned row,
			 const uint64_t *data);
	int (*sync)(struct sys *s); /* complete what is queued */
	/* calibrate every chip: fill s->ncnt and s->st.calib_cycles */
	int (*calibrate)(struct sys *s);
	int (*infer_batch)(struct sys *s, size_t n, const uint8_t *codes,
			   sys_result_t *res);
	macro_t *(*macro)(struct sys *s, unsigned chip); /* analog state */
} sys_backend_t;

extern const sys_backend_t sys_tlm_backend; /* system_tlm.c */
extern const sys_backend_t sys_ca_backend;  /* system_ca.c */

struct sys {
	sys_params_t p;
	sys_level_t level;
	const sys_backend_t *be;
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
/* The layer-output step of both levels: mask layer l's decisions into
 * r->dec[l], then normalize them into the next layer's codes, or (output
 * layer) read out the class scores; out gets the codes the next bus
 * carries, and their number is returned. */
unsigned sys_layer_output(const struct sys *s, unsigned l, const uint64_t *dec,
			  sys_result_t *r, uint8_t *out);
/* The host takes the scores off the last bus: r->score and r->pred. */
void sys_host_receive(const struct sys *s, const uint8_t *scores, unsigned n,
		      sys_result_t *r);
/* Sum the parts of an inference's energy (same order on both levels). */
void sys_finish_result(const struct sys *s, sys_result_t *r);
/* Readiness check shared by the inference entry points. */
int sys_ready(struct sys *s);

#endif /* IMCSIM_SYSTEM_INTERNAL_H */
