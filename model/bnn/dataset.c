/* dataset.c - IDX pair -> preprocessed codes; see dataset.h. */
#include "bnn/dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bnn/idx.h"

int bnn_dataset_from_set(const struct idx_set *set,
			 const struct bnn_preproc_params *pp,
			 struct bnn_dataset *out)
{
	if (!out || !set)
		return imc_fail(BNN_DATA_EARG, "dataset: invalid argument");
	memset(out, 0, sizeof(*out));
	size_t n = set->images.count;
	out->codes = malloc(n * BNN_N_INPUTS);
	out->labels = malloc(n);
	if (!out->codes || !out->labels) {
		bnn_dataset_free(out);
		return imc_fail(BNN_DATA_ENOMEM, "dataset: out of memory");
	}
	size_t img_bytes = (size_t)set->images.rows * set->images.cols;
	for (size_t k = 0; k < n; k++) {
		if (set->labels.labels[k] >= BNN_N_CLASSES) {
			unsigned label = set->labels.labels[k];
			bnn_dataset_free(out);
			return imc_fail(BNN_DATA_ELABEL,
					"label %u of record %zu is not a class "
					"0..9",
					label, k);
		}
		out->labels[k] = set->labels.labels[k];
		if (bnn_preproc_image(pp, set->images.pixels + k * img_bytes,
				      set->images.rows, set->images.cols,
				      out->codes + k * BNN_N_INPUTS)) {
			bnn_dataset_free(out);
			return imc_fail(BNN_DATA_EARG,
					"cannot preprocess %u x %u images "
					"(normalization target %u)",
					(unsigned)set->images.rows,
					(unsigned)set->images.cols,
					pp ? pp->norm_target : 0u);
		}
	}
	out->n = n;
	return 0;
}

int bnn_dataset_load(const char *images_path, const char *labels_path,
		     const struct bnn_preproc_params *pp,
		     struct bnn_dataset *out)
{
	struct idx_set set;

	if (!out)
		return imc_fail(BNN_DATA_EARG, "dataset: invalid argument");
	memset(out, 0, sizeof(*out));
	int rc = idx_read_set(images_path, labels_path, &set);
	if (rc)
		return rc;
	rc = bnn_dataset_from_set(&set, pp, out);
	if (rc)
		imc_fail(rc, "%s: %s",
			 rc == BNN_DATA_ELABEL ? labels_path : images_path,
			 imc_last_error());
	idx_set_free(&set);
	return rc;
}

int bnn_dataset_load_dir(const char *dir, const char *split,
			 const struct bnn_preproc_params *pp,
			 struct bnn_dataset *out)
{
	char img[4096], lab[4096];

	if (!dir || !split)
		return imc_fail(BNN_DATA_EARG, "dataset: invalid argument");
	if ((size_t)snprintf(img, sizeof(img), "%s/%s-images-idx3-ubyte", dir,
			     split) >= sizeof(img) ||
	    (size_t)snprintf(lab, sizeof(lab), "%s/%s-labels-idx1-ubyte", dir,
			     split) >= sizeof(lab))
		return imc_fail(BNN_DATA_EARG, "dataset: path too long");
	return bnn_dataset_load(img, lab, pp, out);
}

void bnn_dataset_truncate(struct bnn_dataset *ds, size_t n)
{
	if (ds && n < ds->n)
		ds->n = n;
}

void bnn_dataset_free(struct bnn_dataset *ds)
{
	if (!ds)
		return;
	free(ds->codes);
	free(ds->labels);
	memset(ds, 0, sizeof(*ds));
}
