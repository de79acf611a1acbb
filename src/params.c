/* params.c - the parameter table; see params.h for the contract. */
#include "params.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const param_def_t *find(const param_table_t *t, const char *section,
			       const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->defs[i].section, section) &&
		    !strcmp(t->defs[i].key, key))
			return &t->defs[i];
	return NULL;
}

/* Strict number parsing: the whole string, finite, in range. */
static int parse_double(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno == ERANGE)
		return -1;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return -1; /* no sign, no empty */
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return -1;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end)
		return -1;
	*out = v;
	return 0;
}

int param_set(const param_table_t *t, void *base, const char *section,
	      const char *key, const char *value, char *err, size_t errlen)
{
	const param_def_t *d = find(t, section, key);
	if (!d) {
		snprintf(err, errlen,
			 "unknown parameter '%s.%s' (imcsim params lists them)",
			 section, key);
		return -1;
	}
	char *field = (char *)base + d->offset;
	if (d->type == PARAM_DOUBLE) {
		double v;
		if (parse_double(value, &v)) {
			snprintf(err, errlen,
				 "parameter %s.%s: '%s' is not a finite number",
				 section, key, value);
			return -1;
		}
		if (v < d->min || v > d->max) {
			snprintf(
				err, errlen,
				"parameter %s.%s = %g is out of range [%g, %g] %s",
				section, key, v, d->min, d->max, d->unit);
			return -1;
		}
		memcpy(field, &v, sizeof(v));
		return 0;
	}
	uint64_t v;
	if (parse_u64(value, &v)) {
		snprintf(err, errlen,
			 "parameter %s.%s: '%s' is not a non-negative integer",
			 section, key, value);
		return -1;
	}
	if ((double)v < d->min || (double)v > d->max) {
		snprintf(
			err, errlen,
			"parameter %s.%s = %llu is out of range [%.0f, %.0f] %s",
			section, key, (unsigned long long)v, d->min, d->max,
			d->unit);
		return -1;
	}
	if (d->type == PARAM_UINT) {
		unsigned u = (unsigned)v;
		memcpy(field, &u, sizeof(u));
	} else {
		memcpy(field, &v, sizeof(v));
	}
	return 0;
}

int param_set_assignment(const param_table_t *t, void *base,
			 const char *assignment, char *err, size_t errlen)
{
	const char *eq = strchr(assignment, '=');
	const char *dot = strchr(assignment, '.');
	if (!eq || !dot || dot > eq || dot == assignment || eq == dot + 1) {
		snprintf(err, errlen,
			 "'%s' is not of the form section.key=value",
			 assignment);
		return -1;
	}
	char section[64], key[64];
	size_t ls = (size_t)(dot - assignment), lk = (size_t)(eq - dot - 1);
	if (ls >= sizeof(section) || lk >= sizeof(key)) {
		snprintf(err, errlen, "parameter name in '%s' is too long",
			 assignment);
		return -1;
	}
	memcpy(section, assignment, ls);
	section[ls] = 0;
	memcpy(key, dot + 1, lk);
	key[lk] = 0;
	return param_set(t, base, section, key, eq + 1, err, errlen);
}

typedef struct load_ctx {
	const param_table_t *t;
	void *base;
	char msg[256];
	int failed;
} load_ctx_t;

static int on_entry(void *user, const char *section, const char *name,
		    const char *value)
{
	load_ctx_t *c = user;
	if (c->failed)
		return 0;
	if (!*section) {
		snprintf(c->msg, sizeof(c->msg),
			 "'%s' appears before any [section]", name);
		c->failed = 1;
		return 0;
	}
	if (param_set(c->t, c->base, section, name, value, c->msg,
		      sizeof(c->msg))) {
		c->failed = 1;
		return 0;
	}
	return 1;
}

int param_load_file(const param_table_t *t, void *base, const char *path,
		    char *err, size_t errlen)
{
	load_ctx_t c = { t, base, "", 0 };
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot read config %s: %s", path,
			 strerror(errno));
		return -1;
	}
	int line = ini_parse_file(f, on_entry, &c);
	fclose(f);
	if (line == 0)
		return 0;
	if (c.failed)
		snprintf(err, errlen, "%s:%d: %s", path, line, c.msg);
	else
		snprintf(err, errlen, "%s:%d: malformed line", path, line);
	return -1;
}

void param_print(const param_table_t *t, const void *base, FILE *f)
{
	for (size_t i = 0; i < t->n; i++) {
		const param_def_t *d = &t->defs[i];
		const char *field = (const char *)base + d->offset;
		char val[48];
		if (d->type == PARAM_DOUBLE) {
			double v;
			memcpy(&v, field, sizeof(v));
			snprintf(val, sizeof(val), "%g", v);
		} else if (d->type == PARAM_UINT) {
			unsigned v;
			memcpy(&v, field, sizeof(v));
			snprintf(val, sizeof(val), "%u", v);
		} else {
			uint64_t v;
			memcpy(&v, field, sizeof(v));
			snprintf(val, sizeof(val), "%llu",
				 (unsigned long long)v);
		}
		fprintf(f, "%s.%s = %s %s   [%g .. %g]  %s\n", d->section,
			d->key, val, d->unit, d->min, d->max, d->help);
	}
}
