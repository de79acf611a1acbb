/* test_bnn_preproc.c - area resampling conserves mass and uses exact
 * weights, codes stay in 0..31, the corner drop keeps the documented
 * order, and normalization makes every image's code sum hit its target. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bnn/dataset.h"
#include "bnn/idx.h"
#include "bnn/preproc.h"
#include "kernel/rng.h"
#include "mnist_dir.h"

/* A random image; `sparse` leaves most pixels 0 like a digit. */
static void random_image(uint8_t *img, unsigned n, uint64_t key, int sparse)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t r = rng_u64(7, RNG_STREAM_TEST, key, i, 0);

		img[i] = (sparse && (r >> 60) < 11) ? 0 : (uint8_t)r;
	}
}

START_TEST(test_resample_conserves_mass)
{
	static const unsigned sizes[][2] = {
		{ 28, 28 }, { 28, 20 }, { 13, 37 }, { 10, 10 }, { 7, 3 }
	};
	uint8_t img[37 * 37];
	double out[100];

	for (unsigned s = 0; s < 5; s++) {
		unsigned r = sizes[s][0], c = sizes[s][1];

		for (uint64_t k = 0; k < 50; k++) {
			double in_sum = 0, out_sum = 0;

			random_image(img, r * c, k * 10 + s, (int)(k & 1));
			for (unsigned i = 0; i < r * c; i++)
				in_sum += img[i];
			ck_assert_int_eq(bnn_resample(img, r, c, out), 0);
			for (unsigned i = 0; i < 100; i++)
				out_sum += out[i];
			ck_assert_double_eq_tol(out_sum / 100, in_sum / (r * c),
						1e-9);
		}
	}
}
END_TEST

START_TEST(test_resample_exact_weights)
{
	uint8_t img[28 * 28] = { 0 };
	double out[100];

	/* Source pixel (2, 2) covers [20, 30) tenths in each axis: 8 tenths
	 * fall in output cell 0 ([0, 28)) and 2 in cell 1 ([28, 56)). */
	img[2 * 28 + 2] = 196;
	ck_assert_int_eq(bnn_resample(img, 28, 28, out), 0);
	ck_assert_double_eq_tol(out[0], 196.0 * 64 / 784, 1e-12);
	ck_assert_double_eq_tol(out[1], 196.0 * 16 / 784, 1e-12);
	ck_assert_double_eq_tol(out[10], 196.0 * 16 / 784, 1e-12);
	ck_assert_double_eq_tol(out[11], 196.0 * 4 / 784, 1e-12);
	ck_assert_double_eq(out[2], 0);
	/* A constant image stays constant. */
	memset(img, 77, sizeof(img));
	ck_assert_int_eq(bnn_resample(img, 28, 28, out), 0);
	for (int i = 0; i < 100; i++)
		ck_assert_double_eq_tol(out[i], 77, 1e-12);
	ck_assert_int_eq(bnn_resample(NULL, 28, 28, out), BNN_PRE_EARG);
	ck_assert_int_eq(bnn_resample(img, 0, 28, out), BNN_PRE_EARG);
}
END_TEST

START_TEST(test_quantization_range)
{
	uint8_t img[28 * 28], codes[96];
	struct bnn_preproc_params p;

	bnn_preproc_defaults(&p);
	memset(img, 255, sizeof(img));
	ck_assert_int_eq(bnn_preproc_image(&p, img, 28, 28, codes), 0);
	for (int i = 0; i < 96; i++)
		ck_assert_uint_eq(codes[i], 31);
	memset(img, 0, sizeof(img));
	ck_assert_int_eq(bnn_preproc_image(&p, img, 28, 28, codes), 0);
	for (int i = 0; i < 96; i++)
		ck_assert_uint_eq(codes[i], 0);
	int hit_max = 0;
	for (uint64_t k = 0; k < 200; k++) {
		random_image(img, sizeof(img), 1000 + k, 0);
		p.norm_target = (unsigned)(k % 3) * 1000;
		ck_assert_int_eq(bnn_preproc_image(&p, img, 28, 28, codes), 0);
		for (int i = 0; i < 96; i++) {
			ck_assert_uint_le(codes[i], 31);
			hit_max |= codes[i] == 31;
		}
	}
	ck_assert(hit_max);
	/* Round half up: 127.5 / 255 * 31 = 15.5 -> 16. */
	double v[96] = { 15.5, 15.49, 0.5, 0.49, 40 };
	bnn_quantize(v, 1.0, codes);
	ck_assert_uint_eq(codes[0], 16);
	ck_assert_uint_eq(codes[1], 15);
	ck_assert_uint_eq(codes[2], 1);
	ck_assert_uint_eq(codes[3], 0);
	ck_assert_uint_eq(codes[4], 31);
	p.norm_target = 96 * 31 + 1;
	ck_assert_int_eq(bnn_preproc_image(&p, img, 28, 28, codes),
			 BNN_PRE_EARG);
}
END_TEST

START_TEST(test_corner_order)
{
	static const unsigned probe[][3] = { { 0, 0, 1 },  { 7, 0, 8 },
					     { 8, 1, 0 },  { 17, 1, 9 },
					     { 87, 8, 9 }, { 88, 9, 1 },
					     { 95, 9, 8 } };
	unsigned used[100] = { 0 };
	double img[100], v[96];

	for (unsigned k = 0; k < 7; k++) {
		unsigned r, c;

		bnn_input_pixel(probe[k][0], &r, &c);
		ck_assert_uint_eq(r, probe[k][1]);
		ck_assert_uint_eq(c, probe[k][2]);
	}
	for (unsigned i = 0; i < 100; i++)
		img[i] = i;
	bnn_drop_corners(img, v);
	for (unsigned i = 0; i < 96; i++) {
		unsigned r, c;

		bnn_input_pixel(i, &r, &c);
		ck_assert_double_eq(v[i], r * 10 + c);
		used[r * 10 + c]++;
		if (i)
			ck_assert_double_gt(v[i], v[i - 1]); /* row-major */
	}
	for (unsigned i = 0; i < 100; i++) {
		int corner = i == 0 || i == 9 || i == 90 || i == 99;

		ck_assert_uint_eq(used[i], corner ? 0 : 1);
	}
}
END_TEST

static unsigned sum96(const uint8_t *c)
{
	unsigned s = 0;

	for (int i = 0; i < 96; i++)
		s += c[i];
	return s;
}

START_TEST(test_normalization_hits_target)
{
	uint8_t img[28 * 28], codes[96], plain[96];
	struct bnn_preproc_params p = { 0 };
	unsigned exact = 0, n = 300;

	for (uint64_t k = 0; k < n; k++) {
		random_image(img, sizeof(img), 5000 + k, 1);
		/* dim the image so that the target needs a gain > 1 */
		for (unsigned i = 0; i < sizeof(img); i++)
			img[i] = (uint8_t)(img[i] / (1 + k % 5));
		p.norm_target = 0;
		ck_assert_int_eq(bnn_preproc_image(&p, img, 28, 28, plain), 0);
		p.norm_target = 400;
		ck_assert_int_eq(bnn_preproc_image(&p, img, 28, 28, codes), 0);
		unsigned s = sum96(codes);

		ck_assert_uint_ge(s, 400);
		ck_assert_uint_le(s, 400 + 31);
		exact += s == 400;
		/* a gain never reorders pixels */
		for (int i = 0; i < 96; i++)
			for (int j = 0; j < 96; j++)
				if (plain[i] > plain[j])
					ck_assert_uint_ge(codes[i], codes[j]);
	}
	ck_assert_uint_ge(exact, n * 9 / 10);
	/* a blank image stays blank; one that cannot reach saturates */
	memset(img, 0, sizeof(img));
	ck_assert_int_eq(bnn_preproc_image(&p, img, 28, 28, codes), 0);
	ck_assert_uint_eq(sum96(codes), 0);
	img[14 * 28 + 14] = 3;
	ck_assert_int_eq(bnn_preproc_image(&p, img, 28, 28, codes), 0);
	for (int i = 0; i < 96; i++)
		ck_assert(codes[i] == 0 || codes[i] == 31);
	ck_assert_uint_gt(sum96(codes), 0);
}
END_TEST

/* The normalization gain as bnn_norm_gain() first computed it (every
 * input, libm's floor): the reference the faster one must equal bit for
 * bit, since any ulp of difference could flip a code. */
static uint8_t ref_code(double x)
{
	double q = floor(x + 0.5);

	if (q <= 0)
		return 0;
	return q >= 31 ? 31 : (uint8_t)q;
}

static unsigned ref_sum(const double v[96], double g)
{
	unsigned s = 0;

	for (unsigned i = 0; i < 96; i++)
		s += ref_code(g * v[i]);
	return s;
}

static double ref_gain(const double v[96], unsigned target)
{
	double vmin = 0, vmax = 0;

	if (target == 0)
		return 1.0;
	for (unsigned i = 0; i < 96; i++) {
		if (v[i] > 0 && (vmin == 0 || v[i] < vmin))
			vmin = v[i];
		if (v[i] > vmax)
			vmax = v[i];
	}
	if (vmax == 0)
		return 1.0;
	double lo = 0, hi = 31.5 / vmin;
	if (ref_sum(v, hi) < target)
		return hi;
	for (int it = 0; it < 200 && lo < hi; it++) {
		double mid = lo + (hi - lo) / 2;

		if (mid <= lo || mid >= hi)
			break;
		if (ref_sum(v, mid) >= target)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* bnn_norm_gain(v, t) is the reference's double, and it is what the
 * contract says: the smallest gain reaching t (the next double down does
 * not), or, when even saturation cannot, the gain that saturates all. */
static void check_gain(const double v[96], unsigned t, const char *what,
		       unsigned k)
{
	double g = bnn_norm_gain(v, t), r = ref_gain(v, t);

	ck_assert_msg(memcmp(&g, &r, sizeof(g)) == 0,
		      "%s %u, target %u: gain %.17g, reference %.17g", what, k,
		      t, g, r);
	if (t > 0 && g != 1.0 && ref_sum(v, g) >= t)
		ck_assert_msg(ref_sum(v, nextafter(g, 0)) < t,
			      "%s %u, target %u: %.17g is not the smallest",
			      what, k, t, g);
}

static const unsigned targets[] = { 0,	 1,    2,    31,   200,
				    400, 1000, 2000, 2975, 2976 };
#define N_TARGETS (sizeof(targets) / sizeof(targets[0]))

START_TEST(test_gain_equals_reference_random)
{
	double v[96];

	for (unsigned k = 0; k < 3000; k++) {
		/* dense, digit-like sparse, one lit pixel, repeated values */
		for (unsigned i = 0; i < 96; i++) {
			uint64_t r = rng_u64(11, RNG_STREAM_TEST, k, i, 0);
			double u = (double)(r >> 11) * 0x1p-53;

			switch (k % 4) {
			case 0:
				v[i] = 31 * u;
				break;
			case 1:
				v[i] = (r & 3) ? 0 : 31 * u;
				break;
			case 2:
				v[i] = i == k % 96 ? 31 * u + 1e-3 : 0;
				break;
			default:
				v[i] = (double)(r % 5) * 31.0 / 255.0;
				break;
			}
		}
		for (unsigned t = 0; t < N_TARGETS; t++)
			check_gain(v, targets[t], "random vector", k);
	}
	memset(v, 0, sizeof(v));
	check_gain(v, 400, "all-zero vector", 0);
}
END_TEST

START_TEST(test_gain_equals_reference_mnist)
{
	static const char *split[] = { "train", "t10k" };
	unsigned images = 0;

	for (unsigned s = 0; s < 2; s++) {
		struct idx_set set;
		char img[1024], lab[1024];

		snprintf(img, sizeof(img), "%s/%s-images-idx3-ubyte",
			 data_dir(), split[s]);
		snprintf(lab, sizeof(lab), "%s/%s-labels-idx1-ubyte",
			 data_dir(), split[s]);
		if (access(img, F_OK) != 0) {
			fprintf(stderr,
				"test_bnn_preproc: SKIP gain on real data: "
				"%s not fetched\n",
				img);
			return;
		}
		ck_assert_int_eq(idx_read_set(img, lab, &set), 0);
		for (uint32_t k = 0; k < set.images.count; k++) {
			double m[100], v[96];
			size_t px = (size_t)set.images.rows * set.images.cols;

			ck_assert_int_eq(
				bnn_resample(set.images.pixels + k * px,
					     set.images.rows, set.images.cols,
					     m),
				0);
			bnn_drop_corners(m, v);
			for (unsigned i = 0; i < 96; i++)
				v[i] *= 31.0 / 255.0;
			/* the default target and two others on every image */
			check_gain(v, 400, split[s], k);
			if (k % 8 == 0) {
				check_gain(v, 150, split[s], k);
				check_gain(v, 900, split[s], k);
			}
			images++;
		}
		idx_set_free(&set);
	}
	ck_assert_uint_gt(images, 0);
}
END_TEST

START_TEST(test_real_data_normalized)
{
	const char *d = data_dir();
	char path[1024], msg[512];
	struct bnn_preproc_params p = { 400 };
	struct bnn_dataset ds;

	snprintf(path, sizeof(path), "%s/t10k-images-idx3-ubyte", d);
	if (access(path, F_OK) != 0) {
		fprintf(stderr,
			"test_bnn_preproc: SKIP real data: %s not "
			"fetched (run data/fetch-mnist.sh)\n",
			path);
		return;
	}
	ck_assert_msg(bnn_dataset_load_dir(d, "t10k", &p, &ds) == 0, "%s", msg);
	unsigned exact = 0;
	for (size_t k = 0; k < ds.n; k++) {
		const uint8_t *c = ds.codes + k * 96;
		unsigned s = sum96(c), nz = 0, sat = 0;

		for (int i = 0; i < 96; i++) {
			nz += c[i] > 0;
			sat += c[i] == 31;
		}
		/* below target only when every lit pixel is saturated */
		if (s < 400)
			ck_assert_uint_eq(sat, nz);
		ck_assert_uint_le(s, 431);
		exact += s == 400;
	}
	ck_assert_uint_ge(exact, ds.n * 9 / 10);
	bnn_dataset_free(&ds);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bnn_preproc");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_resample_conserves_mass);
	tcase_add_test(tc, test_resample_exact_weights);
	tcase_add_test(tc, test_quantization_range);
	tcase_add_test(tc, test_corner_order);
	tcase_add_test(tc, test_normalization_hits_target);
	tcase_add_test(tc, test_real_data_normalized);
	tcase_add_test(tc, test_gain_equals_reference_random);
	tcase_add_test(tc, test_gain_equals_reference_mnist);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
