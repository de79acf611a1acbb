/*
 * pngcheck.h - is a file a complete PNG? The signature, then chunks whose
 * lengths fit the file and whose CRC-32s match, IHDR first, IEND last and
 * nothing after it. gnuplot can exit 0 having written a truncated PNG (a
 * full disk), so `imcsim plot` checks each figure with this.
 */
#ifndef IMCSIM_PNGCHECK_H
#define IMCSIM_PNGCHECK_H

#include <stddef.h>

#include "imc_err.h"

/* 0 if the n bytes at b are a complete PNG, else -1 with why set. */
int pngcheck_buffer(const unsigned char *b, size_t n, const char **why);
/* The same for a file; -1 with "path: why" (imc_last_error()). */
int pngcheck_file(const char *path);

#endif /* IMCSIM_PNGCHECK_H */
