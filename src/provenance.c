/* provenance.c - the input files of a run; see provenance.h. */
#include "provenance.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void prov_note_digest(prov_inputs_t *p, const char *role, const char *path,
		      uint64_t bytes, const uint8_t digest[IMC_SHA256_BYTES])
{
	for (unsigned i = 0; i < p->n; i++)
		if (!strcmp(p->in[i].path, path))
			return;
	if (p->n == PROV_MAX_INPUTS)
		return;
	prov_input_t *in = &p->in[p->n++];
	in->role = role;
	snprintf(in->path, sizeof(in->path), "%s", path);
	in->bytes = bytes;
	imc_sha256_hex(digest, in->sha256);
}

void prov_note_bytes(prov_inputs_t *p, const char *role, const char *path,
		     const void *data, size_t len)
{
	uint8_t d[IMC_SHA256_BYTES];
	imc_sha256(data, len, d);
	prov_note_digest(p, role, path, len, d);
}

void prov_merge(prov_inputs_t *dst, const prov_inputs_t *src)
{
	for (unsigned i = 0; i < src->n; i++) {
		const prov_input_t *in = &src->in[i];
		int known = 0;
		for (unsigned j = 0; j < dst->n && !known; j++)
			known = !strcmp(dst->in[j].path, in->path);
		if (!known && dst->n < PROV_MAX_INPUTS)
			dst->in[dst->n++] = *in;
	}
}

static int not_regular(const char *path, const struct stat *st, char *err,
		       size_t errlen)
{
	snprintf(err, errlen, "%s: %s", path,
		 S_ISDIR(st->st_mode) ? "is a directory"
				      : "not a regular file");
	return -1;
}

int prov_read_file(const char *path, size_t max, char **buf, size_t *len,
		   char *err, size_t errlen)
{
	struct stat st;
	/* stat first: opening a FIFO would wait for a writer */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return not_regular(path, &st, err, errlen);
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
			 strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return not_regular(path, &st, err, errlen);
	}
	if ((uint64_t)st.st_size > max) {
		fclose(f);
		snprintf(err, errlen,
			 "%s: %lld bytes, more than the %zu allowed", path,
			 (long long)st.st_size, max);
		return -1;
	}
	char *b = malloc((size_t)st.st_size + 1);
	if (!b) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	size_t n = fread(b, 1, (size_t)st.st_size, f);
	int bad = ferror(f) || getc(f) != EOF;
	fclose(f);
	if (bad || n != (size_t)st.st_size) {
		free(b);
		snprintf(err, errlen, "%s: %s", path,
			 bad ? "read error or file grew while read"
			     : "file shrank while read");
		return -1;
	}
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}
