/*
 * dataset.h - a labelled set of preprocessed images, ready for the BNN.
 *
 * Contract: bnn_dataset_load reads an IDX image/label pair (strictly, see
 * idx.h), checks every label is a class 0..9, and runs each image through
 * bnn_preproc_image with the given parameters. The result holds n records
 * of BNN_N_INPUTS codes each (record k at codes + k * BNN_N_INPUTS) and n
 * labels, in file order. bnn_dataset_load_dir finds the standard MNIST
 * names in a directory: split "train" -> train-images-idx3-ubyte and
 * train-labels-idx1-ubyte, split "t10k" -> t10k-*. Errors: a negative
 * idx_err code from the reader, or BNN_DATA_ELABEL / BNN_DATA_EARG /
 * BNN_DATA_ENOMEM, with one message in imc_last_error(). A dataset is
 * freed with bnn_dataset_free (safe on a zeroed struct).
 */
#ifndef IMCSIM_BNN_DATASET_H
#define IMCSIM_BNN_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "bnn/idx.h"
#include "bnn/preproc.h"

#include "imc_err.h"
#include "imc_export.h"

IMC_BEGIN_DECLS

#define BNN_N_CLASSES 10

enum bnn_data_err {
	BNN_DATA_ELABEL = IMC_ELABEL, /* a label outside 0..9 */
	BNN_DATA_EARG = IMC_EINVAL,   /* invalid argument */
	BNN_DATA_ENOMEM = IMC_ENOMEM, /* out of memory */
};

struct bnn_dataset {
	size_t n;
	uint8_t *codes;	 /* n x BNN_N_INPUTS */
	uint8_t *labels; /* n, each 0..9 */
};

/* Load and preprocess an IDX pair; 0 or a negative code. */
int bnn_dataset_load(const char *images_path, const char *labels_path,
		     const struct bnn_preproc_params *pp,
		     struct bnn_dataset *out);
/* The same from a set already read (idx_read_set): one read of the files
 * can feed several preprocessings. Messages name no file. */
int bnn_dataset_from_set(const struct idx_set *set,
			 const struct bnn_preproc_params *pp,
			 struct bnn_dataset *out);
/* Same from dir/<split>-images-idx3-ubyte and dir/<split>-labels-... */
int bnn_dataset_load_dir(const char *dir, const char *split,
			 const struct bnn_preproc_params *pp,
			 struct bnn_dataset *out);
/* Keep only the first n records (n <= ds->n). */
void bnn_dataset_truncate(struct bnn_dataset *ds, size_t n);
void bnn_dataset_free(struct bnn_dataset *ds);

IMC_END_DECLS

#endif /* IMCSIM_BNN_DATASET_H */
