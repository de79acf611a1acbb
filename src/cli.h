/*
 * cli.h - what every imcsim sub-command shares: option parsing (with the
 * common --config, --set, --data, --json, --quiet, --help), output files
 * that appear only when complete (written to a temporary name in the same
 * directory, renamed at the end, removed on failure), JSON results through
 * cJSON, and the progress display. Errors follow the library's convention
 * (imc_err.h): a failing function returns -1 (or a negative code) after
 * imc_fail() recorded its message, and the command prints that one
 * message once, with cli_fail(cli, "%s", imc_last_error()), as
 * "imcsim <command>: <message>".
 */
#ifndef IMCSIM_CLI_H
#define IMCSIM_CLI_H

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output.h"
#include "provenance.h"
#include "settings.h"

/* Most times an option that takes a value may repeat (see cli_opt_t). */
#define CLI_MAX_REPEAT 16

/* One command-specific option: --name VALUE (or a flag if !has_arg). An
 * option with a value and a flag repeats: value is then an array of
 * CLI_MAX_REPEAT + 1 pointers (zeroed) filled in order, and flag is set
 * when it is present. */
typedef struct cli_opt {
	const char *name;
	bool has_arg;
	const char *arg_name;
	const char *help;
	const char **value; /* where the argument goes (has_arg) */
	bool *flag;	    /* set when present (!has_arg; repeats) */
} cli_opt_t;

typedef struct cli {
	const char *cmd; /* command name, for messages */
	int argc;	 /* the command line, for provenance */
	char **argv;
	imcsim_config_t cfg;
	const char *json_path; /* --json FILE, or NULL */
	bool quiet;
	bool progress_tty;
	double last_progress;
	prov_inputs_t inputs; /* every file read, for the result's "inputs" */
} cli_t;

/* Parse argv (argv[0] is the command). Returns 0 to go on, 1 if --help was
 * printed (exit 0), -1 after printing an error (exit 2). */
int cli_parse(cli_t *cli, int argc, char **argv, const char *usage,
	      const char *description, const cli_opt_t *opts, size_t nopts);
/* "imcsim VERSION (commit HASH)" on stdout. */
void cli_print_version(void);
/* Print "imcsim <cmd>: <message>" to stderr; returns the exit status 1. */
int cli_fail(const cli_t *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Progress callback for experiment.h (stderr, one line, rate limited). */
void cli_progress(void *ctx, const char *stage, double frac);

/* An output file, through output.h: validated and registered when opened
 * (before any work), published by out_finish() when the command returns 0,
 * removed with every other output of the run otherwise. */
typedef struct cli_out {
	out_id_t id;	     /* 0: not opened */
	char path[PATH_MAX]; /* as the user gave it */
	char tmp[PATH_MAX];  /* the name a writer fills (output.h) */
} cli_out_t;

/* Validate and register path now, so a bad output fails before any work.
 * 0, or -1 (message in imc_last_error()). */
int cli_out_open(cli_out_t *o, const char *path);
/* The same, naming the option (e.g. "--vcd") in messages. */
int cli_out_open_opt(cli_out_t *o, const char *path, const char *opt);
/* The output's whole content from memory. 0, or -1 (message in imc_last_error()). */
int cli_out_commit(cli_out_t *o, const char *data, size_t len);
/* A writer filled o->tmp. 0, or -1 (message in imc_last_error()). */
int cli_out_commit_file(cli_out_t *o);
/* Give up on the output (the run fails: out_finish removes it). */
void cli_out_abort(cli_out_t *o);
/* The same after a writer that filled o->tmp failed (imc_last_error()):
 * the message names the file the user asked for, not the temporary one. */
void cli_out_abort_err(cli_out_t *o);

/* Read a net file once, whole (a regular file only), parse it and note it
 * in cli's inputs; the net's preprocessing becomes the configuration's.
 * 0, or 1 after printing why. */
struct bnn_net;
int cli_load_net(cli_t *cli, const char *path, struct bnn_net *net);

/* JSON: the common header of every result, and writing it out. */
cJSON *cli_json_new(const cli_t *cli);
int cli_json_write(cli_t *cli, cli_out_t *o, cJSON *root);
/* Every parameter's declaration: name, type, unit, default, range,
 * meaning, source. */
cJSON *cli_json_declarations(void);
/* A 64-bit integer (a seed) as an exact JSON integer. */
void cli_json_add_u64(cJSON *obj, const char *name, uint64_t v);
/* All parameters and their values as a JSON object. */
cJSON *cli_json_config(const imcsim_config_t *c);

#endif /* IMCSIM_CLI_H */
