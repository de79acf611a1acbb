/*
 * cosim_env.cpp - open-loop stimulus for the calibration co-simulation (see
 * cosim_env.h). C subset of C++, compiled by Verilator's build.
 */
#include "cosim_env.h"

#include <string.h>

static const env_scen_t scen[] = {
	/* name          dec          lat    go    mid    rst    spur  noise junk */
	{ "random", ENV_RANDOM, 1, 8, 0.5, 0, 0, 0, 0, false },
	{ "all_plus", ENV_PLUS, 1, 1, 1.0, 0, 0, 0, 0, false },
	{ "all_minus", ENV_MINUS, 5, 5, 1.0, 0, 0, 0, 0, false },
	{ "alternating", ENV_ALT, 1, 3, 0.3, 0, 0, 0, 0, true },
	{ "columns", ENV_COLUMN, 2, 2, 0.5, 0, 0, 0, 0, true },
	{ "stripes", ENV_STRIPES, 1, 4, 0.5, 0, 0, 0, 0, true },
	{ "offset", ENV_OFFSET, 1, 6, 0.5, 0, 0, 0, 0, false },
	{ "offset_noisy", ENV_OFFSET, 1, 6, 0.5, 0, 0, 0, 0.7, false },
	{ "restarts", ENV_RANDOM, 1, 8, 0.5, 0.01, 0, 0.002, 0, true },
	{ "resets", ENV_RANDOM, 1, 8, 0.5, 0.005, 0.003, 0, 0, true },
	{ "slow_chip", ENV_RANDOM, 20, 120, 0.5, 0, 0, 0, 0, false },
	{ "idle", ENV_RANDOM, 1, 4, 0.01, 0, 0, 0.01, 0, true },
};

const env_scen_t *env_scenarios(unsigned *n)
{
	*n = sizeof scen / sizeof scen[0];
	return scen;
}

/* splitmix64: one 64-bit state, good enough for stimulus and replayable. */
static uint64_t next(env_t *e)
{
	uint64_t z = (e->rng += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static double uniform(env_t *e)
{
	return (double)(next(e) >> 11) * (1.0 / 9007199254740992.0);
}

static bool chance(env_t *e, double p)
{
	return p > 0 && uniform(e) < p;
}

static unsigned sel_width(unsigned ncol)
{
	unsigned w = 1;

	while ((1u << w) < ncol)
		w++;
	return w;
}

void env_init(env_t *e, const env_scen_t *sc, unsigned ncol, unsigned nrow,
	      uint64_t seed)
{
	unsigned c;

	memset(e, 0, sizeof *e);
	e->sc = sc;
	e->ncol = ncol;
	e->nrow = nrow;
	e->rng = seed;
	/* Offsets inside the correctable range (+-(nrow/2 - 1.5) counts). */
	for (c = 0; c < ncol; c++) {
		e->off[c] = (uniform(e) * 2 - 1) * (nrow / 2.0 - 1.5);
		e->fixed[c] = next(e) & 1;
	}
}

static void set_dec(env_t *e, unsigned c, bool plus)
{
	if (plus)
		e->dec[c / 64] |= (uint64_t)1 << (c % 64);
}

static void random_words(env_t *e)
{
	unsigned w;

	for (w = 0; w < (e->ncol + 63) / 64; w++)
		e->dec[w] = next(e);
	if (e->ncol % 64)
		e->dec[e->ncol / 64] &= ((uint64_t)1 << (e->ncol % 64)) - 1;
}

/* The decisions of one compare operation. */
static void decide(env_t *e, const calib_t *gold)
{
	unsigned c, k = e->ncmp;

	memset(e->dec, 0, sizeof e->dec);
	switch (e->sc->dec) {
	case ENV_RANDOM:
		random_words(e);
		break;
	case ENV_PLUS:
	case ENV_MINUS:
	case ENV_ALT:
		for (c = 0; c < e->ncol; c++)
			set_dec(e, c,
				e->sc->dec == ENV_PLUS ||
					(e->sc->dec == ENV_ALT && k % 2 == 0));
		break;
	case ENV_COLUMN:
		for (c = 0; c < e->ncol; c++)
			set_dec(e, c, e->fixed[c]);
		break;
	case ENV_STRIPES:
		for (c = 0; c < e->ncol; c++)
			set_dec(e, c, ((c >> (k % 5)) + k) & 1);
		break;
	case ENV_OFFSET:
		/* A cell at 1 pushes the column towards +1 (contract); the
		 * chip compares with row nrow-1 (a 0) off: half a count up. */
		for (c = 0; c < e->ncol; c++) {
			double v = e->off[c] + (double)calib_count(gold, c) +
				   0.5 - e->nrow / 2.0;

			if (e->sc->noise > 0)
				v += (uniform(e) + uniform(e) + uniform(e) -
				      1.5) *
				     2 * e->sc->noise;
			set_dec(e, c, v > 0);
		}
		break;
	}
	e->ncmp++;
}

void env_inputs(env_t *e, unsigned long k, const calib_t *gold, calib_in_t *in)
{
	int st = calib_state(gold);
	bool quiet = st == CALIB_IDLE || st == CALIB_DONE;
	unsigned span = e->sc->lat_max - e->sc->lat_min + 1;

	in->rst = k < 2 || chance(e, e->sc->p_rst);
	in->start = chance(e, quiet ? e->sc->p_go : e->sc->p_start_mid);
	in->cnt_sel = (unsigned)(next(e) & ((1u << sel_width(e->ncol)) - 1));
	in->cmp_valid = false;
	in->cmp_dec = e->dec;
	/* operating-point loads, honoured only in IDLE / DONE: try them in
	 * every state (a few per calibration) */
	in->op_we = chance(e, 0.05);
	in->op_code = (unsigned)(next(e) & ((1u << CALIB_OP_BITS) - 1));
	if (e->wait_left > 0 && --e->wait_left == 0) {
		decide(e, gold);
		in->cmp_valid = true;
	} else if (chance(e, e->sc->p_spur)) {
		random_words(e);
		in->cmp_valid = true;
	} else if (e->sc->junk) {
		random_words(e);
	} else {
		memset(e->dec, 0, sizeof e->dec);
	}
	/* The chip samples cmp_req on the edge that ends this cycle. */
	if (st == CALIB_REQ)
		e->wait_left = e->sc->lat_min + (unsigned)(next(e) % span);
	if (in->rst)
		e->wait_left = 0;
}

int env_check_done(const env_t *e, const calib_t *gold, unsigned *col)
{
	unsigned c;

	for (c = 0; c < e->ncol; c++) {
		unsigned n = calib_count(gold, c);
		double res = e->off[c] + (double)n - e->nrow / 2.0;

		*col = c;
		if (n < 1 || n > e->nrow)
			return -1;
		/* the half-step refinement ends on the nearest count */
		if (e->sc->dec == ENV_OFFSET && e->sc->noise == 0 &&
		    (res > 0.5 || res < -0.5))
			return -1;
	}
	return 0;
}
