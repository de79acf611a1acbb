/* mnist_dir.h - where the end-to-end tests find the MNIST IDX files.
 *
 * IMCSIM_MNIST_DIR from the environment (make check sets it, see
 * Makefile.am), else the directory compiled in as IMCSIM_DATA_DIR. */
#ifndef IMCSIM_TESTS_MNIST_DIR_H
#define IMCSIM_TESTS_MNIST_DIR_H

#include <stdio.h>
#include <stdlib.h>

static inline const char *data_dir(void)
{
	const char *env = getenv("IMCSIM_MNIST_DIR");
	return env && *env ? env : IMCSIM_DATA_DIR;
}

/* data_dir()/name, in a static buffer (valid until the next call). */
static inline const char *data_file(const char *name)
{
	static char path[1024];
	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	return path;
}

#endif
