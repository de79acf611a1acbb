/*
 * cosim_main.cpp - Verilator co-simulation of rtl/comp_ctrl.v against the C
 * golden model model/chip/calib.c (issue 4): the command-line front end.
 *
 * Open loop (default): for every scenario of cosim_env.cpp (random and
 * patterned decisions, random compare latencies, start pulses mid-run,
 * resets, spurious valids) and several seeds, both controllers get the same
 * inputs and are compared on every cycle (cosim.h). The first failing run
 * is reported and replayed with tracing on, into <waves>_rtl.vcd and
 * <waves>_gold.vcd, which waves/cosim.gtkw opens.
 * Closed loop (--closed N): the RTL calibrates N chip models (cosim_closed).
 *
 * Exit status: 0 all matched, 1 a mismatch or failed property, 2 usage or
 * I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cosim.h"
#include "cosim_env.h"

typedef struct opts {
	uint64_t seed;
	unsigned long cycles; /* per run */
	unsigned runs;	      /* seeds per scenario */
	const char *only;     /* one scenario, or NULL for all */
	const char *waves;    /* path prefix of the VCDs written on mismatch */
	unsigned long dump;   /* --dump: trace this many cycles of one run */
	unsigned closed;      /* --closed: chip seeds for the closed loop */
	bool quiet;
} opts_t;

typedef struct stats {
	unsigned long cycles, calibs;
} stats_t;

/* One open-loop run from power-up. With trace set, replay it writing VCDs
 * up to cycle stop, comparing nothing. Returns the first cycle with a
 * difference (or failed property), -1 if none, -2 on error. */
static long run_one(const env_scen_t *sc, uint64_t seed, unsigned long cycles,
		    const char *trace, unsigned long stop, stats_t *st)
{
	env_t *e = (env_t *)malloc(sizeof *e);
	cosim_t *s = cosim_new(trace);
	calib_in_t in;
	long first = -1;
	bool was_done = false;
	unsigned long k;

	if (e == NULL || s == NULL) {
		free(e);
		cosim_free(s);
		return -2;
	}
	env_init(e, sc, COSIM_NCOL, COSIM_NROW, seed);
	for (k = 0; k < cycles && (trace == NULL || k <= stop); k++) {
		env_inputs(e, k, cosim_gold(s), &in);
		/* Registers are meaningful after the first (reset) edge. */
		if (cosim_eval(s, k, &in, k > 0 && trace == NULL) > 0) {
			first = (long)k;
			break;
		}
		cosim_edge(s, k, &in);
		bool d = calib_state(cosim_gold(s)) == CALIB_DONE;
		if (d && !was_done) {
			unsigned col;

			st->calibs++;
			if (trace == NULL &&
			    env_check_done(e, cosim_gold(s), &col) != 0) {
				printf("cosim: PROPERTY cycle %lu: column %u count %u "
				       "after calibration\n",
				       k, col, calib_count(cosim_gold(s), col));
				first = (long)k;
				break;
			}
		}
		was_done = d;
	}
	st->cycles += k;
	free(e);
	if (cosim_free(s) != 0)
		return -2;
	return first;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: cosim [--seed N] [--cycles N] [--runs N] [--scenario NAME]\n"
		"             [--waves PREFIX] [--dump CYCLES] [--closed SEEDS]\n"
		"             [--quiet] [--list]\n"
		"  --dump CYCLES  write PREFIX_rtl.vcd and PREFIX_gold.vcd of the\n"
		"                 first run of the (first) scenario and stop\n"
		"  --closed SEEDS the RTL calibrates SEEDS chip models instead\n");
	return 2;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int parse(opts_t *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--quiet")) {
			o->quiet = true;
			continue;
		}
		if (v == NULL)
			return -1;
		i++;
		if (!strcmp(a, "--seed"))
			o->seed = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--cycles"))
			o->cycles = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--runs"))
			o->runs = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(a, "--scenario"))
			o->only = v;
		else if (!strcmp(a, "--waves"))
			o->waves = v;
		else if (!strcmp(a, "--dump"))
			o->dump = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--closed"))
			o->closed = (unsigned)strtoul(v, NULL, 0);
		else
			return -1;
	}
	return 0;
}

/* Run every selected scenario; report and replay the first failure. */
static int open_loop(const opts_t *o)
{
	unsigned nsc, matched = 0;
	const env_scen_t *sc = env_scenarios(&nsc);
	stats_t st = { 0, 0 };
	double t0 = now_s(), dt;

	for (unsigned s = 0; s < nsc; s++) {
		if (o->only != NULL && strcmp(o->only, sc[s].name) != 0)
			continue;
		matched++;
		for (unsigned run = 0; run < o->runs; run++) {
			uint64_t seed = o->seed * 1000003u + s * 7919u + run;
			long bad =
				run_one(&sc[s], seed, o->cycles, NULL, 0, &st);

			if (bad == -2)
				return 2;
			if (bad < 0)
				continue;
			printf("cosim: FAIL scenario %s seed %llu (NCOL=%u NROW=%u), "
			       "first difference at cycle %ld\n",
			       sc[s].name, (unsigned long long)seed, COSIM_NCOL,
			       COSIM_NROW, bad);
			if (run_one(&sc[s], seed, o->cycles, o->waves,
				    (unsigned long)bad + 3, &st) == -2)
				return 2;
			printf("cosim: waves %s_rtl.vcd %s_gold.vcd; view with\n"
			       "  gtkwave %s_rtl.vcd waves/cosim.gtkw\n"
			       "  gtkwave %s_gold.vcd waves/cosim.gtkw\n",
			       o->waves, o->waves, o->waves, o->waves);
			return 1;
		}
		if (!o->quiet)
			printf("cosim: %-13s ok (%u runs x %lu cycles)\n",
			       sc[s].name, o->runs, o->cycles);
	}
	if (matched == 0) {
		fprintf(stderr, "cosim: no scenario named %s (try --list)\n",
			o->only);
		return 2;
	}
	dt = now_s() - t0;
	printf("cosim: PASS NCOL=%u NROW=%u: %lu cycles, %lu calibrations, "
	       "%.0f cycles/s\n",
	       COSIM_NCOL, COSIM_NROW, st.cycles, st.calibs,
	       (double)st.cycles / (dt > 0 ? dt : 1));
	return 0;
}

/* --dump: trace the first run of the first selected scenario. */
static int dump(const opts_t *o)
{
	unsigned nsc;
	const env_scen_t *sc = env_scenarios(&nsc);
	stats_t st = { 0, 0 };

	for (unsigned s = 0; s < nsc; s++) {
		if (o->only != NULL && strcmp(o->only, sc[s].name) != 0)
			continue;
		if (run_one(&sc[s], o->seed * 1000003u + s * 7919u, o->dump,
			    o->waves, o->dump, &st) == -2)
			return 2;
		printf("cosim: wrote %lu cycles of scenario %s to %s_rtl.vcd and "
		       "%s_gold.vcd\n",
		       o->dump, sc[s].name, o->waves, o->waves);
		return 0;
	}
	fprintf(stderr, "cosim: no scenario named %s (try --list)\n", o->only);
	return 2;
}

int main(int argc, char **argv)
{
	opts_t o = { 1, 20000, 2, NULL, "waves/cosim", 0, 0, false };

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		unsigned nsc;
		const env_scen_t *sc = env_scenarios(&nsc);

		for (unsigned s = 0; s < nsc; s++)
			printf("%s\n", sc[s].name);
		return 0;
	}
	if (parse(&o, argc, argv) != 0)
		return usage();
	if (o.closed > 0)
		return cosim_closed(o.closed, o.seed, o.waves, o.quiet);
	if (o.dump > 0)
		return dump(&o);
	return open_loop(&o);
}
