/* expdata.c - the MNIST splits the experiments run on: read once,
 * preprocessed plain and normalized; see experiment.h. */
#include "experiment.h"

#include <stdio.h>
#include <string.h>

#include "bnn/idx.h"

/* One split (train or t10k): its two files read once, preprocessed raw
 * and normalized, both cut to limit records; the files noted in inputs. */
static int load_split(const imcsim_config_t *c, const char *split,
		      unsigned limit, struct bnn_dataset *raw,
		      struct bnn_dataset *norm, prov_inputs_t *inputs)
{
	char img[sizeof(c->data_dir) + 32], lab[sizeof(c->data_dir) + 32];
	snprintf(img, sizeof(img), "%s/%s-images-idx3-ubyte", c->data_dir,
		 split);
	snprintf(lab, sizeof(lab), "%s/%s-labels-idx1-ubyte", c->data_dir,
		 split);
	struct idx_set set;
	int rc = idx_read_set(img, lab, &set);
	if (rc)
		return rc;
	const struct bnn_preproc_params pr = { 0 }, pn = { c->norm_target };
	rc = bnn_dataset_from_set(&set, &pr, raw);
	if (!rc)
		rc = bnn_dataset_from_set(&set, &pn, norm);
	if (rc) {
		imc_fail(rc, "%s: %s", rc == BNN_DATA_ELABEL ? lab : img,
			 imc_last_error());
	} else {
		/* the roles are string literals: inputs outlives this frame */
		int train = !strcmp(split, "train");
		prov_note_digest(
			inputs,
			train ? "mnist-train-images" : "mnist-test-images", img,
			16 + (uint64_t)set.images.count * set.images.rows *
					set.images.cols,
			set.images.sha256);
		prov_note_digest(
			inputs,
			train ? "mnist-train-labels" : "mnist-test-labels", lab,
			8 + (uint64_t)set.labels.count, set.labels.sha256);
		if (limit && limit < raw->n) {
			bnn_dataset_truncate(raw, limit);
			bnn_dataset_truncate(norm, limit);
		}
	}
	idx_set_free(&set);
	return rc;
}

int exp_data_load(const imcsim_config_t *c, exp_data_t *d,
		  prov_inputs_t *inputs)
{
	prov_inputs_t none = { 0 };
	if (!inputs)
		inputs = &none;
	memset(d, 0, sizeof(*d));
	if (c->data_from == CONFIG_DATA_NONE)
		return imc_fail(
			-1,
			"no MNIST digits found: neither the user cache %s "
			"nor %s holds them (run `imcsim fetch-data`, or "
			"point at them with --data DIR or IMCSIM_MNIST_DIR)",
			c->data_dir, config_builtin_data_dir());
	if (load_split(c, "train", c->train_images, &d->train, &d->train_norm,
		       inputs) ||
	    load_split(c, "t10k", c->test_images, &d->test, &d->test_norm,
		       inputs)) {
		imc_fail(-1,
			 "%s (the MNIST digits are fetched by `imcsim "
			 "fetch-data`; point data elsewhere with --data DIR "
			 "or IMCSIM_MNIST_DIR)",
			 imc_last_error());
		exp_data_free(d);
		return -1;
	}
	return 0;
}

void exp_data_free(exp_data_t *d)
{
	bnn_dataset_free(&d->train);
	bnn_dataset_free(&d->test);
	bnn_dataset_free(&d->train_norm);
	bnn_dataset_free(&d->test_norm);
}

const struct bnn_dataset *exp_train_split(const exp_data_t *d,
					  const struct bnn_net *net)
{
	return net->pre.norm_target ? &d->train_norm : &d->train;
}

const struct bnn_dataset *exp_test_split(const exp_data_t *d,
					 const struct bnn_net *net)
{
	return net->pre.norm_target ? &d->test_norm : &d->test;
}
