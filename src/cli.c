/* cli.c - shared plumbing of the imcsim sub-commands; see cli.h. */
#include "config.h"

#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int cli_fail(const cli_t *cli, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "imcsim %s: ", cli->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static void print_help(const char *cmd, const char *usage,
		       const char *description, const cli_opt_t *opts,
		       size_t nopts)
{
	printf("usage: imcsim %s %s\n\n%s\n\noptions:\n", cmd, usage,
	       description);
	for (size_t i = 0; i < nopts; i++) {
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", opts[i].name,
			 opts[i].has_arg ? " " : "",
			 opts[i].has_arg ? opts[i].arg_name : "");
		printf("  %-22s %s\n", left, opts[i].help);
	}
	printf("  %-22s %s\n", "--config FILE",
	       "read parameters from an INI file ([section] key = value)");
	printf("  %-22s %s\n", "--set SECTION.KEY=V",
	       "set one parameter (repeatable; after --config)");
	printf("  %-22s %s\n", "--data DIR",
	       "MNIST IDX files (default: the fetched cache)");
	printf("  %-22s %s\n", "--json FILE", "write the results as JSON");
	printf("  %-22s %s\n", "--quiet", "no progress display");
	printf("  %-22s %s\n", "--help", "this text");
	printf("\n`imcsim params` lists every parameter with its default, "
	       "range and unit.\n");
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
	return 0;
}

int cli_parse(cli_t *cli, int argc, char **argv, const char *usage,
	      const char *description, const cli_opt_t *opts, size_t nopts)
{
	char err[600];
	const char *configs[16]; /* applied in the order given */
	size_t nconfigs = 0;
	const char *sets[128];
	size_t nsets = 0;
	cli->cmd = argv[0];
	config_defaults(&cli->cfg);
	cli->json_path = NULL;
	cli->quiet = false;
	cli->progress_tty = isatty(STDERR_FILENO);
	cli->last_progress = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			print_help(cli->cmd, usage, description, opts, nopts);
			return 1;
		}
		if (!strcmp(a, "--quiet")) {
			cli->quiet = true;
			continue;
		}
		if (!strcmp(a, "--config") || !strcmp(a, "--set") ||
		    !strcmp(a, "--json") || !strcmp(a, "--data")) {
			if (!val) {
				cli_fail(cli, "%s needs a value", a);
				return -1;
			}
			i++;
			if (!strcmp(a, "--config")) {
				if (nconfigs ==
				    sizeof(configs) / sizeof(configs[0])) {
					cli_fail(cli,
						 "too many --config options");
					return -1;
				}
				configs[nconfigs++] = val;
			} else if (!strcmp(a, "--json"))
				cli->json_path = val;
			else if (!strcmp(a, "--data")) {
				if (set_data_dir(cli, val))
					return -1;
			} else if (nsets < sizeof(sets) / sizeof(sets[0]))
				sets[nsets++] = val;
			else {
				cli_fail(cli, "too many --set options");
				return -1;
			}
			continue;
		}
		size_t k = 0;
		for (; k < nopts; k++)
			if (!strncmp(a, "--", 2) &&
			    !strcmp(a + 2, opts[k].name))
				break;
		if (k == nopts) {
			cli_fail(cli,
				 "unknown option '%s' (see imcsim %s --help)",
				 a, cli->cmd);
			return -1;
		}
		if (opts[k].has_arg) {
			if (!val) {
				cli_fail(cli, "%s needs a value", a);
				return -1;
			}
			*opts[k].value = val;
			i++;
		} else {
			*opts[k].flag = true;
		}
	}
	const param_table_t *t = config_table();
	for (size_t k = 0; k < nconfigs; k++)
		if (param_load_file(t, &cli->cfg, configs[k], err,
				    sizeof(err))) {
			cli_fail(cli, "%s", err);
			return -1;
		}
	for (size_t k = 0; k < nsets; k++)
		if (param_set_assignment(t, &cli->cfg, sets[k], err,
					 sizeof(err))) {
			cli_fail(cli, "%s", err);
			return -1;
		}
	if (config_finish(&cli->cfg, err, sizeof(err))) {
		cli_fail(cli, "%s", err);
		return -1;
	}
	return 0;
}

void cli_progress(void *ctx, const char *stage, double frac)
{
	cli_t *cli = ctx;
	if (cli->quiet)
		return;
	if (cli->progress_tty) {
		fprintf(stderr, "\r\033[K[%3.0f%%] %s", 100.0 * frac, stage);
		if (frac >= 1.0)
			fputc('\n', stderr);
		return;
	}
	/* not a terminal: a line per stage, at most every 5% */
	if (frac < 1.0 && frac - cli->last_progress < 0.05)
		return;
	cli->last_progress = frac;
	fprintf(stderr, "[%3.0f%%] %s\n", 100.0 * frac, stage);
}

/* ---- output files ------------------------------------------------------ */

int cli_out_open_opt(cli_out_t *o, const char *path, const char *opt, char *err,
		     size_t errlen)
{
	o->id = 0;
	o->tmp[0] = 0;
	snprintf(o->path, sizeof(o->path), "%s", path ? path : "");
	if (out_open(path, opt, &o->id, err, errlen))
		return -1;
	snprintf(o->tmp, sizeof(o->tmp), "%s", out_fill_name(o->id));
	return 0;
}

int cli_out_open(cli_out_t *o, const char *path, char *err, size_t errlen)
{
	return cli_out_open_opt(o, path, "--json", err, errlen);
}

void cli_out_abort(cli_out_t *o)
{
	(void)o; /* the run fails: out_finish() removes every output */
}

void cli_out_abort_err(cli_out_t *o, char *err, size_t errlen)
{
	if (o->id)
		out_rename_in_message(o->id, err, errlen);
}

int cli_out_commit_file(cli_out_t *o, char *err, size_t errlen)
{
	return out_filled(o->id, err, errlen);
}

int cli_out_commit(cli_out_t *o, const char *data, size_t len, char *err,
		   size_t errlen)
{
	return out_write(o->id, data, len, err, errlen);
}

/* ---- JSON -------------------------------------------------------------- */

void cli_json_add_u64(cJSON *obj, const char *name, uint64_t v)
{
	/* a JSON number, written as an exact integer: cJSON keeps numbers
	 * as doubles, which hold 53 bits */
	char text[24];
	snprintf(text, sizeof(text), "%llu", (unsigned long long)v);
	cJSON_AddRawToObject(obj, name, text);
}

cJSON *cli_json_config(const imcsim_config_t *c)
{
	const param_table_t *t = config_table();
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; i < t->n; i++) {
		const param_def_t *d = &t->defs[i];
		cJSON *sec = cJSON_GetObjectItemCaseSensitive(o, d->section);
		if (!sec)
			sec = cJSON_AddObjectToObject(o, d->section);
		const char *f = (const char *)c + d->offset;
		double v;
		if (d->type == PARAM_DOUBLE) {
			memcpy(&v, f, sizeof(v));
		} else if (d->type == PARAM_UINT) {
			unsigned u;
			memcpy(&u, f, sizeof(u));
			v = u;
		} else {
			uint64_t u;
			memcpy(&u, f, sizeof(u));
			cli_json_add_u64(sec, d->key, u);
			continue;
		}
		cJSON_AddNumberToObject(sec, d->key, v);
	}
	return o;
}

cJSON *cli_json_declarations(void)
{
	static const char *const type[] = { "double", "unsigned", "uint64" };
	const param_table_t *t = config_table();
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < t->n; i++) {
		const param_def_t *d = &t->defs[i];
		char name[128];
		snprintf(name, sizeof(name), "%s.%s", d->section, d->key);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", name);
		cJSON_AddStringToObject(o, "type", type[d->type]);
		cJSON_AddStringToObject(o, "unit", d->unit);
		cJSON_AddNumberToObject(o, "default", d->def);
		cJSON_AddNumberToObject(o, "min", d->min);
		cJSON_AddNumberToObject(o, "max", d->max);
		cJSON_AddStringToObject(o, "meaning", d->help);
		cJSON_AddStringToObject(o, "source", d->source);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

cJSON *cli_json_new(const cli_t *cli)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "tool", "imcsim");
	cJSON_AddStringToObject(root, "version", PACKAGE_VERSION);
	cJSON_AddStringToObject(root, "command", cli->cmd);
	cJSON_AddItemToObject(root, "parameters", cli_json_config(&cli->cfg));
	return root;
}

int cli_json_write(cli_t *cli, cli_out_t *o, cJSON *root)
{
	char err[600];
	char *text = cJSON_Print(root);
	if (!text) {
		cli_out_abort(o);
		return cli_fail(cli, "out of memory formatting JSON");
	}
	size_t len = strlen(text);
	text[len] = '\n'; /* replace the terminator: the file ends in \n */
	int rc = cli_out_commit(o, text, len + 1, err, sizeof(err));
	cJSON_free(text);
	if (rc)
		return cli_fail(cli, "%s", err);
	return 0;
}
