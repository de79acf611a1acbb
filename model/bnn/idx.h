/*
 * idx.h - strict reader (and writer) of IDX files, the MNIST file format.
 *
 * Contract: only unsigned-byte IDX files are accepted: images with magic
 * 0x00000803 (count, rows, cols) and labels with magic 0x00000801 (count),
 * all header words big-endian. A file is rejected, with a negative idx_err
 * code and one message "<path>: <problem>" in imc_last_error() (imc_err.h),
 * when it is unreadable, shorter than its header, has a bad magic (non-zero
 * first bytes, an element type other than unsigned byte, or the wrong number
 * of dimensions), an empty dimension, or a data size that differs from what
 * the header promises (truncated or with trailing bytes); idx_read_set also
 * rejects an image file and a label file whose counts differ. Each file is
 * read once (a regular file only, no more bytes than its header allows),
 * and the SHA-256 of the bytes parsed is kept with the result, for the
 * provenance of what was computed from it. Nothing is printed. On success the caller owns the buffers and frees them with the
 * matching *_free function; on failure the output is left zeroed.
 */
#ifndef IMCSIM_BNN_IDX_H
#define IMCSIM_BNN_IDX_H

#include <stddef.h>
#include <stdint.h>

#include "imc_err.h"
#include "imc_export.h"

IMC_BEGIN_DECLS

#define IDX_MAGIC_IMAGES 0x00000803u
#define IDX_MAGIC_LABELS 0x00000801u

/* Error codes (all negative; 0 is success). */
enum idx_err {
	IDX_OK = 0,
	IDX_EIO = IMC_EIO,	 /* cannot open, read or write the file */
	IDX_ETRUNC = IMC_ETRUNC, /* file shorter than its header */
	IDX_EMAGIC = IMC_EMAGIC, /* bad magic: not unsigned-byte IDX */
	IDX_EDIMS = IMC_EDIMS,	 /* wrong number of dimensions for the kind */
	IDX_EEMPTY = IMC_EEMPTY, /* a dimension (count, rows or cols) is 0 */
	IDX_ESIZE = IMC_ESIZE, /* data size differs from the header's promise */
	IDX_ECOUNT = IMC_ECOUNT, /* image and label counts differ */
	IDX_ENOMEM = IMC_ENOMEM, /* out of memory */
	IDX_EARG = IMC_EINVAL,	 /* invalid argument */
};

/* count images of rows x cols bytes each, row-major, image after image. */
struct idx_images {
	uint32_t count, rows, cols;
	uint8_t *pixels;
	uint8_t sha256[32]; /* SHA-256 of the whole file as parsed */
};

struct idx_labels {
	uint32_t count;
	uint8_t *labels;
	uint8_t sha256[32]; /* SHA-256 of the whole file as parsed */
};

/* A matched pair: images.count == labels.count. */
struct idx_set {
	struct idx_images images;
	struct idx_labels labels;
};

/* Read an image file; 0 or a negative idx_err. */
int idx_read_images(const char *path, struct idx_images *out);
/* Read a label file; 0 or a negative idx_err. */
int idx_read_labels(const char *path, struct idx_labels *out);
/* Read both files and check that their counts agree. */
int idx_read_set(const char *images_path, const char *labels_path,
		 struct idx_set *out);

/* Parse an image file already in memory (name is used in messages). */
int idx_parse_images(const char *name, const uint8_t *buf, size_t len,
		     struct idx_images *out);
/* Parse a label file already in memory. */
int idx_parse_labels(const char *name, const uint8_t *buf, size_t len,
		     struct idx_labels *out);

/* Write count images of rows x cols bytes (for tests and tools). */
int idx_write_images(const char *path, uint32_t count, uint32_t rows,
		     uint32_t cols, const uint8_t *pixels);
/* Write count labels. */
int idx_write_labels(const char *path, uint32_t count, const uint8_t *labels);

void idx_images_free(struct idx_images *img);
void idx_labels_free(struct idx_labels *lab);
void idx_set_free(struct idx_set *set);

/* A short name for an idx_err code ("bad magic", ...). */
const char *idx_strerror(int err);

IMC_END_DECLS

#endif /* IMCSIM_BNN_IDX_H */
