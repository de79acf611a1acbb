/*
 * bnn_train_main.c - bnn-train: train the hardware-exact BNN in software on
 * an IDX data set, report its accuracy and save the deployed net.
 *
 * Contract: bnn-train [--data DIR] [--seed N] [--epochs N] [--batch N]
 *   [--lr X] [--lr-end X] [--bias-lr X] [--center X] [--init X]
 *   [--pos-weight X] [--group 0|1] [--norm TARGET] [--train-n N] [--out FILE]
 * DIR holds train-* and t10k-* IDX files (default: the fetched cache).
 * Prints one line per epoch, one line per layer on how many biases sit at
 * the compensation limit, and a final "result" line; exit 0 on success,
 * 1 with one message on stderr on any error. A developer tool: the imcsim
 * CLI is the user's front door.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bnn/bnn.h"
#include "bnn/dataset.h"
#include "bnn/netfile.h"
#include "bnn/train.h"

#ifndef BNN_DATA_DIR
#define BNN_DATA_DIR "data/cache"
#endif

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int usage(const char *why)
{
	fprintf(stderr,
		"bnn-train: %s (see the header of "
		"model/bnn/bnn_train_main.c)\n",
		why);
	return 1;
}

int main(int argc, char **argv)
{
	struct bnn_train_params p;
	struct bnn_preproc_params pre;
	struct bnn_dataset train = { 0 }, test = { 0 };
	struct bnn_trainer *t = NULL;
	const char *dir = getenv("IMCSIM_MNIST_DIR");
	const char *out = NULL;
	char msg[512];
	long train_n = 0;
	int rc;

	if (!dir)
		dir = BNN_DATA_DIR;
	bnn_train_defaults(&p);
	bnn_preproc_defaults(&pre);
	for (int a = 1; a < argc; a++) {
		const char *k = argv[a], *v = a + 1 < argc ? argv[a + 1] : NULL;

		if (!v)
			return usage("missing value after an option");
		a++;
		if (!strcmp(k, "--data"))
			dir = v;
		else if (!strcmp(k, "--out"))
			out = v;
		else if (!strcmp(k, "--seed"))
			p.seed = strtoull(v, NULL, 10);
		else if (!strcmp(k, "--epochs"))
			p.epochs = (unsigned)atoi(v);
		else if (!strcmp(k, "--batch"))
			p.batch = (unsigned)atoi(v);
		else if (!strcmp(k, "--lr"))
			p.lr_start = atof(v);
		else if (!strcmp(k, "--lr-end"))
			p.lr_end = atof(v);
		else if (!strcmp(k, "--bias-lr"))
			p.bias_lr_scale = atof(v);
		else if (!strcmp(k, "--center"))
			p.center = atof(v);
		else if (!strcmp(k, "--init"))
			p.init_scale = atof(v);
		else if (!strcmp(k, "--pos-weight"))
			p.pos_weight = atof(v);
		else if (!strcmp(k, "--group"))
			p.group_loss = atoi(v);
		else if (!strcmp(k, "--norm"))
			pre.norm_target = (unsigned)atoi(v);
		else if (!strcmp(k, "--train-n"))
			train_n = atol(v);
		else
			return usage("unknown option");
	}
	rc = bnn_dataset_load_dir(dir, "train", &pre, &train, msg, sizeof(msg));
	if (!rc)
		rc = bnn_dataset_load_dir(dir, "t10k", &pre, &test, msg,
					  sizeof(msg));
	if (!rc && train_n > 0)
		bnn_dataset_truncate(&train, (size_t)train_n);
	if (!rc)
		rc = bnn_trainer_new(NULL, &pre, &p, &t, msg, sizeof(msg));
	double t0 = now_s(), acc = 0;
	for (unsigned e = 0; !rc && e < p.epochs; e++) {
		struct bnn_epoch_stats st;

		rc = bnn_trainer_epoch(t, &train, NULL, &st, msg, sizeof(msg));
		if (!rc)
			rc = bnn_accuracy(bnn_trainer_net(t), NULL, &test, &acc,
					  msg, sizeof(msg));
		if (!rc)
			printf("epoch %3u lr %.5f loss %.4f train %.4f test "
			       "%.4f  %.1f s\n",
			       st.epoch, st.lr, st.loss, st.train_acc, acc,
			       now_s() - t0);
	}
	double train_acc = 0;
	if (!rc)
		rc = bnn_accuracy(bnn_trainer_net(t), NULL, &train, &train_acc,
				  msg, sizeof(msg));
	if (!rc && out) {
		char note[256];

		snprintf(note, sizeof(note),
			 "bnn-train seed %llu epochs %u norm %u: train %.4f "
			 "test %.4f",
			 (unsigned long long)p.seed, p.epochs, pre.norm_target,
			 train_acc, acc);
		rc = bnn_net_save(bnn_trainer_net(t), out, note, msg,
				  sizeof(msg));
	}
	for (unsigned l = 0; !rc && l < BNN_N_LAYERS; l++) {
		const struct bnn_layer *L = &bnn_trainer_net(t)->layer[l];
		int lim = bnn_trainer_net(t)->hw.comp_max_steps;
		unsigned at_lim = 0, zero = 0;

		for (unsigned j = 0; j < L->n_out; j++) {
			at_lim += L->bias_steps[j] == lim ||
				  L->bias_steps[j] == -lim;
			zero += L->bias_steps[j] == 0;
		}
		printf("layer %u: %u of %u biases at the +-%d limit, %u at 0\n",
		       l, at_lim, L->n_out, lim, zero);
	}
	if (!rc)
		printf("result seed=%llu epochs=%u norm=%u train_acc=%.4f "
		       "test_acc=%.4f train_s=%.2f\n",
		       (unsigned long long)p.seed, p.epochs, pre.norm_target,
		       train_acc, acc, now_s() - t0);
	bnn_trainer_free(t);
	bnn_dataset_free(&train);
	bnn_dataset_free(&test);
	if (rc) {
		fprintf(stderr, "bnn-train: %s\n", msg);
		return 1;
	}
	return 0;
}
