/*
 * imcsim.c - the command-line front door: `imcsim <command> [options]`.
 *
 * Each sub-command (commands.h) parses its own options through cli.h and
 * returns the exit status: 0 success, 1 failure (one message on stderr),
 * 2 bad usage.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "dist.h"
#include "output.h"
#include "suggest.h"

typedef struct command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
} command_t;

static const command_t commands[] = {
	{ "demo", "train, deploy, calibrate, chip-in-the-loop: the whole story",
	  cmd_demo },
	{ "train", "train the hardware-exact BNN in software", cmd_train },
	{ "eval", "classify the test split on the simulated chips", cmd_eval },
	{ "calibrate", "calibrate the chips; offsets before and after",
	  cmd_calibrate },
	{ "trace", "one inference of the whole system to a VCD", cmd_trace },
	{ "sweep", "accuracy and yield over a grid of parameter values",
	  cmd_sweep },
	{ "yield", "accuracy distribution and yield over N chip instances",
	  cmd_yield },
	{ "plot", "four figures (PNG via gnuplot) and their data as JSON",
	  cmd_plot },
	{ "params", "list every parameter, its default, range and unit",
	  cmd_params },
	{ "fetch-data", "fetch the MNIST digits into the user cache",
	  cmd_fetch_data },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: imcsim <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\n`imcsim <command> --help` describes one command.\n");
}

/* Commands that spread their work over the processes of an MPI run; the
 * others run on rank 0 alone. */
static int distributed(const char *name)
{
	return !strcmp(name, "yield") || !strcmp(name, "sweep");
}

static int run(int argc, char **argv);

int main(int argc, char **argv)
{
	if (dist_init(&argc, &argv))
		return 1;
	int rc = 0;
	if (dist_rank() == 0 || (argc > 1 && distributed(argv[1])))
		rc = run(argc, argv);
	dist_finish();
	return rc;
}

static int run(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		cli_print_version();
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name)) {
			out_begin(commands[i].name);
			return out_finish(commands[i].run(argc - 1, argv + 1));
		}
	const char *names[sizeof(commands) / sizeof(commands[0])];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		names[i] = commands[i].name;
	const char *best =
		suggest_best(argv[1], names, sizeof(names) / sizeof(names[0]));
	if (best)
		fprintf(stderr,
			"imcsim: unknown command '%s' (did you mean %s? "
			"imcsim --help lists them)\n",
			argv[1], best);
	else
		fprintf(stderr,
			"imcsim: unknown command '%s' (imcsim --help lists "
			"them)\n",
			argv[1]);
	return 2;
}
