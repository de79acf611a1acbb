/*
 * cosim_env.h - open-loop stimulus for the calibration co-simulation: a
 * stand-in for the chip sequencer plus a disturbance source.
 *
 * Contract
 * --------
 * One env_t drives the inputs of both controllers (RTL and golden model)
 * for one scenario run. It is a pure function of (scenario, seed) and the
 * controller outputs it is shown, so a run can be replayed exactly (the
 * harness replays a failing run with tracing on). Per cycle the harness
 * calls env_inputs() with the golden model's state and outputs; the env
 * answers each compare request after a latency drawn from the scenario's
 * range (cmp_valid for one cycle, counted as the contract counts it), with
 * decisions from the scenario's pattern, and adds the scenario's start
 * pulses, resets, spurious valids and junk on idle inputs.
 */
#ifndef IMCSIM_COSIM_ENV_H
#define IMCSIM_COSIM_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include "chip/calib.h"

enum env_dec {
	ENV_RANDOM,  /* independent random decision per column and compare */
	ENV_PLUS,    /* every column decides +1 */
	ENV_MINUS,   /* every column decides -1 */
	ENV_ALT,     /* all +1, all -1, all +1, ... by compare */
	ENV_COLUMN,  /* a fixed random decision per column */
	ENV_STRIPES, /* bands of columns, band width and phase change per step */
	ENV_OFFSET   /* a toy chip: column offset against the counts (+noise) */
};

typedef struct env_scen {
	const char *name;
	enum env_dec dec;
	unsigned lat_min, lat_max; /* compare latency range, cycles (>= 1) */
	double p_go;		   /* P(start) per cycle while IDLE or DONE */
	double p_start_mid; /* P(start) per cycle while busy (ignored by FSM) */
	double p_rst;	    /* P(rst) per cycle */
	double p_spur;	    /* P(spurious cmp_valid) per cycle */
	double noise;	    /* ENV_OFFSET: decision noise, in count units */
	bool junk;	    /* random cmp_dec when not valid */
} env_scen_t;

typedef struct env {
	const env_scen_t *sc;
	unsigned ncol, nrow;
	uint64_t rng;
	unsigned wait_left; /* cycles until cmp_valid; 0 = no request */
	unsigned ncmp;	    /* compares answered */
	uint64_t dec[CALIB_MAX_COL / 64];
	double off[CALIB_MAX_COL]; /* ENV_OFFSET: per-column offset, counts */
	bool fixed[CALIB_MAX_COL]; /* ENV_COLUMN: per-column decision */
} env_t;

/* The built-in scenario table; *n receives its length. */
const env_scen_t *env_scenarios(unsigned *n);

/* Prepare a run of scenario sc with this seed. */
void env_init(env_t *e, const env_scen_t *sc, unsigned ncol, unsigned nrow,
	      uint64_t seed);

/* Fill *in for cycle k from the golden model's state and outputs (its
 * Moore outputs do not depend on *in). in->cmp_dec points into e. */
void env_inputs(env_t *e, unsigned long k, const calib_t *gold, calib_in_t *in);

/* After a completed calibration: check what the scenario promises about
 * the counts (in 1..nrow; for ENV_OFFSET without noise the residual is
 * within half a step: the search ends on the nearest count). Returns -1 and the first bad column in *col, or 0. */
int env_check_done(const env_t *e, const calib_t *gold, unsigned *col);

#endif /* IMCSIM_COSIM_ENV_H */
