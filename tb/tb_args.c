/* tb_args.c - the testbenches' shared command line; see tb_args.h. */
#include "tb_args.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TB_MAX_OPTS 16

static void usage(FILE *f, const char *prog, const char *default_out,
		  const char *summary, const tb_opt_t *opts, unsigned n)
{
	fprintf(f, "usage: %s [-o|--out PATH] [--seed N]", prog);
	for (unsigned i = 0; i < n; i++)
		fprintf(f, opts[i].arg ? " [--%s %s]" : " [--%s]", opts[i].name,
			opts[i].arg);
	fprintf(f, " [--help]\n");
	if (f != stdout)
		return;
	if (summary)
		fprintf(f, "%s\n", summary);
	fprintf(f,
		"\n  -o, --out PATH  the waveform (default %s in the current "
		"directory);\n"
		"                  its GTKWave save file goes beside it (PATH "
		"with .gtkw\n                  for its extension)\n"
		"  --seed N        seed of every random draw (default 1)\n",
		default_out);
	for (unsigned i = 0; i < n; i++) {
		char lhs[64];
		snprintf(lhs, sizeof lhs, "--%s%s%s", opts[i].name,
			 opts[i].arg ? " " : "",
			 opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-15s %s\n", lhs, opts[i].help);
	}
	fprintf(f, "  --help          this text\n");
}

int tb_args_uint(const tb_args_t *a, const char *opt, const char *s,
		 uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (!*s || *end || errno || s[0] == '-' || v < lo || v > hi) {
		fprintf(stderr,
			"%s: %s '%s': expected an integer in %llu..%llu\n",
			a->prog, opt, s, (unsigned long long)lo,
			(unsigned long long)hi);
		return -1;
	}
	*out = v;
	return 0;
}

int tb_args_parse(tb_args_t *a, int argc, char **argv, const char *prog,
		  const char *default_out, const char *summary,
		  const tb_opt_t *opts, unsigned nopts)
{
	struct option lo[TB_MAX_OPTS + 4];
	const char *out = default_out, *seed = NULL;
	memset(a, 0, sizeof(*a));
	a->prog = prog;
	a->seed = 1;
	if (nopts > TB_MAX_OPTS)
		return 3;
	for (unsigned i = 0; i < nopts; i++)
		lo[i] = (struct option){ opts[i].name,
					 opts[i].arg ? required_argument
						     : no_argument,
					 NULL, 256 + (int)i };
	lo[nopts] = (struct option){ "out", required_argument, NULL, 'o' };
	lo[nopts + 1] = (struct option){ "seed", required_argument, NULL, 's' };
	lo[nopts + 2] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[nopts + 3] = (struct option){ NULL, 0, NULL, 0 };
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, ":o:", lo, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 's':
			seed = optarg;
			break;
		case 'h':
			usage(stdout, prog, default_out, summary, opts, nopts);
			return 1;
		case ':':
			fprintf(stderr, "%s: %s needs a value\n", prog,
				argv[optind - 1]);
			usage(stderr, prog, default_out, summary, opts, nopts);
			return 2;
		case '?':
			fprintf(stderr, "%s: unknown option '%s'\n", prog,
				argv[optind - 1]);
			usage(stderr, prog, default_out, summary, opts, nopts);
			return 2;
		default: {
			const tb_opt_t *o = &opts[c - 256];
			if (o->arg)
				*o->value = optarg;
			else
				*o->flag = true;
		}
		}
	}
	if (optind < argc) {
		fprintf(stderr,
			"%s: unexpected argument '%s' (the waveform "
			"path is given with -o PATH)\n",
			prog, argv[optind]);
		usage(stderr, prog, default_out, summary, opts, nopts);
		return 2;
	}
	if (!*out) {
		fprintf(stderr, "%s: --out: empty path\n", prog);
		return 2;
	}
	if (seed && tb_args_uint(a, "--seed", seed, 0, UINT64_MAX, &a->seed))
		return 2;
	size_t n = strlen(out) + 1;
	a->out = malloc(n);
	a->gtkw = sim_gtkw_path_for(out);
	if (!a->out || !a->gtkw) {
		tb_args_free(a);
		return 3;
	}
	memcpy(a->out, out, n);
	if (!strcmp(a->out, a->gtkw)) {
		fprintf(stderr,
			"%s: --out %s: a waveform cannot be named "
			".gtkw\n",
			prog, out);
		tb_args_free(a);
		return 2;
	}
	return 0;
}

int tb_args_finish(const tb_args_t *a, const sim_gtkw_t *g)
{
	if (sim_gtkw_write(g, a->gtkw, a->out)) {
		fprintf(stderr, "%s: %s\n", a->prog, imc_last_error());
		return 1;
	}
	printf("  wrote %s and %s; open with: gtkwave %s\n", a->out, a->gtkw,
	       a->gtkw);
	return 0;
}

int tb_args_tail(sim_t *sim, const sim_gtkw_t *g, sim_time_t period_ps)
{
	sim_time_t need = sim_gtkw_visible_end(g) + period_ps,
		   now = sim_time(sim);
	return need > now ? sim_run(sim, need - now) : 0;
}

void tb_args_free(tb_args_t *a)
{
	free(a->out);
	free(a->gtkw);
	a->out = a->gtkw = NULL;
}
