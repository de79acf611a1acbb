/*
 * fuzz_netfile.c - libFuzzer target for the saved-net parser
 * (bnn/netfile.h: bnn_net_parse on in-memory text).
 *
 * Beyond memory safety: a failed parse leaves the net untouched and names
 * a problem; an accepted net passes bnn_net_check and survives a save/load
 * round trip (saving it again gives the same text).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bnn/netfile.h"
#include "fuzz_common.h"

/* Save net into the memfd and return the text (malloc'ed) and its length. */
static char *save_text(const struct bnn_net *net, size_t *len)
{
	const char *path = fuzz_memfd_path(NULL, 0);
	FILE *f;
	char *buf;
	long n;

	if (bnn_net_save(net, path, "fuzz") != BNN_OK)
		abort();
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		abort();
	buf = malloc((size_t)n);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		abort();
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bnn_net net, back, canary;
	int rc;

	memset(&net, 0x5a, sizeof(net));
	memset(&canary, 0x5a, sizeof(canary));
	imc_clear_error();
	/* The contract allows (NULL, 0): libFuzzer never passes NULL, so the
	 * empty input stands for it (UBSan once caught NULL + 0 here). */
	rc = bnn_net_parse(&net, "fuzz", size ? (const char *)data : NULL,
			   size);
	if (rc != BNN_OK) {
		if (imc_last_error()[0] == '\0' ||
		    memcmp(&net, &canary, sizeof(net)) != 0)
			abort();
		return 0;
	}
	if (bnn_net_check(&net) != BNN_OK)
		abort();

	size_t n1, n2;
	char *t1 = save_text(&net, &n1);

	if (bnn_net_parse(&back, "resaved", t1, n1) != BNN_OK)
		abort();
	char *t2 = save_text(&back, &n2);

	if (n1 != n2 || memcmp(t1, t2, n1) != 0)
		abort();
	free(t1);
	free(t2);
	return 0;
}
