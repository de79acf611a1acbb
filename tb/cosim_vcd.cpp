/*
 * cosim_vcd.cpp - minimal VCD writer (see cosim_vcd.h). Written in the C
 * subset of C++ because Verilator's build compiles only .cpp files.
 */
#include "cosim_vcd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CVCD_MAX_VARS 4096

struct var {
	unsigned width, words;
	uint64_t *cur, *old;
	char id[8];
};

struct cvcd {
	FILE *f;
	int nvars;
	struct var vars[CVCD_MAX_VARS];
	bool first, in_defs, err;
	uint64_t last_t;
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
	fprintf(v->f, "$scope module %s $end\n", name);
}

void cvcd_upscope(cvcd_t *v)
{
	fprintf(v->f, "$upscope $end\n");
}

static void decl(cvcd_t *v, const struct var *x, const char *name)
{
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
		if (!stamped) {
			fprintf(v->f, "#%llu\n", (unsigned long long)t);
			stamped = true;
		}
		emit(v, x);
		memcpy(x->old, x->cur, bytes);
	}
	v->first = false;
	v->last_t = t;
}

int cvcd_close(cvcd_t *v)
{
	int i, rc = v->err ? -1 : 0;

	if (ferror(v->f))
		rc = -1;
	if (fclose(v->f) != 0)
		rc = -1;
	for (i = 0; i < v->nvars; i++) {
		free(v->vars[i].cur);
		free(v->vars[i].old);
	}
	free(v);
	return rc;
}
