/* resume.c - the --resume results file; see resume.h. */
#include "resume.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAGIC "imcsim-results 1"

uint64_t resume_hash(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* The whole file, or NULL with *len 0 when it does not exist. */
static int slurp(const char *path, char **text, size_t *len)
{
	*text = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return imc_fail(-1, "--resume %s: %s", path, strerror(errno));
	}
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return imc_fail(-1, "--resume %s: not a regular file", path);
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		char *b = realloc(buf, 2 * cap + 1);
		if (!b) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = b;
		cap *= 2;
	}
	int bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		free(buf);
		return imc_fail(-1, "--resume %s: %s", path,
				buf ? "read error" : "out of memory");
	}
	buf[n] = 0;
	*text = buf;
	*len = n;
	return 0;
}

/* One record line (without its newline). 0, or -1. */
static int parse_record(const char *line, unsigned njobs, unsigned *job,
			pop_inst_t *x)
{
	unsigned long long seed;
	unsigned j, n, r, rc, rn, cl;
	char a[64], b[64], c[64];
	int used = 0;
	if (sscanf(line, "%u %llu %u %u %u %u %u %63s %63s %63s%n", &j, &seed,
		   &n, &r, &rc, &rn, &cl, a, b, c, &used) != 10 ||
	    line[used] || j >= njobs || r > n || rc > n || rn > n)
		return -1;
	char *e1, *e2, *e3;
	memset(x, 0, sizeof(*x));
	x->e_sys_pj = strtod(a, &e1);
	x->e_chip_pj = strtod(b, &e2);
	x->e_naive_pj = strtod(c, &e3);
	if (*e1 || *e2 || *e3)
		return -1;
	x->seed = seed;
	x->n_test = n;
	x->right = r;
	x->right_cal = rc;
	x->right_naive = rn;
	x->clamped = cl;
	*job = j;
	return 0;
}

/* Read the records of text; *keep: the bytes to keep (complete lines). */
static int read_back(resume_t *r, const char *path, char *text, size_t len,
		     unsigned njobs, pop_inst_t *results, unsigned char *done,
		     long *keep)
{
	char want[64];
	snprintf(want, sizeof(want), MAGIC " %016" PRIx64, r->fingerprint);
	size_t off = 0;
	unsigned lineno = 0;
	*keep = 0;
	while (off < len) {
		char *nl = memchr(text + off, '\n', len - off);
		if (!nl)
			break; /* cut short by an interruption: dropped */
		*nl = 0;
		const char *line = text + off;
		lineno++;
		if (lineno == 1) {
			if (strncmp(line, MAGIC " ", strlen(MAGIC) + 1))
				return imc_fail(
					-1,
					"--resume %s: not an imcsim results "
					"file",
					path);
			if (strcmp(line, want))
				return imc_fail(
					-1,
					"--resume %s: written by a different "
					"run (other parameters, net or "
					"options); use a new file",
					path);
			r->header_written = 1;
		} else {
			unsigned j = 0;
			pop_inst_t x;
			int bad = parse_record(line, njobs, &j, &x);
			if (bad || done[j])
				return imc_fail(
					-1, "--resume %s:%u: %s", path, lineno,
					bad ? "malformed record (or a job "
					      "beyond this run's)"
					    : "a job recorded twice");
			results[j] = x;
			done[j] = 1;
			r->loaded++;
		}
		off = (size_t)(nl - text) + 1;
		*keep = (long)off;
	}
	return 0;
}

int resume_open(resume_t *r, const char *path, uint64_t fp, unsigned njobs,
		pop_inst_t *results, unsigned char *done)
{
	memset(r, 0, sizeof(*r));
	r->fingerprint = fp;
	if (!path)
		return 0;
	char *text;
	size_t len;
	long keep = 0;
	if (slurp(path, &text, &len))
		return -1;
	int rc = text ? read_back(r, path, text, len, njobs, results, done,
				  &keep)
		      : 0;
	free(text);
	if (rc)
		return -1;
	return out_open_journal(path, "--resume", keep, &r->id);
}

int resume_append(resume_t *r, unsigned job, const pop_inst_t *x)
{
	if (!r->id)
		return 0;
	char line[512];
	int n = 0;
	if (!r->header_written)
		n = snprintf(line, sizeof(line), MAGIC " %016" PRIx64 "\n",
			     r->fingerprint);
	n += snprintf(line + n, sizeof(line) - (size_t)n,
		      "%u %llu %u %u %u %u %u %a %a %a\n", job,
		      (unsigned long long)x->seed, x->n_test, x->right,
		      x->right_cal, x->right_naive, x->clamped, x->e_sys_pj,
		      x->e_chip_pj, x->e_naive_pj);
	if (out_append(r->id, line, (size_t)n))
		return -1;
	r->header_written = 1;
	return 0;
}
