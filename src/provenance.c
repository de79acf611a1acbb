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

static int not_regular(const char *path, const struct stat *st)
{
	return imc_fail(-1, "%s: %s", path,
			S_ISDIR(st->st_mode) ? "is a directory"
					     : "not a regular file");
}

int prov_read_file(const char *path, size_t max, char **buf, size_t *len)
{
	struct stat st;
	/* stat first: opening a FIFO would wait for a writer */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return not_regular(path, &st);
	FILE *f = fopen(path, "rb");
	if (!f)
		return imc_fail(-1, "%s: cannot open: %s", path,
				strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return not_regular(path, &st);
	}
	if ((uint64_t)st.st_size > max) {
		fclose(f);
		return imc_fail(-1, "%s: %lld bytes, more than the %zu allowed",
				path, (long long)st.st_size, max);
	}
	char *b = malloc((size_t)st.st_size + 1);
	if (!b) {
		fclose(f);
		return imc_fail(-1, "%s: out of memory", path);
	}
	size_t n = fread(b, 1, (size_t)st.st_size, f);
	int bad = ferror(f) || getc(f) != EOF;
	fclose(f);
	if (bad || n != (size_t)st.st_size) {
		free(b);
		return imc_fail(-1, "%s: %s", path,
				bad ? "read error or file grew while read"
				    : "file shrank while read");
	}
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}
