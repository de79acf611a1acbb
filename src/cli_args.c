/* cli_args.c - option parsing of every imcsim sub-command (cli.h):
 * getopt_long, so --opt=value, --opt value, unique prefixes, `--` and
 * short options work as in other Unix tools; a mistyped option gets a
 * "did you mean"; --help fits 80 columns; --version everywhere. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "imcsim_commit.h"
#include "suggest.h"

enum { MAX_OPTS = 24, HELP_COL = 26, WIDTH = 80 };

/* Short names: the common options' and, for command options, by name. */
typedef struct opt_desc {
	const char *name;
	bool has_arg;
	const char *arg_name;
	const char *help;
	char short_name;
} opt_desc_t;

static const struct {
	const char *name;
	char short_name;
} command_shorts[] = { { "out", 'o' }, { "net", 'n' } };

static char short_of(const char *name)
{
	for (size_t i = 0;
	     i < sizeof(command_shorts) / sizeof(command_shorts[0]); i++)
		if (!strcmp(command_shorts[i].name, name))
			return command_shorts[i].short_name;
	return 0;
}

/* The options every command has. */
static const opt_desc_t common[] = {
	{ "config", true, "FILE",
	  "read parameters from an INI file ([section] key = value); "
	  "repeatable, applied in order",
	  'c' },
	{ "set", true, "SECTION.KEY=V",
	  "set one parameter (repeatable; after --config)", 's' },
	{ "data", true, "DIR", "MNIST IDX files (default: the fetched cache)",
	  'd' },
	{ "json", true, "FILE", "write the results as JSON (- is stdout)",
	  'j' },
	{ "quiet", false, NULL, "no progress display", 'q' },
	{ "version", false, NULL, "print the version and commit, then exit",
	  'V' },
	{ "help", false, NULL, "this text", 'h' },
};
#define NCOMMON (sizeof(common) / sizeof(common[0]))

void cli_print_version(void)
{
	printf("imcsim %s (commit %s)\n", PACKAGE_VERSION, IMCSIM_COMMIT);
}

/* "  -c, --config FILE   text" wrapped at WIDTH columns. */
static void help_line(const opt_desc_t *o)
{
	char left[64];
	char sh[8] = "    ";
	if (o->short_name)
		snprintf(sh, sizeof(sh), "-%c, ", o->short_name);
	snprintf(left, sizeof(left), "  %s--%s%s%s", sh, o->name,
		 o->has_arg ? " " : "", o->has_arg ? o->arg_name : "");
	int col = printf("%s", left);
	if (col >= HELP_COL - 1) {
		printf("\n");
		col = 0;
	}
	const char *p = o->help;
	while (*p) {
		printf("%*s", HELP_COL - col, "");
		col = HELP_COL;
		size_t room = WIDTH - HELP_COL, n = strlen(p);
		if (n > room) {
			n = room;
			while (n && p[n] != ' ')
				n--;
			if (!n)
				n = room;
		}
		printf("%.*s\n", (int)n, p);
		p += n;
		while (*p == ' ')
			p++;
		col = 0;
	}
}

/* text, each of its lines wrapped at WIDTH columns (continuations keep the
 * line's indentation) */
static void print_wrapped(const char *text)
{
	while (*text) {
		size_t len = strcspn(text, "\n");
		size_t indent = strspn(text, " ");
		const char *p = text, *end = text + len;
		size_t lead = 0;
		while (p < end) {
			size_t room = WIDTH - lead, n = (size_t)(end - p);
			if (n > room) {
				n = room;
				while (n && p[n] != ' ')
					n--;
				if (!n)
					n = room;
			}
			printf("%*s%.*s\n", (int)lead, "", (int)n, p);
			p += n;
			while (p < end && *p == ' ')
				p++;
			lead = indent;
		}
		if (!len)
			printf("\n");
		text = *end ? end + 1 : end;
	}
}

static void print_help(const char *cmd, const char *usage,
		       const char *description, const cli_opt_t *opts,
		       size_t nopts)
{
	printf("usage: imcsim %s %s\n\n", cmd, usage);
	print_wrapped(description);
	printf("\noptions:\n");
	for (size_t i = 0; i < nopts; i++) {
		opt_desc_t d = { opts[i].name, opts[i].has_arg,
				 opts[i].arg_name, opts[i].help,
				 short_of(opts[i].name) };
		help_line(&d);
	}
	for (size_t i = 0; i < NCOMMON; i++)
		help_line(&common[i]);
	printf("\n`imcsim params` lists every parameter with its default, "
	       "range and unit.\n");
}

/* The option a failed argv element names, for messages. */
static void unknown_option(cli_t *cli, const char *arg, const struct option *lo,
			   size_t nlo)
{
	const char *names[MAX_OPTS + 8];
	char word[64];
	size_t n = 0;
	for (size_t i = 0; i < nlo && n < sizeof(names) / sizeof(names[0]); i++)
		names[n++] = lo[i].name;
	const char *w = arg;
	while (*w == '-')
		w++;
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(w, "="), w);
	const char *best = suggest_best(word, names, n);
	if (best)
		cli_fail(cli,
			 "unknown option '%s' (did you mean --%s? see imcsim "
			 "%s --help)",
			 arg, best, cli->cmd);
	else
		cli_fail(cli, "unknown option '%s' (see imcsim %s --help)", arg,
			 cli->cmd);
}

/* --data DIR: neither empty (it meant /) nor longer than the field (it was
 * cut short). */
static int set_data_dir(cli_t *cli, const char *val)
{
	size_t n = strlen(val);
	if (!n) {
		cli_fail(cli, "--data: empty directory name");
		return -1;
	}
	if (n >= sizeof(cli->cfg.data_dir)) {
		cli_fail(cli, "--data: path too long (%zu bytes, at most %zu)",
			 n, sizeof(cli->cfg.data_dir) - 1);
		return -1;
	}
	memcpy(cli->cfg.data_dir, val, n + 1);
	cli->cfg.data_from = CONFIG_DATA_OPTION;
	return 0;
}

int cli_parse(cli_t *cli, int argc, char **argv, const char *usage,
	      const char *description, const cli_opt_t *opts, size_t nopts)
{
	const char *configs[16]; /* applied in the order given */
	size_t nconfigs = 0;
	const char *sets[128];
	size_t nsets = 0;
	cli->cmd = argv[0];
	cli->argc = argc;
	cli->argv = argv;
	config_defaults(&cli->cfg);
	cli->inputs.n = 0;
	cli->json_path = NULL;
	cli->quiet = false;
	cli->progress_tty = isatty(STDERR_FILENO);
	cli->last_progress = -1;
	if (nopts > MAX_OPTS) {
		cli_fail(cli, "internal: too many options");
		return -1;
	}
	struct option lo[MAX_OPTS + NCOMMON + 1];
	char shorts[2 + 3 * (MAX_OPTS + NCOMMON) + 1] = "+:";
	size_t nlo = 0, ns = 2;
	int val[MAX_OPTS + NCOMMON];
	for (size_t i = 0; i < nopts + NCOMMON; i++) {
		const char *name = i < nopts ? opts[i].name
					     : common[i - nopts].name;
		bool has_arg = i < nopts ? opts[i].has_arg
					 : common[i - nopts].has_arg;
		char sn = i < nopts ? short_of(name)
				    : common[i - nopts].short_name;
		val[i] = sn ? sn : 256 + (int)i;
		lo[nlo].name = name;
		lo[nlo].has_arg = has_arg ? required_argument : no_argument;
		lo[nlo].flag = NULL;
		lo[nlo].val = val[i];
		nlo++;
		if (sn) {
			shorts[ns++] = sn;
			if (has_arg)
				shorts[ns++] = ':';
		}
	}
	memset(&lo[nlo], 0, sizeof(lo[nlo]));
	shorts[ns] = 0;
	opterr = 0;
	optind = 1;
	for (;;) {
		int prev = optind;
		int c = getopt_long(argc, argv, shorts, lo, NULL);
		if (c == -1)
			break;
		const char *arg = argv[prev < argc ? prev : argc - 1];
		if (c == '?') {
			if (optopt && optopt < 256 && arg[0] == '-' &&
			    arg[1] != '-')
				cli_fail(cli,
					 "unknown option '-%c' (see imcsim %s "
					 "--help)",
					 optopt, cli->cmd);
			else
				unknown_option(cli, arg, lo, nlo);
			return -1;
		}
		if (c == ':') {
			cli_fail(cli, "%.*s needs a value",
				 (int)strcspn(arg, "="), arg);
			return -1;
		}
		/* which option */
		size_t k = 0;
		while (k < nopts + NCOMMON && val[k] != c)
			k++;
		if (k == nopts + NCOMMON)
			continue;
		if (k >= nopts) {
			switch (common[k - nopts].short_name) {
			case 'h':
				print_help(cli->cmd, usage, description, opts,
					   nopts);
				return 1;
			case 'V':
				cli_print_version();
				return 1;
			case 'q':
				cli->quiet = true;
				break;
			case 'j':
				cli->json_path = optarg;
				break;
			case 'd':
				if (set_data_dir(cli, optarg))
					return -1;
				break;
			case 'c':
				if (nconfigs ==
				    sizeof(configs) / sizeof(configs[0])) {
					cli_fail(cli,
						 "too many --config options");
					return -1;
				}
				configs[nconfigs++] = optarg;
				break;
			case 's':
				if (nsets == sizeof(sets) / sizeof(sets[0])) {
					cli_fail(cli, "too many --set options");
					return -1;
				}
				sets[nsets++] = optarg;
				break;
			}
			continue;
		}
		const cli_opt_t *o = &opts[k];
		if (o->has_arg && o->flag) {
			size_t n = 0;
			while (n < CLI_MAX_REPEAT && o->value[n])
				n++;
			if (n == CLI_MAX_REPEAT) {
				cli_fail(cli, "--%s: at most %d times", o->name,
					 CLI_MAX_REPEAT);
				return -1;
			}
			o->value[n] = optarg;
			*o->flag = true;
		} else if (o->has_arg) {
			*o->value = optarg;
		} else {
			*o->flag = true;
		}
	}
	if (optind < argc) {
		cli_fail(cli, "unexpected argument '%s' (see imcsim %s --help)",
			 argv[optind], cli->cmd);
		return -1;
	}
	const param_table_t *t = config_table();
	for (size_t k = 0; k < nconfigs; k++)
		if (param_load_file(t, &cli->cfg, configs[k], &cli->inputs)) {
			cli_fail(cli, "%s", imc_last_error());
			return -1;
		}
	for (size_t k = 0; k < nsets; k++)
		if (param_set_assignment(t, &cli->cfg, sets[k])) {
			cli_fail(cli, "%s", imc_last_error());
			return -1;
		}
	if (config_finish(&cli->cfg)) {
		cli_fail(cli, "%s", imc_last_error());
		return -1;
	}
	return 0;
}
