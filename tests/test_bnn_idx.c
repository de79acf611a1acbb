/* test_bnn_idx.c - the IDX reader rejects every kind of bad file with the
 * right code and a message naming the problem; the fetched MNIST cache, when
 * present, reads back with the documented shape and split. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bnn/dataset.h"
#include "bnn/idx.h"
#include "mnist_dir.h"

static char dir[256];

static void setup(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/test_bnn_idx_XXXXXX", t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *file(const char *name)
{
	static char path[2][512];
	static int k;

	k ^= 1;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	return path[k];
}

static const char *write_raw(const char *name, const uint8_t *b, size_t n)
{
	const char *p = file(name);
	FILE *f = fopen(p, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
	return p;
}

/* A header followed by `data` bytes of pixels, all written raw. */
static const char *write_images(const char *name, uint32_t magic,
				uint32_t count, uint32_t rows, uint32_t cols,
				size_t data)
{
	size_t n = 16 + data;
	uint8_t *b = calloc(1, n);
	uint32_t h[4] = { magic, count, rows, cols };

	for (int w = 0; w < 4; w++)
		for (int i = 0; i < 4; i++)
			b[4 * w + i] = (uint8_t)(h[w] >> (24 - 8 * i));
	for (size_t i = 16; i < n; i++)
		b[i] = (uint8_t)i;
	const char *p = write_raw(name, b, n);
	free(b);
	return p;
}

static int read_images(const char *path)
{
	struct idx_images img;
	int rc = idx_read_images(path, &img);

	if (rc == 0)
		idx_images_free(&img);
	else
		ck_assert_ptr_null(img.pixels);
	return rc;
}

START_TEST(test_roundtrip)
{
	uint8_t px[3 * 4 * 5], lab[3] = { 7, 0, 9 };
	struct idx_set set;

	for (size_t i = 0; i < sizeof(px); i++)
		px[i] = (uint8_t)(i * 37);
	ck_assert_int_eq(idx_write_images(file("i"), 3, 4, 5, px), 0);
	ck_assert_int_eq(idx_write_labels(file("l"), 3, lab), 0);
	ck_assert_int_eq(idx_read_set(file("i"), file("l"), &set), 0);
	ck_assert_uint_eq(set.images.count, 3);
	ck_assert_uint_eq(set.images.rows, 4);
	ck_assert_uint_eq(set.images.cols, 5);
	ck_assert_mem_eq(set.images.pixels, px, sizeof(px));
	ck_assert_mem_eq(set.labels.labels, lab, 3);
	idx_set_free(&set);
	ck_assert_ptr_null(set.images.pixels);
}
END_TEST

START_TEST(test_rejects_truncated_header)
{
	static const uint8_t b[] = { 0, 0, 8, 3, 0, 0 };

	ck_assert_int_eq(read_images(write_raw("h", b, sizeof(b))), IDX_ETRUNC);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "truncated header"));
	ck_assert_int_eq(read_images(write_raw("z", b, 0)), IDX_ETRUNC);
	ck_assert_int_eq(read_images(write_raw("z3", b, 3)), IDX_ETRUNC);
}
END_TEST

START_TEST(test_rejects_bad_magic)
{
	ck_assert_int_eq(
		read_images(write_images("m1", 0x00000903u, 1, 2, 2, 4)),
		IDX_EMAGIC);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "bad magic 0x00000903"));
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "m1"));
	/* little-endian writer: magic bytes reversed */
	ck_assert_int_eq(
		read_images(write_images("m2", 0x03080000u, 1, 2, 2, 4)),
		IDX_EMAGIC);
	/* float elements (type 0x0D) are not accepted */
	ck_assert_int_eq(
		read_images(write_images("m3", 0x00000D03u, 1, 2, 2, 4)),
		IDX_EMAGIC);
}
END_TEST

START_TEST(test_rejects_wrong_dims)
{
	struct idx_labels lab;

	ck_assert_int_eq(
		read_images(write_images("d2", 0x00000802u, 1, 2, 2, 4)),
		IDX_EDIMS);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "dimension count 2"));
	/* an image file given as labels */
	ck_assert_int_eq(idx_read_labels(write_images("d3", IDX_MAGIC_IMAGES, 1,
						      2, 2, 4),
					 &lab),
			 IDX_EDIMS);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "label"));
}
END_TEST

START_TEST(test_rejects_size_mismatch)
{
	ck_assert_int_eq(read_images(write_images("s1", IDX_MAGIC_IMAGES, 3, 28,
						  28, 3 * 784 - 1)),
			 IDX_ESIZE);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "truncated data"));
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "2352"));
	ck_assert_int_eq(read_images(write_images("s2", IDX_MAGIC_IMAGES, 3, 28,
						  28, 3 * 784 + 5)),
			 IDX_ESIZE);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "trailing"));
	/* a count so large the product overflows 32 bits */
	ck_assert_int_eq(read_images(write_images("s3", IDX_MAGIC_IMAGES,
						  0xffffffffu, 0xffffu, 0xffffu,
						  16)),
			 IDX_ESIZE);
	/* a product that overflows 64 bits must not wrap to a small size */
	ck_assert_int_eq(read_images(write_images("s4", IDX_MAGIC_IMAGES,
						  0xffffffffu, 0xffffffffu,
						  0xffffffffu, 16)),
			 IDX_ESIZE);
	ck_assert_int_eq(read_images(write_images("ok", IDX_MAGIC_IMAGES, 3, 28,
						  28, 3 * 784)),
			 0);
}
END_TEST

START_TEST(test_rejects_empty)
{
	ck_assert_int_eq(
		read_images(write_images("e1", IDX_MAGIC_IMAGES, 0, 28, 28, 0)),
		IDX_EEMPTY);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "empty"));
	ck_assert_int_eq(
		read_images(write_images("e2", IDX_MAGIC_IMAGES, 2, 0, 28, 0)),
		IDX_EEMPTY);
	ck_assert_int_eq(idx_write_labels(file("e3"), 0, NULL), 0);
	struct idx_labels lab;
	ck_assert_int_eq(idx_read_labels(file("e3"), &lab), IDX_EEMPTY);
}
END_TEST

START_TEST(test_rejects_count_mismatch)
{
	uint8_t px[4 * 4] = { 0 }, lab[5] = { 1, 2, 3, 4, 5 };
	struct idx_set set;

	ck_assert_int_eq(idx_write_images(file("ci"), 4, 2, 2, px), 0);
	ck_assert_int_eq(idx_write_labels(file("cl"), 5, lab), 0);
	ck_assert_int_eq(idx_read_set(file("ci"), file("cl"), &set),
			 IDX_ECOUNT);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "5 labels"));
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "4 images"));
	ck_assert_ptr_null(set.images.pixels);
	ck_assert_ptr_null(set.labels.labels);
}
END_TEST

START_TEST(test_rejects_missing_file)
{
	ck_assert_int_eq(read_images(file("nonexistent")), IDX_EIO);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "cannot open"));
}
END_TEST

START_TEST(test_dataset_rejects_bad_label)
{
	uint8_t px[2 * 28 * 28] = { 0 }, lab[2] = { 3, 10 };
	struct bnn_dataset ds;

	ck_assert_int_eq(idx_write_images(file("bi"), 2, 28, 28, px), 0);
	ck_assert_int_eq(idx_write_labels(file("bl"), 2, lab), 0);
	ck_assert_int_eq(bnn_dataset_load(file("bi"), file("bl"), NULL, &ds),
			 BNN_DATA_ELABEL);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "label 10 of record 1"));
	ck_assert_ptr_null(ds.codes);
}
END_TEST

/* The fetched cache: shape, labels and the documented per-class split. */
START_TEST(test_real_data)
{
	static const unsigned total[10] = { 1001, 1127, 991,  1032, 980,
					    863,  1014, 1070, 944,  978 };
	const char *d = data_dir();
	char ip[1024], lp[1024];
	const char *split[2] = { "train", "t10k" };
	unsigned count[2][10] = { { 0 } };
	struct idx_set set[2];

	snprintf(ip, sizeof(ip), "%s/train-images-idx3-ubyte", d);
	if (access(ip, F_OK) != 0) {
		fprintf(stderr,
			"test_bnn_idx: SKIP real data: %s not fetched "
			"(run data/fetch-mnist.sh)\n",
			ip);
		return;
	}
	for (int s = 0; s < 2; s++) {
		snprintf(ip, sizeof(ip), "%s/%s-images-idx3-ubyte", d,
			 split[s]);
		snprintf(lp, sizeof(lp), "%s/%s-labels-idx1-ubyte", d,
			 split[s]);
		ck_assert_msg(idx_read_set(ip, lp, &set[s]) == 0, "%s",
			      imc_last_error());
		ck_assert_uint_eq(set[s].images.rows, 28);
		ck_assert_uint_eq(set[s].images.cols, 28);
		for (uint32_t k = 0; k < set[s].labels.count; k++) {
			ck_assert_uint_lt(set[s].labels.labels[k], 10);
			count[s][set[s].labels.labels[k]]++;
		}
	}
	ck_assert_uint_eq(set[0].images.count, 8000);
	ck_assert_uint_eq(set[1].images.count, 2000);
	for (int c = 0; c < 10; c++) {
		/* last round(n_c / 5) digits of each class are the test set */
		unsigned t = (total[c] * 2 + 5) / 10;

		ck_assert_uint_eq(count[1][c], t);
		ck_assert_uint_eq(count[0][c], total[c] - t);
	}
	/* interleaved, not grouped: the first 10 train labels are distinct */
	unsigned seen = 0;
	for (int k = 0; k < 10; k++)
		seen |= 1u << set[0].labels.labels[k];
	ck_assert_uint_eq(seen, 0x3ff);
	idx_set_free(&set[0]);
	idx_set_free(&set[1]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bnn_idx");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_rejects_truncated_header);
	tcase_add_test(tc, test_rejects_bad_magic);
	tcase_add_test(tc, test_rejects_wrong_dims);
	tcase_add_test(tc, test_rejects_size_mismatch);
	tcase_add_test(tc, test_rejects_empty);
	tcase_add_test(tc, test_rejects_count_mismatch);
	tcase_add_test(tc, test_rejects_missing_file);
	tcase_add_test(tc, test_dataset_rejects_bad_label);
	tcase_add_test(tc, test_real_data);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
