/* test_bnn_net.c - the deployed net computes the documented integer
 * formula, plugs in any column evaluator, reads out votes with the
 * documented tie rule, folds batch norm exactly where representable, and
 * saves/loads through a strict file format. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bnn/bnn.h"
#include "bnn/fold.h"
#include "bnn/netfile.h"
#include "kernel/rng.h"

static void random_net(struct bnn_net *net, uint64_t seed)
{
	bnn_net_init(net, NULL, NULL);
	for (unsigned l = 0; l < BNN_N_LAYERS; l++) {
		struct bnn_layer *L = &net->layer[l];

		for (unsigned k = 0; k < L->n_in * L->n_out; k++)
			L->w[k] = (rng_u64(seed, RNG_STREAM_TEST, l, k, 0) & 1)
					  ? 1
					  : -1;
		for (unsigned j = 0; j < L->n_out; j++)
			L->bias_steps[j] =
				(int16_t)((int)(rng_u64(seed, RNG_STREAM_TEST,
							l, j, 1) %
						33) -
					  16);
	}
}

static void random_codes(uint8_t *c, size_t n, uint64_t seed)
{
	for (size_t i = 0; i < n; i++)
		c[i] = (uint8_t)(rng_u64(seed, RNG_STREAM_TEST, i, 9, 9) % 32);
}

START_TEST(test_ideal_formula_and_ties)
{
	struct bnn_net net;
	uint8_t x[96];
	int8_t out[96];

	bnn_net_init(&net, NULL, NULL);
	ck_assert_int_eq(bnn_net_check(&net), 0);
	struct bnn_layer *L = &net.layer[0];
	/* column 0: +x0 - x1, bias -1 step (-4 code units) */
	for (unsigned i = 0; i < 96; i++)
		L->w[i] = i == 1 ? -1 : 1;
	memset(x, 0, sizeof(x));
	x[0] = 10;
	x[1] = 6;
	L->bias_steps[0] = -1;
	ck_assert_int_eq(bnn_column_pre(L, &net.hw, 0, x), 0);
	ck_assert_int_eq(bnn_ideal_eval(NULL, 0, L, &net.hw, 1, x, out), 0);
	ck_assert_int_eq(out[0], 1); /* a tie gives +1 */
	x[1] = 7;
	ck_assert_int_eq(bnn_column_pre(L, &net.hw, 0, x), -1);
	bnn_ideal_eval(NULL, 0, L, &net.hw, 1, x, out);
	ck_assert_int_eq(out[0], -1);
	/* comp_step scales the bias */
	net.hw.comp_step = 8;
	ck_assert_int_eq(bnn_column_pre(L, &net.hw, 0, x), 3 - 8);
}
END_TEST

START_TEST(test_readout_votes_and_ties)
{
	int8_t out[90];
	unsigned scores[10];

	for (int j = 0; j < 90; j++)
		out[j] = -1;
	ck_assert_uint_eq(bnn_readout(out, scores), 0); /* all 0: class 0 */
	for (int v = 0; v < 5; v++)
		out[3 * 9 + v] = 1;
	for (int v = 0; v < 5; v++)
		out[7 * 9 + v] = 1;
	out[1 * 9 + 8] = 1;
	ck_assert_uint_eq(bnn_readout(out, scores), 3); /* tie 3/7 -> 3 */
	ck_assert_uint_eq(scores[3], 5);
	ck_assert_uint_eq(scores[7], 5);
	ck_assert_uint_eq(scores[1], 1);
	out[7 * 9 + 8] = 1;
	ck_assert_uint_eq(bnn_readout(out, NULL), 7);
}
END_TEST

struct spy {
	unsigned calls, order[8];
	uint64_t version[8];
	int flip_layer; /* flip every decision of this layer, -1: none */
	int fail, garbage;
};

static int spy_eval(void *ctx, unsigned index, const struct bnn_layer *layer,
		    const struct bnn_hw *hw, size_t n, const uint8_t *codes,
		    int8_t *out)
{
	struct spy *s = ctx;

	if (s->calls < 8) {
		s->order[s->calls] = index;
		s->version[s->calls] = layer->version;
	}
	s->calls++;
	if (s->fail)
		return imc_fail(-1, "chip 1 not calibrated");
	bnn_ideal_eval(NULL, index, layer, hw, n, codes, out);
	if ((int)index == s->flip_layer)
		for (size_t k = 0; k < n * layer->n_out; k++)
			out[k] = (int8_t)-out[k];
	if (s->garbage)
		out[0] = 0;
	return 0;
}

START_TEST(test_evaluator_plugs_in)
{
	enum { N = 40 };
	struct bnn_net net;
	uint8_t codes[N * 96], pred_ideal[N], pred_spy[N];
	int8_t a0[N * 96], a1[N * 96], a2[N * 90], b2[N * 90];
	int8_t *act[3] = { a0, a1, a2 }, *act2[3] = { NULL, NULL, b2 };
	struct spy s = { .flip_layer = -1 };
	struct bnn_evaluator ev = { spy_eval, &s };

	random_net(&net, 3);
	net.layer[1].version = 42;
	random_codes(codes, sizeof(codes), 4);
	ck_assert_int_eq(bnn_forward(&net, NULL, N, codes, act, pred_ideal), 0);
	ck_assert_int_eq(bnn_forward(&net, &ev, N, codes, act2, pred_spy), 0);
	ck_assert_uint_eq(s.calls, 3);
	for (unsigned l = 0; l < 3; l++)
		ck_assert_uint_eq(s.order[l], l);
	ck_assert_uint_eq(s.version[1], 42);
	ck_assert_mem_eq(pred_ideal, pred_spy, N);
	ck_assert_mem_eq(a2, b2, sizeof(a2));
	/* layer 1 of image 0 computed by hand from layer 0's codes */
	uint8_t x1[96];
	bnn_act_to_codes(&net.hw, 96, a0, x1);
	for (unsigned j = 0; j < 96; j++)
		ck_assert_int_eq(a1[j], bnn_column_pre(&net.layer[1], &net.hw,
						       j, x1) >= 0
						? 1
						: -1);
	/* a chip that inverts layer 0 changes what layer 1 sees */
	s.flip_layer = 0;
	ck_assert_int_eq(bnn_forward(&net, &ev, N, codes, act2, pred_spy), 0);
	ck_assert_int_ne(memcmp(a2, b2, sizeof(a2)), 0);
	/* failures are reported with the evaluator's message */
	s.flip_layer = -1;
	s.fail = 1;
	ck_assert_int_eq(bnn_forward(&net, &ev, N, codes, NULL, pred_spy),
			 BNN_EEVAL);
	ck_assert_ptr_nonnull(
		strstr(imc_last_error(), "chip 1 not calibrated"));
	s.fail = 0;
	s.garbage = 1;
	ck_assert_int_eq(bnn_forward(&net, &ev, N, codes, NULL, pred_spy),
			 BNN_EEVAL);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "not +1/-1"));
}
END_TEST

/* Fold random BN neurons whose threshold lands on the step grid: the
 * decisions must agree for every possible dot product and on real
 * weight/input vectors, for both signs of gamma. */
START_TEST(test_fold_matches_bn_when_representable)
{
	struct bnn_hw hw;

	bnn_hw_defaults(&hw);
	for (uint64_t k = 0; k < 400; k++) {
		double u1 = rng_uniform(11, RNG_STREAM_TEST, k, 1, 0);
		double u2 = rng_uniform(11, RNG_STREAM_TEST, k, 2, 0);
		double u3 = rng_uniform(11, RNG_STREAM_TEST, k, 3, 0);
		int steps =
			(int)(rng_u64(11, RNG_STREAM_TEST, k, 4, 0) % 33) - 16;
		int neg = (int)(k & 1);
		struct bnn_bn bn;

		bn.gamma = (neg ? -1 : 1) * (0.1 + 3 * u1);
		bn.sigma = 5 + 200 * u2;
		bn.mean = 3000 * (u3 - 0.5);
		/* integer threshold t = -4 * steps; theta inside the cell
		 * that rounds to it (ceil for gamma > 0, floor otherwise) */
		double t = -hw.comp_step * steps;
		double frac = 0.05 + 0.9 * u1;
		double theta = neg ? -t + frac : t - frac;
		bn.beta = (bn.mean - theta) * bn.gamma / bn.sigma;

		int8_t w[96], wf[96];
		int16_t bias = 99;
		int exact = -1;
		for (int i = 0; i < 96; i++)
			w[i] = wf[i] =
				(rng_u64(11, RNG_STREAM_TEST, k, 5, i) & 1)
					? 1
					: -1;
		ck_assert_int_eq(bnn_fold_bn(&hw, &bn, 96, wf, &bias, &exact),
				 0);
		ck_assert_int_eq(exact, 1);
		ck_assert_int_eq(bias,
				 steps); /* theta sits on the same grid point */
		for (int i = 0; i < 96; i++)
			ck_assert_int_eq(wf[i], neg ? -w[i] : w[i]);
		for (int32_t z = -2976; z <= 2976; z++) {
			int32_t hw_pre = (neg ? -z : z) + hw.comp_step * bias;

			ck_assert_int_eq(hw_pre >= 0 ? 1 : -1,
					 bnn_bn_decide(&bn, z));
		}
		struct bnn_layer L = { .n_in = 96, .n_out = 1 };
		memcpy(L.w, wf, 96);
		L.bias_steps[0] = bias;
		for (int r = 0; r < 20; r++) {
			uint8_t x[96];
			int32_t z = 0;

			random_codes(x, 96, k * 100 + (uint64_t)r);
			for (int i = 0; i < 96; i++)
				z += w[i] * x[i];
			ck_assert_int_eq(
				bnn_column_pre(&L, &hw, 0, x) >= 0 ? 1 : -1,
				bnn_bn_decide(&bn, z));
		}
	}
}
END_TEST

START_TEST(test_fold_reports_unrepresentable)
{
	struct bnn_hw hw;
	struct bnn_bn bn = { 1.0, 0.0, 6.0, 10.0 }; /* threshold 6: off grid */
	int8_t w[4] = { 1, -1, 1, 1 };
	int16_t bias;
	int exact;

	bnn_hw_defaults(&hw);
	ck_assert_int_eq(bnn_fold_bn(&hw, &bn, 4, w, &bias, &exact), 0);
	ck_assert_int_eq(exact, 0);
	ck_assert_int_eq(bias, -1); /* -6/4 = -1.5, rounded half up */
	bn.mean = 1000;		    /* far outside +-64 */
	ck_assert_int_eq(bnn_fold_bn(&hw, &bn, 4, w, &bias, &exact),
			 BNN_ERANGE);
	ck_assert_int_eq(exact, 0);
	ck_assert_int_eq(bias, -16);
	ck_assert_ptr_nonnull(
		strstr(imc_last_error(), "outside the compensation range"));
	bn.gamma = 0;
	ck_assert_int_eq(bnn_fold_bn(&hw, &bn, 4, w, &bias, &exact), BNN_EARG);
}
END_TEST

static char path[512];

static void write_text(const char *text)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static char *read_text(void)
{
	FILE *f = fopen(path, "rb");
	char *b = calloc(1, 1 << 16);
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(b, 1, (1 << 16) - 1, f);
	ck_assert_uint_lt(n, (1 << 16) - 1);
	fclose(f);
	return b;
}

/* Replace the first occurrence of `from` by `to` in a copy of text. */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	char *out = calloc(1, strlen(text) + strlen(to) + 1);

	ck_assert_ptr_nonnull(at);
	memcpy(out, text, (size_t)(at - text));
	strcat(out, to);
	strcat(out, at + strlen(from));
	return out;
}

static void expect_reject(const char *text, const char *needle)
{
	struct bnn_net net, before;

	random_net(&net, 77);
	before = net;
	write_text(text);
	imc_clear_error();
	ck_assert_int_eq(bnn_net_load(&net, path), BNN_EFORMAT);
	ck_assert_msg(strstr(imc_last_error(), needle) != NULL,
		      "message '%s' lacks '%s'", imc_last_error(), needle);
	ck_assert_ptr_nonnull(
		strstr(imc_last_error(), path)); /* names the file */
	/* untouched */
	ck_assert(bnn_hw_equal(&net.hw, &before.hw));
	for (unsigned l = 0; l < 3; l++) {
		ck_assert_mem_eq(net.layer[l].w, before.layer[l].w,
				 sizeof(net.layer[l].w));
		ck_assert_mem_eq(net.layer[l].bias_steps,
				 before.layer[l].bias_steps,
				 sizeof(net.layer[l].bias_steps));
	}
}

START_TEST(test_netfile_roundtrip_and_rejects)
{
	struct bnn_net net, back;
	const char *t = getenv("TMPDIR");
	char *good;

	snprintf(path, sizeof(path), "%s/test_bnn_net_%ld.txt", t ? t : "/tmp",
		 (long)getpid());
	random_net(&net, 5);
	net.pre.norm_target = 400;
	net.hw.comp_step = 3;
	ck_assert_int_eq(bnn_net_save(&net, path, "trained by test\nline 2"),
			 0);
	ck_assert_msg(bnn_net_load(&back, path) == 0, "%s", imc_last_error());
	ck_assert(bnn_hw_equal(&back.hw, &net.hw));
	ck_assert_int_eq(back.hw.comp_step, 3);
	ck_assert_uint_eq(back.pre.norm_target, 400);
	for (unsigned l = 0; l < 3; l++) {
		ck_assert_mem_eq(back.layer[l].w, net.layer[l].w,
				 sizeof(net.layer[l].w));
		ck_assert_mem_eq(back.layer[l].bias_steps,
				 net.layer[l].bias_steps,
				 sizeof(net.layer[l].bias_steps));
	}
	good = read_text();
	ck_assert_ptr_nonnull(strstr(good, "# trained by test\n# line 2\n"));

	char *bad;
	expect_reject("", "empty file");
	expect_reject("imcsim-bnn 2\n", "not an imcsim-bnn version 1");
	bad = edit(good, "\nend\n", "\n");
	expect_reject(bad, "expected 'end'");
	free(bad);
	bad = edit(good, "\nend\n", "\nend\nc 0 0 +\n");
	expect_reject(bad, "data after 'end'");
	free(bad);
	bad = edit(good, "\nend\n", "\nend");
	expect_reject(bad, "no newline");
	free(bad);
	bad = edit(good, "c 5 ", "c 6 ");
	expect_reject(bad, "column index 6 outside 5..5");
	free(bad);
	bad = edit(good, "layer 1 in 96 out 96", "layer 1 in 96 out 95");
	expect_reject(bad, "outside 96..96");
	free(bad);
	bad = edit(good, "code_hi 31", "code_hi 32");
	expect_reject(bad, "code_hi 32 outside");
	free(bad);
	bad = edit(good, "pre norm_target 400", "pre norm_target 4x0");
	expect_reject(bad, "not a plain integer");
	free(bad);
	bad = edit(good, "pre norm_target 400", "pre  norm_target 400");
	expect_reject(bad, "empty field");
	free(bad);
	bad = edit(good, "pre norm_target 400\n", "pre norm_target 400\r\n");
	expect_reject(bad, "CR");
	free(bad);
	/* weights: a bad character, one too few, a bias out of range */
	const char *c0 = strstr(good, "\nc 0 ");
	ck_assert_ptr_nonnull(c0);
	char line[256];
	size_t n = strcspn(c0 + 1, "\n");
	memcpy(line, c0 + 1, n);
	line[n] = '\0';
	char *w = strrchr(line, ' ') + 1;
	char mod[256];
	strcpy(mod, line);
	mod[w - line + 10] = '0';
	bad = edit(good, line, mod);
	expect_reject(bad, "weight 10 of column 0 is '0'");
	free(bad);
	strcpy(mod, line);
	mod[strlen(mod) - 1] = '\0';
	bad = edit(good, line, mod);
	expect_reject(bad, "has 95 weights, expected 96");
	free(bad);
	snprintf(mod, sizeof(mod), "c 0 17 %s", w);
	bad = edit(good, line, mod);
	expect_reject(bad, "bias steps 17 outside -16..16");
	free(bad);
	/* a truncated file */
	good[strlen(good) / 2] = '\0';
	expect_reject(good, ":");
	free(good);
	remove(path);
	/* the saver refuses a net the hardware cannot realise */
	net.layer[2].bias_steps[3] = 40;
	ck_assert_int_eq(bnn_net_save(&net, path, NULL), BNN_ERANGE);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "layer 2 column 3"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bnn_net");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_ideal_formula_and_ties);
	tcase_add_test(tc, test_readout_votes_and_ties);
	tcase_add_test(tc, test_evaluator_plugs_in);
	tcase_add_test(tc, test_fold_matches_bn_when_representable);
	tcase_add_test(tc, test_fold_reports_unrepresentable);
	tcase_add_test(tc, test_netfile_roundtrip_and_rejects);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
