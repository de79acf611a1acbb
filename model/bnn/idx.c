/* idx.c - strict IDX reader and writer; see idx.h for the contract. */
#include "bnn/idx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "imc_sha256.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Read an IDX file of ndims dimensions once, into a malloc'ed buffer. It
 * must be a regular file (a FIFO or a device would hang or never end), and
 * its size must be what its header promises before anything else is read:
 * the allocation is the file's size, never more than the header allows.
 * A file shorter than its header is read whole for the parser to report. */
static int slurp(const char *path, unsigned ndims, uint8_t **buf, size_t *len)
{
	struct stat st;
	FILE *f;

	/* stat first: opening a FIFO would wait for a writer */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return imc_fail(
			IDX_EIO,
			"%s: not a regular file (an IDX file is needed)", path);
	f = fopen(path, "rb");
	if (!f)
		return imc_fail(IDX_EIO, "%s: cannot open: %s", path,
				strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return imc_fail(
			IDX_EIO,
			"%s: not a regular file (an IDX file is needed)", path);
	}
	size_t hdr = 4 + 4 * (size_t)ndims, n = 0;
	uint8_t h[16];
	size_t got = fread(h, 1, hdr, f);
	if (got == hdr && h[0] == 0 && h[1] == 0 && h[2] == 0x08 &&
	    h[3] == ndims) {
		uint64_t expect = 1;
		int big = 0;
		for (unsigned d = 0; d < ndims; d++) {
			uint32_t v = be32(h + 4 + 4 * d);
			if (v && expect > UINT64_MAX / v)
				big = 1;
			expect *= v;
		}
		uint64_t have = (uint64_t)st.st_size - hdr;
		if (big || have != expect) {
			fclose(f);
			if (big)
				return imc_fail(IDX_ESIZE,
						"%s: size mismatch: header "
						"dimensions overflow",
						path);
			return imc_fail(
				IDX_ESIZE,
				"%s: %s: header promises %llu data bytes, "
				"file has %llu",
				path,
				have < expect ? "truncated data"
					      : "size mismatch (trailing "
						"bytes)",
				(unsigned long long)expect,
				(unsigned long long)have);
		}
	}
	if ((uint64_t)st.st_size > SIZE_MAX - 1) {
		fclose(f);
		return imc_fail(IDX_ENOMEM, "%s: too large", path);
	}
	size_t cap = (size_t)st.st_size > got ? (size_t)st.st_size : got;
	uint8_t *b = malloc(cap ? cap : 1);
	if (!b) {
		fclose(f);
		return imc_fail(IDX_ENOMEM, "%s: out of memory", path);
	}
	memcpy(b, h, got);
	n = got;
	while (n < cap) {
		size_t k = fread(b + n, 1, cap - n, f);
		if (k == 0)
			break;
		n += k;
	}
	if (ferror(f)) {
		free(b);
		fclose(f);
		return imc_fail(IDX_EIO, "%s: read error", path);
	}
	fclose(f);
	*buf = b;
	*len = n;
	return IDX_OK;
}

/* Check the header common to both kinds; returns the data offset. */
static int check_header(const char *name, const uint8_t *buf, size_t len,
			unsigned ndims, const char *kind)
{
	size_t hdr = 4 + 4 * (size_t)ndims;

	if (len < 4)
		return imc_fail(
			IDX_ETRUNC,
			"%s: truncated header: %zu bytes, an IDX %s file "
			"needs %zu",
			name, len, kind, hdr);
	if (buf[0] != 0 || buf[1] != 0 || buf[2] != 0x08)
		return imc_fail(
			IDX_EMAGIC,
			"%s: bad magic 0x%08x: not an unsigned-byte IDX "
			"file (expected 0x%08x for %s)",
			name, (unsigned)be32(buf), 0x800u + ndims, kind);
	if (buf[3] != ndims)
		return imc_fail(
			IDX_EDIMS,
			"%s: wrong dimension count %u for an IDX %s file "
			"(magic 0x%08x, expected 0x%08x)",
			name, (unsigned)buf[3], kind, (unsigned)be32(buf),
			0x800u + ndims);
	if (len < hdr)
		return imc_fail(
			IDX_ETRUNC,
			"%s: truncated header: %zu bytes, an IDX %s file "
			"needs %zu",
			name, len, kind, hdr);
	return IDX_OK;
}

static int check_size(const char *name, size_t len, size_t hdr, uint64_t expect)
{
	uint64_t have = (uint64_t)(len - hdr);

	if (have < expect)
		return imc_fail(
			IDX_ESIZE,
			"%s: truncated data: header promises %llu bytes, "
			"file has %llu",
			name, (unsigned long long)expect,
			(unsigned long long)have);
	if (have > expect)
		return imc_fail(IDX_ESIZE,
				"%s: size mismatch: header promises %llu data "
				"bytes, file has %llu (trailing bytes)",
				name, (unsigned long long)expect,
				(unsigned long long)have);
	return IDX_OK;
}

int idx_parse_images(const char *name, const uint8_t *buf, size_t len,
		     struct idx_images *out)
{
	int rc;

	if (!name)
		name = "idx";
	if (!out || (!buf && len))
		return imc_fail(IDX_EARG, "%s: invalid argument", name);
	memset(out, 0, sizeof(*out));
	rc = check_header(name, buf, len, 3, "image");
	if (rc)
		return rc;
	uint32_t count = be32(buf + 4), rows = be32(buf + 8),
		 cols = be32(buf + 12);
	if (count == 0 || rows == 0 || cols == 0)
		return imc_fail(IDX_EEMPTY,
				"%s: empty: header says %u images of %u x %u",
				name, (unsigned)count, (unsigned)rows,
				(unsigned)cols);
	uint64_t per = (uint64_t)rows * cols;
	if (per > UINT64_MAX / count || per * count > SIZE_MAX)
		return imc_fail(
			IDX_ESIZE,
			"%s: size mismatch: header promises %u images of "
			"%u x %u, more than memory can hold; file has "
			"%zu data bytes",
			name, (unsigned)count, (unsigned)rows, (unsigned)cols,
			len - 16);
	uint64_t expect = per * count;
	rc = check_size(name, len, 16, expect);
	if (rc)
		return rc;
	out->pixels = malloc((size_t)expect);
	if (!out->pixels)
		return imc_fail(IDX_ENOMEM, "%s: out of memory", name);
	memcpy(out->pixels, buf + 16, (size_t)expect);
	out->count = count;
	out->rows = rows;
	out->cols = cols;
	imc_sha256(buf, len, out->sha256);
	return IDX_OK;
}

int idx_parse_labels(const char *name, const uint8_t *buf, size_t len,
		     struct idx_labels *out)
{
	int rc;

	if (!name)
		name = "idx";
	if (!out || (!buf && len))
		return imc_fail(IDX_EARG, "%s: invalid argument", name);
	memset(out, 0, sizeof(*out));
	rc = check_header(name, buf, len, 1, "label");
	if (rc)
		return rc;
	uint32_t count = be32(buf + 4);
	if (count == 0)
		return imc_fail(IDX_EEMPTY, "%s: empty: header says 0 labels",
				name);
	rc = check_size(name, len, 8, count);
	if (rc)
		return rc;
	out->labels = malloc(count);
	if (!out->labels)
		return imc_fail(IDX_ENOMEM, "%s: out of memory", name);
	memcpy(out->labels, buf + 8, count);
	out->count = count;
	imc_sha256(buf, len, out->sha256);
	return IDX_OK;
}

int idx_read_images(const char *path, struct idx_images *out)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if (!path || !out)
		return imc_fail(IDX_EARG, "idx: invalid argument");
	memset(out, 0, sizeof(*out));
	rc = slurp(path, 3, &buf, &len);
	if (rc)
		return rc;
	rc = idx_parse_images(path, buf, len, out);
	free(buf);
	return rc;
}

int idx_read_labels(const char *path, struct idx_labels *out)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if (!path || !out)
		return imc_fail(IDX_EARG, "idx: invalid argument");
	memset(out, 0, sizeof(*out));
	rc = slurp(path, 1, &buf, &len);
	if (rc)
		return rc;
	rc = idx_parse_labels(path, buf, len, out);
	free(buf);
	return rc;
}

int idx_read_set(const char *images_path, const char *labels_path,
		 struct idx_set *out)
{
	int rc;

	if (!out)
		return imc_fail(IDX_EARG, "idx: invalid argument");
	memset(out, 0, sizeof(*out));
	rc = idx_read_images(images_path, &out->images);
	if (rc)
		return rc;
	rc = idx_read_labels(labels_path, &out->labels);
	if (rc) {
		idx_images_free(&out->images);
		return rc;
	}
	if (out->images.count != out->labels.count) {
		rc = imc_fail(IDX_ECOUNT, "%s: %u labels, but %s has %u images",
			      labels_path, (unsigned)out->labels.count,
			      images_path, (unsigned)out->images.count);
		idx_set_free(out);
		return rc;
	}
	return IDX_OK;
}

static int write_file(const char *path, const uint8_t *hdr, size_t hlen,
		      const uint8_t *data, size_t dlen)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return imc_fail(IDX_EIO, "%s: cannot create: %s", path,
				strerror(errno));
	int ok = fwrite(hdr, 1, hlen, f) == hlen &&
		 (dlen == 0 || fwrite(data, 1, dlen, f) == dlen);
	if (fclose(f) != 0)
		ok = 0;
	if (!ok)
		return imc_fail(IDX_EIO, "%s: write error", path);
	return IDX_OK;
}

int idx_write_images(const char *path, uint32_t count, uint32_t rows,
		     uint32_t cols, const uint8_t *pixels)
{
	uint8_t hdr[16];
	uint64_t n = (uint64_t)count * rows * cols;

	if (!path || (n && !pixels) || n > SIZE_MAX)
		return imc_fail(IDX_EARG, "idx: invalid argument");
	put_be32(hdr, IDX_MAGIC_IMAGES);
	put_be32(hdr + 4, count);
	put_be32(hdr + 8, rows);
	put_be32(hdr + 12, cols);
	return write_file(path, hdr, sizeof(hdr), pixels, (size_t)n);
}

int idx_write_labels(const char *path, uint32_t count, const uint8_t *labels)
{
	uint8_t hdr[8];

	if (!path || (count && !labels))
		return imc_fail(IDX_EARG, "idx: invalid argument");
	put_be32(hdr, IDX_MAGIC_LABELS);
	put_be32(hdr + 4, count);
	return write_file(path, hdr, sizeof(hdr), labels, count);
}

void idx_images_free(struct idx_images *img)
{
	if (!img)
		return;
	free(img->pixels);
	memset(img, 0, sizeof(*img));
}

void idx_labels_free(struct idx_labels *lab)
{
	if (!lab)
		return;
	free(lab->labels);
	memset(lab, 0, sizeof(*lab));
}

void idx_set_free(struct idx_set *set)
{
	if (!set)
		return;
	idx_images_free(&set->images);
	idx_labels_free(&set->labels);
}

const char *idx_strerror(int err)
{
	switch (err) {
	case IDX_OK:
		return "success";
	case IDX_EIO:
		return "i/o error";
	case IDX_ETRUNC:
		return "truncated header";
	case IDX_EMAGIC:
		return "bad magic";
	case IDX_EDIMS:
		return "wrong dimension count";
	case IDX_EEMPTY:
		return "empty";
	case IDX_ESIZE:
		return "size mismatch";
	case IDX_ECOUNT:
		return "image/label count mismatch";
	case IDX_ENOMEM:
		return "out of memory";
	case IDX_EARG:
		return "invalid argument";
	default:
		return "unknown error";
	}
}
