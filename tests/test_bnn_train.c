/* test_bnn_train.c - ADAM, and the trainer: deterministic for a seed,
 * hardware-exact forward (identical to the ideal evaluator), learns, runs
 * with a chip in the loop, and reaches the expected accuracy on MNIST. */
#include <check.h>
/* Check's ck_assert_float_* pass their float operands through a double
 * formatter; the promotion is theirs, not ours. */
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bnn/adam.h"
#include "bnn/netfile.h"
#include "bnn/train.h"
#include "kernel/rng.h"
#include "mnist_dir.h"

START_TEST(test_adam_converges_and_clips)
{
	struct bnn_adam a;
	float p[2] = { 0, 0.9f }, g[2], m[2] = { 0 }, v[2] = { 0 };

	bnn_adam_init(&a);
	for (int s = 0; s < 2000; s++) {
		g[0] = 2 * (p[0] - 0.5f); /* minimum at 0.5 */
		g[1] = -1;		  /* pushes past the clip at 1 */
		bnn_adam_tick(&a);
		bnn_adam_step(&a, 0.01, 2, p, g, m, v, -1, 1);
		ck_assert_float_le(p[1], 1.0f);
	}
	ck_assert_float_eq_tol(p[0], 0.5f, 0.01f);
	ck_assert_float_eq(p[1], 1.0f);
}
END_TEST

/* 10 random prototype images; each record is one plus code noise. */
static void make_protos(struct bnn_dataset *ds, size_t n, uint64_t key)
{
	ds->n = n;
	ds->codes = malloc(n * BNN_N_INPUTS);
	ds->labels = malloc(n);
	for (size_t k = 0; k < n; k++) {
		unsigned c =
			(unsigned)(rng_u64(5, RNG_STREAM_TEST, key, k, 0) % 10);

		ds->labels[k] = (uint8_t)c;
		for (unsigned i = 0; i < BNN_N_INPUTS; i++) {
			int base =
				(int)(rng_u64(5, RNG_STREAM_TEST, 999, c, i) %
				      32);
			int noise = (int)(rng_u64(5, RNG_STREAM_TEST, key, k,
						  i + 1) %
					  17) -
				    8;
			int x = base + noise;

			ds->codes[k * BNN_N_INPUTS + i] =
				(uint8_t)(x < 0 ? 0 : (x > 31 ? 31 : x));
		}
	}
}

static void small_params(struct bnn_train_params *p, uint64_t seed)
{
	bnn_train_defaults(p);
	p->seed = seed;
	p->epochs = 3;
	p->batch = 50;
}

static int same_net(const struct bnn_net *a, const struct bnn_net *b)
{
	for (unsigned l = 0; l < BNN_N_LAYERS; l++)
		if (memcmp(a->layer[l].w, b->layer[l].w,
			   sizeof(a->layer[l].w)) ||
		    memcmp(a->layer[l].bias_steps, b->layer[l].bias_steps,
			   sizeof(a->layer[l].bias_steps)))
			return 0;
	return 1;
}

START_TEST(test_deterministic_for_seed)
{
	struct bnn_dataset ds;
	struct bnn_train_params p;
	struct bnn_net a, b, c;

	make_protos(&ds, 600, 1);
	small_params(&p, 9);
	ck_assert_int_eq(bnn_train(NULL, NULL, &p, &ds, &a), 0);
	ck_assert_int_eq(bnn_train(NULL, NULL, &p, &ds, &b), 0);
	ck_assert(same_net(&a, &b));
	p.seed = 10;
	ck_assert_int_eq(bnn_train(NULL, NULL, &p, &ds, &c), 0);
	ck_assert(!same_net(&a, &c));
	ck_assert_int_eq(bnn_net_check(&a), 0);
	bnn_dataset_free(&ds);
}
END_TEST

struct noisy {
	uint64_t calls, last_version[3];
	unsigned version_changes;
	double flip; /* probability of flipping a decision */
};

/* A stand-in chip: ideal decisions, a few flipped at random. */
static int noisy_eval(void *ctx, unsigned index, const struct bnn_layer *L,
		      const struct bnn_hw *hw, size_t n, const uint8_t *codes,
		      int8_t *out)
{
	struct noisy *s = ctx;

	if (L->version != s->last_version[index])
		s->version_changes++;
	s->last_version[index] = L->version;
	bnn_ideal_eval(NULL, index, L, hw, n, codes, out);
	for (size_t k = 0; k < n * L->n_out; k++)
		if (rng_uniform(3, RNG_STREAM_TEST, s->calls, k, index) <
		    s->flip)
			out[k] = (int8_t)-out[k];
	s->calls++;
	return 0;
}

START_TEST(test_forward_is_hardware_exact)
{
	struct bnn_dataset ds;
	struct bnn_train_params p;
	struct bnn_trainer *t1, *t2;
	struct bnn_evaluator ideal = bnn_ideal_evaluator();
	struct noisy spy = { .flip = 0 };
	struct bnn_evaluator ev = { noisy_eval, &spy };
	struct bnn_epoch_stats s1, s2;

	make_protos(&ds, 500, 2);
	small_params(&p, 4);
	ck_assert_int_eq(bnn_trainer_new(NULL, NULL, &p, &t1), 0);
	ck_assert_int_eq(bnn_trainer_new(NULL, NULL, &p, &t2), 0);
	for (int e = 0; e < 2; e++) {
		ck_assert_int_eq(bnn_trainer_epoch(t1, &ds, NULL, &s1), 0);
		ck_assert_int_eq(
			bnn_trainer_epoch(t2, &ds, e ? &ev : &ideal, &s2), 0);
		/* identical decisions -> identical updates, bit for bit */
		ck_assert(same_net(bnn_trainer_net(t1), bnn_trainer_net(t2)));
		ck_assert_double_eq(s1.loss, s2.loss);
		ck_assert_double_eq(s1.train_acc, s2.train_acc);
	}
	/* the chip side saw the weights change between batches */
	ck_assert_uint_gt(spy.version_changes, 3 * 8);
	/* a trainer restarted from the deployed net deploys the same net */
	struct bnn_trainer *t3;
	ck_assert_int_eq(bnn_trainer_new(NULL, NULL, &p, &t3), 0);
	ck_assert_int_eq(bnn_trainer_set_net(t3, bnn_trainer_net(t1)), 0);
	ck_assert(same_net(bnn_trainer_net(t1), bnn_trainer_net(t3)));
	/* ... but not one made for other hardware */
	struct bnn_net other = *bnn_trainer_net(t1);
	other.hw.comp_step = 8;
	ck_assert_int_eq(bnn_trainer_set_net(t3, &other), BNN_EARG);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "other hardware"));
	bnn_trainer_free(t1);
	bnn_trainer_free(t2);
	bnn_trainer_free(t3);
	bnn_dataset_free(&ds);
}
END_TEST

START_TEST(test_learns_and_survives_noisy_chip)
{
	struct bnn_dataset train, test;
	struct bnn_train_params p;
	struct bnn_trainer *t;
	struct noisy chip = { .flip = 0.03 };
	struct bnn_evaluator ev = { noisy_eval, &chip };
	double acc_ideal, acc_chip;

	make_protos(&train, 2000, 3);
	make_protos(&test, 500, 4);
	small_params(&p, 1);
	p.epochs = 6;
	ck_assert_int_eq(bnn_trainer_new(NULL, NULL, &p, &t), 0);
	for (int e = 0; e < 3; e++)
		ck_assert_int_eq(bnn_trainer_epoch(t, &train, NULL, NULL), 0);
	ck_assert_int_eq(
		bnn_accuracy(bnn_trainer_net(t), NULL, &test, &acc_ideal), 0);
	ck_assert_double_gt(acc_ideal, 0.9); /* chance is 0.1 */
	/* chip in the loop: keeps training on the noisy decisions */
	for (int e = 0; e < 3; e++)
		ck_assert_int_eq(bnn_trainer_epoch(t, &train, &ev, NULL), 0);
	ck_assert_int_eq(
		bnn_accuracy(bnn_trainer_net(t), &ev, &test, &acc_chip), 0);
	ck_assert_double_gt(acc_chip, 0.85);
	bnn_trainer_free(t);
	bnn_dataset_free(&train);
	bnn_dataset_free(&test);
}
END_TEST

START_TEST(test_rejects_bad_params)
{
	struct bnn_train_params p;
	struct bnn_trainer *t = (struct bnn_trainer *)&p;
	struct bnn_hw hw;

	bnn_train_defaults(&p);
	p.batch = 1;
	ck_assert_int_eq(bnn_trainer_new(NULL, NULL, &p, &t), BNN_EARG);
	ck_assert_ptr_null(t);
	ck_assert_ptr_nonnull(
		strstr(imc_last_error(), "train.batch = 1 is outside"));
	bnn_train_defaults(&p);
	bnn_hw_defaults(&hw);
	hw.code_lo = 31;
	ck_assert_int_eq(bnn_trainer_new(&hw, NULL, &p, &t), BNN_EARG);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "activation codes"));
}
END_TEST

/* The real thing: 8,000 MNIST digits, 10 epochs, hardware-exact net. */
START_TEST(test_mnist_accuracy)
{
	const char *d = data_dir();
	char probe[1024], path[512];
	struct bnn_dataset train, test;
	struct bnn_train_params p;
	struct bnn_net net, back;
	double acc, acc_back;
	struct timespec t0, t1;

	snprintf(probe, sizeof(probe), "%s/train-images-idx3-ubyte", d);
	if (access(probe, F_OK) != 0) {
		fprintf(stderr,
			"test_bnn_train: SKIP MNIST accuracy: %s not "
			"fetched (run data/fetch-mnist.sh)\n",
			probe);
		return;
	}
	ck_assert_msg(bnn_dataset_load_dir(d, "train", NULL, &train) == 0, "%s",
		      imc_last_error());
	ck_assert_msg(bnn_dataset_load_dir(d, "t10k", NULL, &test) == 0, "%s",
		      imc_last_error());
	bnn_train_defaults(&p);
	p.epochs = 10;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(bnn_train(NULL, NULL, &p, &train, &net), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_eq(bnn_accuracy(&net, NULL, &test, &acc), 0);
	fprintf(stderr,
		"test_bnn_train: MNIST seed %llu, %u epochs: test "
		"accuracy %.4f in %.1f s\n",
		(unsigned long long)p.seed, p.epochs, acc,
		(double)(t1.tv_sec - t0.tv_sec) +
			1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
	ck_assert_double_gt(acc, 0.80);
	/* what is saved is what was measured */
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof(path), "%s/test_bnn_train_%ld.txt",
		 tmp ? tmp : "/tmp", (long)getpid());
	ck_assert_int_eq(bnn_net_save(&net, path, "test"), 0);
	ck_assert_int_eq(bnn_net_load(&back, path), 0);
	remove(path);
	ck_assert_int_eq(bnn_accuracy(&back, NULL, &test, &acc_back), 0);
	ck_assert_double_eq(acc, acc_back);
	bnn_dataset_free(&train);
	bnn_dataset_free(&test);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bnn_train");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_adam_converges_and_clips);
	tcase_add_test(tc, test_deterministic_for_seed);
	tcase_add_test(tc, test_forward_is_hardware_exact);
	tcase_add_test(tc, test_learns_and_survives_noisy_chip);
	tcase_add_test(tc, test_rejects_bad_params);
	tcase_add_test(tc, test_mnist_accuracy);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
