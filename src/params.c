/* params.c - the parameter table; see params.h for the contract. */
#include "params.h"
#include "suggest.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
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

/* Strict number parsing: the whole string, in decimal, as the user wrote
 * it. Returns 0, or a reason for the message. */
static const char *trim(const char *s, size_t *len)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

static const char *parse_double(const char *s, double *out)
{
	size_t n;
	s = trim(s, &n);
	char buf[128];
	if (!n)
		return "is empty";
	if (n >= sizeof(buf))
		return "is too long for a number";
	memcpy(buf, s, n);
	buf[n] = 0;
	/* decimal only: no hex floats, no inf/nan words */
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789+-.eE", buf[i]))
			return "is not a finite decimal number";
	char *end;
	errno = 0;
	double v = strtod(buf, &end);
	if (end == buf || *end)
		return "is not a finite decimal number";
	if (errno == ERANGE && fabs(v) > 1)
		return "is too large";
	/* an underflow (1e-310) is a subnormal or zero: finite, kept */
	if (v == 0)
		v = 0; /* -0 is 0 */
	*out = v;
	return NULL;
}

const char *param_parse_u64(const char *s, uint64_t *out)
{
	size_t n;
	s = trim(s, &n);
	if (!n)
		return "is empty";
	size_t i = 0;
	int neg = 0;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n)
		return "is not a whole decimal number";
	uint64_t v = 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return "is not a whole decimal number";
		unsigned dgt = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - dgt) / 10)
			return neg ? "is negative" : "is too large";
		v = v * 10 + dgt;
	}
	if (neg && v)
		return "is negative";
	*out = v;
	return NULL;
}

/* The value as the user wrote it, trimmed, for messages. */
static void quoted(const char *value, char *buf, size_t cap)
{
	size_t n;
	const char *s = trim(value, &n);
	if (n > 60)
		snprintf(buf, cap, "%.60s...", s);
	else
		snprintf(buf, cap, "%.*s", (int)n, s);
}

int param_set(const param_table_t *t, void *base, const char *section,
	      const char *key, const char *value)
{
	const param_def_t *d = find(t, section, key);
	if (!d) {
		char word[160], best[160] = "";
		unsigned bd = 99;
		snprintf(word, sizeof(word), "%s.%s", section, key);
		for (size_t i = 0; i < t->n; i++) {
			char name[160];
			snprintf(name, sizeof(name), "%s.%s",
				 t->defs[i].section, t->defs[i].key);
			unsigned dd = suggest_distance(word, name);
			if (dd < bd) {
				bd = dd;
				snprintf(best, sizeof(best), "%s", name);
			}
		}
		if (bd <= 2 && 2 * bd < strlen(word))
			return imc_fail(
				-1,
				"unknown parameter '%s' (did you mean '%s'? "
				"imcsim params lists them)",
				word, best);
		else
			return imc_fail(
				-1,
				"unknown parameter '%s' (imcsim params lists "
				"them)",
				word);
	}
	char *field = (char *)base + d->offset;
	char q[80];
	quoted(value, q, sizeof(q));
	if (d->type == PARAM_DOUBLE) {
		double v;
		const char *why = parse_double(value, &v);
		if (why)
			return imc_fail(-1, "parameter %s.%s: '%s' %s", section,
					key, q, why);
		if (v < d->min || v > d->max)
			return imc_fail(
				-1,
				"parameter %s.%s = %s is out of range [%g, %g] %s",
				section, key, q, d->min, d->max, d->unit);
		memcpy(field, &v, sizeof(v));
		return 0;
	}
	uint64_t v;
	const char *why = param_parse_u64(value, &v);
	if (why)
		return imc_fail(-1, "parameter %s.%s: '%s' %s", section, key, q,
				why);
	if ((double)v < d->min || (double)v > d->max ||
	    (d->type == PARAM_UINT && v > UINT_MAX))
		return imc_fail(
			-1,
			"parameter %s.%s = %s is out of range [%.0f, %.0f] %s",
			section, key, q, d->min, d->max, d->unit);
	if (d->type == PARAM_UINT) {
		unsigned u = (unsigned)v;
		memcpy(field, &u, sizeof(u));
	} else {
		memcpy(field, &v, sizeof(v));
	}
	return 0;
}

int param_set_assignment(const param_table_t *t, void *base,
			 const char *assignment)
{
	const char *eq = strchr(assignment, '=');
	const char *dot = strchr(assignment, '.');
	if (!eq || !dot || dot > eq || dot == assignment || eq == dot + 1)
		return imc_fail(-1, "'%s' is not of the form section.key=value",
				assignment);
	char section[64], key[64];
	size_t ls = (size_t)(dot - assignment), lk = (size_t)(eq - dot - 1);
	if (ls >= sizeof(section) || lk >= sizeof(key))
		return imc_fail(-1, "parameter name in '%s' is too long",
				assignment);
	memcpy(section, assignment, ls);
	section[ls] = 0;
	memcpy(key, dot + 1, lk);
	key[lk] = 0;
	return param_set(t, base, section, key, eq + 1);
}

/* ---- config files -------------------------------------------------------
 * A strict INI reader of our own (inih split long lines silently, joined
 * indented lines to the previous key and stopped values at NUL bytes):
 *   [section]            names the section of the keys below it
 *   key = value          one parameter (param_set), a later line wins
 *   ; comment, # comment whole-line comments; blank lines
 * Anything else is an error naming the file and its true line number: a
 * line longer than PARAM_LINE_MAX bytes, a NUL byte, an indented line
 * (no continuation lines), a key before any section. The file must be a
 * regular file of at most PARAM_FILE_MAX bytes, read once. */
enum { PARAM_LINE_MAX = 1024, PARAM_FILE_MAX = 1 << 20 };

static int config_line(const param_table_t *t, void *base, char *line,
		       char *section, size_t seclen)
{
	size_t n = strlen(line);
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
		     line[n - 1] == '\r'))
		line[--n] = 0;
	char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == ';' || *p == '#')
		return 0;
	if (p != line)
		return imc_fail(-1, "indented line (continuation lines are not "
				    "supported)");
	if (*p == '[') {
		char *close = strchr(p, ']');
		if (!close || close[1] || close == p + 1)
			return imc_fail(-1, "malformed section header");
		size_t len = (size_t)(close - p - 1);
		if (len >= seclen)
			return imc_fail(-1, "section name too long");
		memcpy(section, p + 1, len);
		section[len] = 0;
		return 0;
	}
	char *eq = strchr(p, '=');
	if (!eq)
		return imc_fail(-1, "malformed line (expected key = value)");
	char *k_end = eq;
	while (k_end > p && (k_end[-1] == ' ' || k_end[-1] == '\t'))
		k_end--;
	*k_end = 0;
	if (!*p)
		return imc_fail(-1, "malformed line (no key before =)");
	if (!*section)
		return imc_fail(-1, "'%.200s' appears before any [section]", p);
	return param_set(t, base, section, p, eq + 1);
}

int param_load_file(const param_table_t *t, void *base, const char *path,
		    prov_inputs_t *inputs)
{
	struct stat st;
	/* stat first: opening a FIFO would wait for a writer */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return imc_fail(-1, "cannot read config %s: %s", path,
				S_ISDIR(st.st_mode) ? "is a directory"
						    : "not a regular file");
	FILE *f = fopen(path, "rb");
	if (!f)
		return imc_fail(-1, "cannot read config %s: %s", path,
				strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return imc_fail(-1, "cannot read config %s: %s", path,
				S_ISDIR(st.st_mode) ? "is a directory"
						    : "not a regular file");
	}
	if (st.st_size > PARAM_FILE_MAX) {
		fclose(f);
		return imc_fail(
			-1,
			"config %s: %lld bytes, more than the %d a config "
			"may have",
			path, (long long)st.st_size, PARAM_FILE_MAX);
	}
	/* read once, whole (at most PARAM_FILE_MAX bytes), hash what was
	 * read, then parse those bytes */
	char *text = malloc((size_t)st.st_size + 1);
	size_t len = text ? fread(text, 1, (size_t)st.st_size, f) : 0;
	int bad = !text || ferror(f) || getc(f) != EOF;
	fclose(f);
	f = bad || !len ? NULL : fmemopen(text, len, "rb");
	if (bad || (len && !f)) {
		free(text);
		return imc_fail(-1, "cannot read config %s: %s", path,
				text ? "read error or file changed while read"
				     : "out of memory");
	}
	if (inputs)
		prov_note_bytes(inputs, "config", path, text, len);
	char line[PARAM_LINE_MAX + 2], section[64] = "", msg[512];
	unsigned lineno = 0;
	int rc = 0;
	for (; f;) {
		size_t n = 0;
		int c = 0;
		while (n < sizeof(line) - 1 && (c = getc(f)) != EOF &&
		       c != '\n') {
			if (c == 0) {
				snprintf(msg, sizeof(msg), "NUL byte");
				rc = -1;
			}
			line[n++] = (char)c;
		}
		line[n] = 0;
		if (c == EOF && n == 0)
			break;
		lineno++;
		if (rc)
			break;
		if (n == sizeof(line) - 1 && c != '\n' && c != EOF) {
			snprintf(msg, sizeof(msg), "line longer than %d bytes",
				 PARAM_LINE_MAX);
			rc = -1;
			break;
		}
		if (config_line(t, base, line, section, sizeof(section))) {
			snprintf(msg, sizeof(msg), "%s", imc_last_error());
			rc = -1;
			break;
		}
		if (c == EOF)
			break;
	}
	if (f)
		fclose(f);
	free(text);
	if (rc)
		return imc_fail(rc, "%s:%u: %s", path, lineno, msg);
	return 0;
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
