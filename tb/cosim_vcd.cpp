/*
 * cosim_vcd.cpp - minimal VCD writer (see cosim_vcd.h). Written in the C
 * subset of C++ because Verilator's build compiles only .cpp files.
 */
#include "cosim_vcd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/gtkw.h"

#define CVCD_MAX_VARS 4096
#define CVCD_MAX_DECLS 8192
#define CVCD_MAX_RISE 24

struct var {
	unsigned width, words;
	uint64_t *cur, *old;
	char id[8];
	uint64_t rise[CVCD_MAX_RISE]; /* 1-bit: times it went 0 -> 1 */
	unsigned nrise;
};

struct decl { /* a declared name (full dotted path) of a variable */
	char *name;
	int var;
};

struct cvcd {
	FILE *f;
	int nvars;
	struct var vars[CVCD_MAX_VARS];
	bool first, in_defs, err;
	uint64_t first_t, last_t;
	char scope[512];
	struct decl decls[CVCD_MAX_DECLS];
	int ndecls;
	char *gtkw, *gdump; /* save file to write on close, or NULL */
};

/* Identifier codes from the printable range '!'..'~', shortest first. */
static void make_id(char *out, int n)
{
	int i = 0;

	do {
		out[i++] = (char)('!' + n % 94);
		n /= 94;
	} while (n > 0 && i < 7);
	out[i] = '\0';
}

cvcd_t *cvcd_open(const char *path, const char *timescale)
{
	cvcd_t *v = (cvcd_t *)calloc(1, sizeof *v);

	if (v == NULL)
		return NULL;
	v->f = fopen(path, "w");
	if (v->f == NULL) {
		free(v);
		return NULL;
	}
	v->first = true;
	v->in_defs = true;
	fprintf(v->f,
		"$version imcsim cosim golden model $end\n"
		"$timescale %s $end\n",
		timescale);
	return v;
}

void cvcd_scope(cvcd_t *v, const char *name)
{
	size_t n = strlen(v->scope);
	snprintf(v->scope + n, sizeof v->scope - n, "%s%s", n ? "." : "", name);
	fprintf(v->f, "$scope module %s $end\n", name);
}

void cvcd_upscope(cvcd_t *v)
{
	char *dot = strrchr(v->scope, '.');
	if (dot != NULL)
		*dot = 0;
	else
		v->scope[0] = 0;
	fprintf(v->f, "$upscope $end\n");
}

static void decl(cvcd_t *v, const struct var *x, const char *name)
{
	if (v->ndecls < CVCD_MAX_DECLS) {
		size_t n = strlen(v->scope) + strlen(name) + 2;
		char *full = (char *)malloc(n);
		if (full != NULL) {
			snprintf(full, n, "%s.%s", v->scope, name);
			v->decls[v->ndecls].name = full;
			v->decls[v->ndecls++].var = (int)(x - v->vars);
		}
	}
	if (x->width == 1)
		fprintf(v->f, "$var wire 1 %s %s $end\n", x->id, name);
	else
		fprintf(v->f, "$var wire %u %s %s [%u:0] $end\n", x->width,
			x->id, name, x->width - 1);
}

int cvcd_var(cvcd_t *v, const char *name, unsigned width)
{
	struct var *x;

	if (!v->in_defs || v->nvars >= CVCD_MAX_VARS || width == 0)
		return -1;
	x = &v->vars[v->nvars];
	x->width = width;
	x->words = (width + 63) / 64;
	x->cur = (uint64_t *)calloc(x->words, sizeof(uint64_t));
	x->old = (uint64_t *)calloc(x->words, sizeof(uint64_t));
	if (x->cur == NULL || x->old == NULL) {
		free(x->cur);
		free(x->old);
		return -1;
	}
	make_id(x->id, v->nvars);
	decl(v, x, name);
	return v->nvars++;
}

void cvcd_alias(cvcd_t *v, int var, const char *name)
{
	if (var >= 0 && var < v->nvars && v->in_defs)
		decl(v, &v->vars[var], name);
}

void cvcd_enddefs(cvcd_t *v)
{
	fprintf(v->f, "$enddefinitions $end\n");
	v->in_defs = false;
}

void cvcd_set(cvcd_t *v, int var, const uint64_t *words)
{
	struct var *x;

	if (var < 0 || var >= v->nvars)
		return;
	x = &v->vars[var];
	memcpy(x->cur, words, x->words * sizeof(uint64_t));
	if (x->width % 64)
		x->cur[x->words - 1] &= ((uint64_t)1 << (x->width % 64)) - 1;
}

void cvcd_set_u(cvcd_t *v, int var, uint64_t value)
{
	uint64_t w[16] = { value };

	if (var >= 0 && var < v->nvars && v->vars[var].words <= 16)
		cvcd_set(v, var, w);
}

static void emit(cvcd_t *v, const struct var *x)
{
	unsigned i;
	bool lead = true;

	if (x->width == 1) {
		fprintf(v->f, "%c%s\n", (x->cur[0] & 1) ? '1' : '0', x->id);
		return;
	}
	/* Binary with leading zeros dropped, as VCD readers expect. */
	putc('b', v->f);
	for (i = x->width; i-- > 0;) {
		bool b = (x->cur[i / 64] >> (i % 64)) & 1;

		if (b)
			lead = false;
		if (!lead || i == 0)
			putc(b ? '1' : '0', v->f);
	}
	fprintf(v->f, " %s\n", x->id);
}

void cvcd_dump(cvcd_t *v, uint64_t t)
{
	bool stamped = false;
	int i;

	if (!v->first && t < v->last_t) {
		v->err = true;
		return;
	}
	for (i = 0; i < v->nvars; i++) {
		struct var *x = &v->vars[i];
		size_t bytes = x->words * sizeof(uint64_t);

		if (!v->first && memcmp(x->cur, x->old, bytes) == 0)
			continue;
		if (!v->first && x->width == 1 && (x->cur[0] & 1) &&
		    x->nrise < CVCD_MAX_RISE)
			x->rise[x->nrise++] = t;
		if (!stamped) {
			fprintf(v->f, "#%llu\n", (unsigned long long)t);
			stamped = true;
		}
		emit(v, x);
		memcpy(x->old, x->cur, bytes);
	}
	if (v->first)
		v->first_t = t;
	v->first = false;
	v->last_t = t;
}

void cvcd_save_file(cvcd_t *v, const char *gtkw_path, const char *dump_path)
{
	free(v->gtkw);
	free(v->gdump);
	v->gtkw = strdup(gtkw_path);
	v->gdump = strdup(dump_path);
}

/* The controller's state names by the RTL's (and calib.h's) encoding; the
 * chip model's save files use the same (chip_trace.c). */
static const char *const state_names[] = { "IDLE", "WRITE", "REQ", "WAIT",
					   "DONE" };

static const struct decl *find(const cvcd_t *v, const char *name)
{
	for (int i = 0; i < v->ndecls; i++)
		if (!strcmp(v->decls[i].name, name))
			return &v->decls[i];
	return NULL;
}

/* What the save file shows, in order: a group title ("-..."), or a name
 * under TOP.comp_ctrl with its format; a "*" before the name makes it the
 * FSM state (translate filter). */
static const char *const shown[] = {
	"-calibration FSM",
	"b clk",
	"b rst",
	"b start",
	"b busy",
	"b done",
	"f state_q",
	"d step_q",
	"-compare handshake",
	"b cmp_req",
	"b cmp_valid",
	"h cmp_dec",
	"-compensation row write port",
	"b row_we",
	"d row_addr",
	"h row_data",
	"h dirty_q",
	"-counts n_c",
	"d cnt_sel",
	"d cnt_out",
};

static int show(cvcd_t *v, sim_gtkw_t *g, const char *leaf, char fmt,
		const char *alias)
{
	char name[256];
	snprintf(name, sizeof name, "TOP.comp_ctrl.%s", leaf);
	const struct decl *d = find(v, name);
	if (d == NULL) {
		fprintf(stderr,
			"cosim: the save file shows %s, which the "
			"golden-model VCD does not declare\n",
			name);
		return -1;
	}
	enum sim_gtkw_fmt f = fmt == 'b'   ? SIM_GTKW_BIN
			      : fmt == 'h' ? SIM_GTKW_HEX
			      : fmt == 'f' ? SIM_GTKW_FILTER
					   : SIM_GTKW_DEC;
	return sim_gtkw_show(g, name, v->vars[d->var].width, f, alias);
}

static uint64_t first_rise(const cvcd_t *v, const char *name, unsigned *n,
			   const uint64_t **all)
{
	const struct decl *d = find(v, name);
	if (d == NULL || v->vars[d->var].nrise == 0)
		return 0;
	*n = v->vars[d->var].nrise;
	*all = v->vars[d->var].rise;
	return v->vars[d->var].rise[0];
}

static int write_save_file(cvcd_t *v)
{
	sim_gtkw_t *g = sim_gtkw_new("imcsim co-simulation of rtl/comp_ctrl.v "
				     "against the C golden model");
	int rc = g == NULL ? -1 : 0;
	if (!rc)
		rc = sim_gtkw_comment(g,
				      "the RTL's dump and the golden model's "
				      "have the same names: open either,") ||
		     sim_gtkw_comment(g, "e.g. gtkwave cosim_gold.vcd "
					 "cosim.gtkw");
	bool in_group = false;
	for (size_t i = 0; !rc && i < sizeof shown / sizeof shown[0]; i++) {
		if (shown[i][0] == '-') {
			if (in_group)
				rc = sim_gtkw_group_end(g);
			if (!rc)
				rc = sim_gtkw_group(g, shown[i] + 1, 0);
			in_group = true;
			continue;
		}
		if (shown[i][0] == 'f')
			rc = sim_gtkw_filter(g, "calib_state.filter",
					     state_names, 5);
		if (!rc)
			rc = show(v, g, shown[i] + 2, shown[i][0], NULL);
	}
	/* a few columns' counts, under short names */
	unsigned ncol = 0;
	while (ncol < 4096) {
		char nm[64];
		snprintf(nm, sizeof nm, "TOP.comp_ctrl.col[%u].n_q", ncol);
		if (find(v, nm) == NULL)
			break;
		ncol++;
	}
	const unsigned cols[] = { 0, 1, 2, 3, ncol - 2, ncol - 1 };
	for (unsigned k = 0; !rc && ncol >= 6 && k < 6; k++) {
		char leaf[64], alias[32];
		snprintf(leaf, sizeof leaf, "col[%u].n_q", cols[k]);
		snprintf(alias, sizeof alias, "n[%u]", cols[k]);
		rc = show(v, g, leaf, 'd', alias);
	}
	if (!rc && in_group)
		rc = sim_gtkw_group_end(g);
	/* open on the calibration: first start to first done */
	unsigned ns = 0, nv = 0, nd = 0;
	const uint64_t *ts = NULL, *tv = NULL, *td = NULL;
	uint64_t t0 = first_rise(v, "TOP.comp_ctrl.start", &ns, &ts);
	uint64_t t1 = first_rise(v, "TOP.comp_ctrl.done", &nd, &td);
	first_rise(v, "TOP.comp_ctrl.cmp_valid", &nv, &tv);
	unsigned nc = 0;
	const uint64_t *tc = NULL;
	first_rise(v, "TOP.comp_ctrl.clk", &nc, &tc);
	uint64_t per = nc >= 2 ? tc[1] - tc[0] : 1;
	if (!rc) {
		if (ns && nd && t1 > t0) {
			uint64_t a = t0 > v->first_t + 2 * per ? t0 - 2 * per
							       : v->first_t;
			/* all GTKWave may show must lie in the dump, or it
			 * opens at 0 (gtkw.h) */
			uint64_t lim = a + (v->last_t - a) * SIM_GTKW_WAVE_PX /
						   SIM_GTKW_PANE_MAX_PX;
			uint64_t b = t1 + 2 * per < lim ? t1 + 2 * per : lim;
			sim_gtkw_window(g, (sim_time_t)a, (sim_time_t)b);
			sim_gtkw_marker(g, (sim_time_t)t0, "start");
			for (unsigned k = 0; k < nv && k < 20; k++)
				if (tv[k] > t0 && tv[k] < t1) {
					char label[32];
					snprintf(label, sizeof label,
						 "compare %u", k + 1);
					sim_gtkw_marker(g, (sim_time_t)tv[k],
							label);
				}
			sim_gtkw_marker(g, (sim_time_t)t1, "DONE");
			sim_gtkw_cursor(g, (sim_time_t)t1);
		} else { /* e.g. a mismatch replay: all of it */
			sim_gtkw_window(
				g, (sim_time_t)v->first_t,
				(sim_time_t)(v->first_t +
					     (v->last_t - v->first_t) *
						     SIM_GTKW_WAVE_PX /
						     SIM_GTKW_PANE_MAX_PX));
		}
		rc = sim_gtkw_write(g, v->gtkw, v->gdump);
		if (rc)
			fprintf(stderr, "cosim: %s\n", imc_last_error());
	}
	sim_gtkw_free(g);
	return rc ? -1 : 0;
}

int cvcd_close(cvcd_t *v)
{
	int i, rc = v->err ? -1 : 0;

	if (v->gtkw != NULL && write_save_file(v) != 0)
		rc = -1;
	if (ferror(v->f))
		rc = -1;
	if (fclose(v->f) != 0)
		rc = -1;
	for (i = 0; i < v->nvars; i++) {
		free(v->vars[i].cur);
		free(v->vars[i].old);
	}
	for (i = 0; i < v->ndecls; i++)
		free(v->decls[i].name);
	free(v->gtkw);
	free(v->gdump);
	free(v);
	return rc;
}
