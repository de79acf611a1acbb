/* netfile.c - strict text format for deployed nets; see netfile.h. */
#include "bnn/netfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 4095
#define MAX_TOK 12

int bnn_net_save(const struct bnn_net *net, const char *path,
		 const char *comment)
{
	FILE *f;
	int rc = bnn_net_check(net);

	if (rc)
		return rc;
	f = fopen(path, "w");
	if (!f)
		return imc_fail(BNN_EIO, "%s: cannot create: %s", path,
				strerror(errno));
	fprintf(f, "imcsim-bnn 1\n");
	for (const char *s = comment; s && *s;) {
		size_t n = strcspn(s, "\n");

		fprintf(f, "# %.*s\n", (int)n, s);
		s += n;
		if (*s == '\n')
			s++;
	}
	fprintf(f, "hw comp_step %d comp_max_steps %d code_lo %u code_hi %u\n",
		net->hw.comp_step, net->hw.comp_max_steps,
		(unsigned)net->hw.code_lo, (unsigned)net->hw.code_hi);
	fprintf(f, "pre norm_target %u\n", net->pre.norm_target);
	for (unsigned l = 0; l < BNN_N_LAYERS; l++) {
		const struct bnn_layer *L = &net->layer[l];

		fprintf(f, "layer %u in %u out %u\n", l, L->n_in, L->n_out);
		for (unsigned j = 0; j < L->n_out; j++) {
			fprintf(f, "c %u %d ", j, (int)L->bias_steps[j]);
			for (unsigned i = 0; i < L->n_in; i++)
				fputc(L->w[j * L->n_in + i] > 0 ? '+' : '-', f);
			fputc('\n', f);
		}
	}
	fprintf(f, "end\n");
	errno = 0;
	if (ferror(f) | (fclose(f) != 0)) {
		/* a failed write leaves the buffer full, so fclose retries it
		 * and sets errno */
		return imc_fail(BNN_EIO, "%s: write error: %s", path,
				strerror(errno ? errno : EIO));
	}
	return BNN_OK;
}

struct parser {
	const char *name;
	const char *p, *end;
	unsigned line;
	char buf[MAX_LINE + 1];
	char *tok[MAX_TOK];
	unsigned ntok;
};

static int perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	char what[512];

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return imc_fail(BNN_EFORMAT, "%s:%u: %s", ps->name, ps->line, what);
}

/* Next line into buf (comments skipped unless first line); 1 = got one,
 * 0 = end of input, <0 = error. */
static int next_line(struct parser *ps, int allow_comment)
{
	for (;;) {
		if (ps->p >= ps->end)
			return 0;
		const char *nl = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));
		size_t n;

		ps->line++;
		if (!nl)
			return perr(ps, "last line has no newline");
		n = (size_t)(nl - ps->p);
		if (n > MAX_LINE)
			return perr(ps, "line longer than %d bytes", MAX_LINE);
		memcpy(ps->buf, ps->p, n);
		ps->buf[n] = '\0';
		ps->p = nl + 1;
		if (memchr(ps->buf, '\0', n) || strchr(ps->buf, '\r'))
			return perr(ps, "NUL or CR character in line");
		if (allow_comment && ps->buf[0] == '#')
			continue;
		return 1;
	}
}

/* Split buf on single spaces; empty fields are errors. */
static int split(struct parser *ps)
{
	char *s = ps->buf;

	ps->ntok = 0;
	for (;;) {
		char *sp = strchr(s, ' ');

		if (ps->ntok == MAX_TOK)
			return perr(ps, "too many fields");
		if (sp)
			*sp = '\0';
		if (*s == '\0')
			return perr(ps, "empty field (leading, trailing or "
					"double space)");
		ps->tok[ps->ntok++] = s;
		if (!sp)
			return 0;
		s = sp + 1;
	}
}

/* Strict decimal integer in [lo, hi]. */
static int to_int(struct parser *ps, const char *s, long lo, long hi,
		  const char *what, long *out)
{
	const char *d = s + (*s == '-');
	long v = 0;

	if (*d == '\0' || (d[0] == '0' && d[1] != '\0'))
		return perr(ps, "%s '%s' is not a plain integer", what, s);
	for (; *d; d++) {
		if (*d < '0' || *d > '9')
			return perr(ps, "%s '%s' is not a plain integer", what,
				    s);
		if (v > 100000000L)
			return perr(ps, "%s '%s' is out of range", what, s);
		v = v * 10 + (*d - '0');
	}
	if (*s == '-')
		v = -v;
	if (v < lo || v > hi)
		return perr(ps, "%s %ld outside %ld..%ld", what, v, lo, hi);
	*out = v;
	return 0;
}

/* Read one line that must be `keyword v1 keyword v2 ...` style: keys[k]
 * NULL means "value here" (stored in vals), else the literal token. */
static int expect(struct parser *ps, unsigned nkeys, const char *const *keys,
		  const long *lo, const long *hi, long *vals, const char *what)
{
	int rc = next_line(ps, 1);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return perr(ps, "unexpected end of file, expected %s", what);
	if ((rc = split(ps)) != 0)
		return rc;
	if (ps->ntok != nkeys)
		return perr(ps, "expected %s (%u fields), got %u fields", what,
			    nkeys, ps->ntok);
	for (unsigned k = 0; k < nkeys; k++) {
		if (keys[k] && strcmp(ps->tok[k], keys[k]) != 0)
			return perr(ps, "expected '%s' in %s, got '%s'",
				    keys[k], what, ps->tok[k]);
		if (!keys[k] && (rc = to_int(ps, ps->tok[k], lo[k], hi[k],
					     keys[k - 1] ? keys[k - 1] : what,
					     &vals[k])) != 0)
			return rc;
	}
	return 0;
}

static int parse_layer(struct parser *ps, struct bnn_net *net, unsigned l)
{
	static const char *const keys[] = { "layer", NULL,  "in",
					    NULL,    "out", NULL };
	struct bnn_layer *L = &net->layer[l];
	long lo[6] = { 0, l, 0, L->n_in, 0, L->n_out };
	long hi[6] = { 0, l, 0, L->n_in, 0, L->n_out };
	long v[6];
	int rc = expect(ps, 6, keys, lo, hi, v, "layer header");

	if (rc)
		return rc;
	for (unsigned j = 0; j < L->n_out; j++) {
		static const char *const ckeys[] = { "c", NULL, NULL, NULL };
		long clo[4] = { 0, j, -net->hw.comp_max_steps, 0 };
		long chi[4] = { 0, j, net->hw.comp_max_steps, 0 };
		long cv[4];

		rc = next_line(ps, 1);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return perr(ps,
				    "unexpected end of file in layer %u, "
				    "expected column %u",
				    l, j);
		if ((rc = split(ps)) != 0)
			return rc;
		if (ps->ntok != 4 || strcmp(ps->tok[0], ckeys[0]) != 0)
			return perr(ps,
				    "expected column line 'c %u <bias> "
				    "<weights>' of layer %u",
				    j, l);
		if ((rc = to_int(ps, ps->tok[1], clo[1], chi[1], "column index",
				 &cv[1])) != 0 ||
		    (rc = to_int(ps, ps->tok[2], clo[2], chi[2], "bias steps",
				 &cv[2])) != 0)
			return rc;
		const char *w = ps->tok[3];

		if (strlen(w) != L->n_in)
			return perr(ps,
				    "column %u of layer %u has %zu weights, "
				    "expected %u",
				    j, l, strlen(w), L->n_in);
		for (unsigned i = 0; i < L->n_in; i++) {
			if (w[i] != '+' && w[i] != '-')
				return perr(ps,
					    "weight %u of column %u is "
					    "'%c', not '+' or '-'",
					    i, j, w[i]);
			L->w[j * L->n_in + i] = w[i] == '+' ? 1 : -1;
		}
		L->bias_steps[j] = (int16_t)cv[2];
	}
	return 0;
}

int bnn_net_parse(struct bnn_net *net, const char *name, const char *text,
		  size_t len)
{
	struct parser *ps;
	struct bnn_net *tmp;
	int rc;

	if (!net || (!text && len))
		return imc_fail(BNN_EARG, "netfile: invalid argument");
	ps = calloc(1, sizeof(*ps));
	tmp = calloc(1, sizeof(*tmp));
	if (!ps || !tmp) {
		free(ps);
		free(tmp);
		return imc_fail(BNN_ENOMEM, "netfile: out of memory");
	}
	ps->name = name ? name : "netfile";
	ps->p = text;
	ps->end = len ? text + len : text; /* NULL + 0 is undefined in C */
	rc = next_line(ps, 0);
	if (rc == 0)
		rc = perr(ps, "empty file");
	else if (rc > 0)
		rc = strcmp(ps->buf, "imcsim-bnn 1") == 0
			     ? 0
			     : perr(ps,
				    "not an imcsim-bnn version 1 file "
				    "(first line '%.40s')",
				    ps->buf);
	if (rc == 0) {
		static const char *const k[] = { "hw", "comp_step",
						 NULL, "comp_max_steps",
						 NULL, "code_lo",
						 NULL, "code_hi",
						 NULL };
		long lo[9] = { 0, 0, 1, 0, 0, 0, 0, 0, 1 };
		long hi[9] = { 0, 0, 1024, 0, 1024, 0, 30, 0, 31 };
		long v[9];

		rc = expect(ps, 9, k, lo, hi, v, "hw line");
		if (rc == 0) {
			struct bnn_hw hw = { (int)v[2], (int)v[4],
					     (uint8_t)v[6], (uint8_t)v[8] };

			if (hw.code_lo >= hw.code_hi)
				rc = perr(ps,
					  "code_lo %u must be below "
					  "code_hi %u",
					  (unsigned)hw.code_lo,
					  (unsigned)hw.code_hi);
			bnn_net_init(tmp, &hw, NULL);
		}
	}
	if (rc == 0) {
		static const char *const k[] = { "pre", "norm_target", NULL };
		long lo[3] = { 0, 0, 0 };
		long hi[3] = { 0, 0, BNN_N_INPUTS * BNN_CODE_MAX };
		long v[3];

		rc = expect(ps, 3, k, lo, hi, v, "pre line");
		if (rc == 0)
			tmp->pre.norm_target = (unsigned)v[2];
	}
	for (unsigned l = 0; rc == 0 && l < BNN_N_LAYERS; l++)
		rc = parse_layer(ps, tmp, l);
	if (rc == 0) {
		rc = next_line(ps, 1);
		if (rc == 0)
			rc = perr(ps, "unexpected end of file, expected 'end'");
		else if (rc > 0)
			rc = strcmp(ps->buf, "end") == 0
				     ? 0
				     : perr(ps, "expected 'end', got '%.40s'",
					    ps->buf);
	}
	if (rc == 0 && ps->p != ps->end) {
		ps->line++;
		rc = perr(ps, "data after 'end'");
	}
	if (rc == 0)
		rc = bnn_net_check(tmp);
	if (rc == 0)
		*net = *tmp;
	free(ps);
	free(tmp);
	return rc;
}

int bnn_net_load(struct bnn_net *net, const char *path)
{
	FILE *f;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (!net || !path)
		return imc_fail(BNN_EARG, "netfile: invalid argument");
	f = fopen(path, "rb");
	if (!f)
		return imc_fail(BNN_EIO, "%s: cannot open: %s", path,
				strerror(errno));
	for (;;) {
		if (n == cap) {
			size_t ncap = cap ? 2 * cap : 65536;
			/* a real net file is ~30 kB: refuse absurd sizes */
			char *nb = ncap <= BNN_NET_FILE_MAX ? realloc(buf, ncap)
							    : NULL;

			if (!nb) {
				free(buf);
				fclose(f);
				return imc_fail(
					BNN_EFORMAT,
					"%s: too large or out of memory", path);
			}
			buf = nb;
			cap = ncap;
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return imc_fail(BNN_EIO, "%s: read error", path);
	}
	fclose(f);
	rc = bnn_net_parse(net, path, buf, n);
	free(buf);
	return rc;
}
