/* cli.c - shared plumbing of the imcsim sub-commands; see cli.h. */
#include "config.h"

#include "cli.h"
#include "imcsim_commit.h"

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

#include "bnn/netfile.h"

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

int cli_out_open_opt(cli_out_t *o, const char *path, const char *opt)
{
	o->id = 0;
	o->tmp[0] = 0;
	snprintf(o->path, sizeof(o->path), "%s", path ? path : "");
	if (out_open(path, opt, &o->id))
		return -1;
	snprintf(o->tmp, sizeof(o->tmp), "%s", out_fill_name(o->id));
	return 0;
}

int cli_out_open(cli_out_t *o, const char *path)
{
	return cli_out_open_opt(o, path, "--json");
}

void cli_out_abort(cli_out_t *o)
{
	(void)o; /* the run fails: out_finish() removes every output */
}

void cli_out_abort_err(cli_out_t *o)
{
	if (o->id)
		out_rename_in_message(o->id);
}

int cli_out_commit_file(cli_out_t *o)
{
	return out_filled(o->id);
}

int cli_out_commit(cli_out_t *o, const char *data, size_t len)
{
	return out_write(o->id, data, len);
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

int cli_load_net(cli_t *cli, const char *path, struct bnn_net *net)
{
	char *text;
	size_t len;
	/* read once: the bytes parsed are the bytes hashed */
	if (prov_read_file(path, BNN_NET_FILE_MAX, &text, &len))
		return cli_fail(cli, "%s", imc_last_error());
	int rc = bnn_net_parse(net, path, text, len);
	if (!rc)
		prov_note_bytes(&cli->inputs, "net", path, text, len);
	free(text);
	if (rc)
		return cli_fail(cli, "%s", imc_last_error());
	/* the net says which preprocessing it expects */
	if (net->pre.norm_target)
		cli->cfg.norm_target = net->pre.norm_target;
	return 0;
}

/* The run's input files (provenance.h) as a JSON array. */
static cJSON *inputs_json(const prov_inputs_t *p)
{
	cJSON *a = cJSON_CreateArray();
	for (unsigned i = 0; a && i < p->n; i++) {
		cJSON *o = cJSON_CreateObject();
		if (!o)
			break;
		cJSON_AddStringToObject(o, "role", p->in[i].role);
		cJSON_AddStringToObject(o, "path", p->in[i].path);
		/* exact: a size is far below 2^53 */
		cJSON_AddNumberToObject(o, "bytes", (double)p->in[i].bytes);
		cJSON_AddStringToObject(o, "sha256", p->in[i].sha256);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

cJSON *cli_json_new(const cli_t *cli)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "tool", "imcsim");
	cJSON_AddStringToObject(root, "version", PACKAGE_VERSION);
	cJSON_AddStringToObject(root, "commit", IMCSIM_COMMIT);
	cJSON_AddStringToObject(root, "command", cli->cmd);
	cJSON *line = cJSON_AddArrayToObject(root, "command_line");
	cJSON_AddItemToArray(line, cJSON_CreateString("imcsim"));
	for (int i = 0; i < cli->argc; i++)
		cJSON_AddItemToArray(line, cJSON_CreateString(cli->argv[i]));
	cJSON_AddItemToObject(root, "inputs", inputs_json(&cli->inputs));
	cJSON_AddItemToObject(root, "parameters", cli_json_config(&cli->cfg));
	return root;
}

int cli_json_write(cli_t *cli, cli_out_t *o, cJSON *root)
{
	char *text = cJSON_Print(root);
	if (!text) {
		cli_out_abort(o);
		return cli_fail(cli, "out of memory formatting JSON");
	}
	size_t len = strlen(text);
	text[len] = '\n'; /* replace the terminator: the file ends in \n */
	int rc = cli_out_commit(o, text, len + 1);
	cJSON_free(text);
	if (rc)
		return cli_fail(cli, "%s", imc_last_error());
	return 0;
}
