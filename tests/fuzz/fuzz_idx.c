/*
 * fuzz_idx.c - libFuzzer target for the IDX reader (bnn/idx.h).
 *
 * The input is one file, parsed both as an image file and as a label file.
 * Invariants checked beyond memory safety: success means the header's
 * sizes match the input length exactly and the payload was copied; failure
 * leaves the output zeroed and always fills the message.
 */
#include <stdlib.h>
#include <string.h>

#include "bnn/idx.h"

static int zeroed(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idx_images img;
	struct idx_labels lab;
	int rc;

	imc_clear_error();
	rc = idx_parse_images("fuzz", data, size, &img);
	if (rc == IDX_OK) {
		uint64_t n = (uint64_t)img.count * img.rows * img.cols;

		if (n + 16 != size || memcmp(img.pixels, data + 16, n) != 0)
			abort();
	} else if (!zeroed(&img, sizeof(img)) || imc_last_error()[0] == '\0' ||
		   rc >= 0) {
		abort();
	}
	idx_images_free(&img);

	imc_clear_error();
	rc = idx_parse_labels("fuzz", data, size, &lab);
	if (rc == IDX_OK) {
		if ((uint64_t)lab.count + 8 != size ||
		    memcmp(lab.labels, data + 8, lab.count) != 0)
			abort();
	} else if (!zeroed(&lab, sizeof(lab)) || imc_last_error()[0] == '\0' ||
		   rc >= 0) {
		abort();
	}
	idx_labels_free(&lab);
	return 0;
}
