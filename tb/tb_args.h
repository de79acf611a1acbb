/*
 * tb_args.h - the command line every testbench shares, and its save file.
 *
 * Contract
 * --------
 *   tb_NAME [-o|--out PATH] [--seed N] [testbench options] [--help]
 * PATH is the dump (default NAME.vcd in the current directory); the save
 * file goes beside it as PATH with its extension replaced by .gtkw
 * (sim_gtkw_path_for). Options are parsed with getopt_long: an unknown
 * option, a missing or malformed value, or an operand is refused with one
 * message and exit status 2; --help prints the usage on stdout and the
 * program exits 0. Neither writes a file.
 *
 * Testbench options come as a table: a flag (arg NULL) sets *flag, an
 * option with a value stores the string in *value (the testbench checks
 * it). tb_args_finish() writes the save file and prints how to open it.
 */
#ifndef IMCSIM_TB_ARGS_H
#define IMCSIM_TB_ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/gtkw.h"

typedef struct tb_opt {
	const char *name; /* long option, without "--" */
	const char *arg;  /* value's name in the usage, NULL for a flag */
	const char *help;
	bool *flag;	    /* set by a flag */
	const char **value; /* the value of an option with arg */
} tb_opt_t;

typedef struct tb_args {
	const char *prog;
	char *out;  /* the dump's path */
	char *gtkw; /* the save file's path */
	uint64_t seed;
} tb_args_t;

/* Parse argv. Returns 0 to run, 1 after --help (exit 0), 2 after a usage
 * error (message on stderr; exit 2), 3 when out of memory. summary is
 * printed under the usage line by --help. */
int tb_args_parse(tb_args_t *a, int argc, char **argv, const char *prog,
		  const char *default_out, const char *summary,
		  const tb_opt_t *opts, unsigned nopts);

/* Parse an option's value as an unsigned integer in [lo, hi]; 0, or -1
 * after printing which option and why. */
int tb_args_uint(const tb_args_t *a, const char *opt, const char *s,
		 uint64_t lo, uint64_t hi, uint64_t *out);

/* Write the save file g for the dump (a->gtkw beside a->out) and print
 * "open with" on stdout. 0, or 1 after printing the error. */
int tb_args_finish(const tb_args_t *a, const sim_gtkw_t *g);

/* Run a quiet tail until the dump covers all GTKWave may show of the
 * window of g (sim_gtkw_visible_end) and a period more: call after setting
 * the window, before closing the trace. 0 or the kernel's error. */
int tb_args_tail(sim_t *sim, const sim_gtkw_t *g, sim_time_t period_ps);

void tb_args_free(tb_args_t *a);

#endif /* IMCSIM_TB_ARGS_H */
