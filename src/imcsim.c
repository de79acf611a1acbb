/*
 * imcsim.c - the command-line front door: `imcsim <command> [options]`.
 *
 * Each sub-command is one function taking argc/argv (argv[0] is the command
 * name) and returning the process exit status; errors are printed once,
 * here, with the command's name.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tb_kernel.h"

typedef struct command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
} command_t;

static int cmd_demo(int argc, char **argv)
{
	const char *vcd = "waves/kernel.vcd";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: imcsim demo [--vcd FILE]\n"
			       "Runs the kernel testbench (counter, 128-bit "
			       "shift register, analog node) and writes a VCD\n"
			       "(default %s; open with gtkwave FILE "
			       "waves/kernel.gtkw).\n",
			       vcd);
			return 0;
		} else if (!strcmp(argv[i], "--vcd") && i + 1 < argc) {
			vcd = argv[++i];
		} else {
			fprintf(stderr, "imcsim demo: unknown option '%s' "
					"(see imcsim demo --help)\n",
				argv[i]);
			return 2;
		}
	}
	return tb_kernel_run(vcd, 40);
}

static const command_t commands[] = {
    {"demo", "run the demonstration job", cmd_demo},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: imcsim <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\n`imcsim <command> --help` describes one command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("imcsim %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "imcsim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
