/* test_cli_input.c - what imcsim reads: config files through a strict
 * reader (true line numbers, no silent splitting, no continuation lines,
 * no NUL bytes, regular files only, several --config in order), numbers
 * parsed strictly in decimal and quoted as written, --data checked, IDX
 * files read once with a size cap from their header. Each case is a
 * reproduction from issue 13. */
#include <cjson/cJSON.h>

#include "cli_harness.h"

static void put(const char *name, const char *text, size_t len)
{
	FILE *f = fopen(at(name), "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	fclose(f);
}

static void puts_file(const char *name, const char *text)
{
	put(name, text, strlen(text));
}

/* params' line for one parameter, e.g. "train.epochs = 100 ..." */
static bool shows(const char *assignment)
{
	char want[128];
	snprintf(want, sizeof(want), "\n%s ", assignment);
	char *text = outbuf;
	return strstr(text, want) != NULL ||
	       !strncmp(text, want + 1, strlen(want + 1));
}

/* one clear line on stderr */
static void one_line(void)
{
	ck_assert_msg(strchr(errbuf, '\n') == errbuf + strlen(errbuf) - 1,
		      "not one line: %s", errbuf);
}

/* a comment of 250 bytes stays a comment (inih cut lines at 199 bytes and
 * read the rest as a line of its own) */
START_TEST(test_long_comment_is_a_comment)
{
	char text[600];
	char pad[300];
	memset(pad, 'x', 230);
	pad[230] = 0;
	snprintf(text, sizeof(text), "[train]\n; %s epochs = 7\nbatch = 50\n",
		 pad);
	puts_file("c.ini", text);
	ck_assert_int_eq(sh("$IMCSIM params --config c.ini"), 0);
	ck_assert(!shows("train.epochs = 7")); /* the comment did not set it */
	ck_assert(shows("train.batch = 50"));
}
END_TEST

/* a line over the limit is refused with its true line number */
START_TEST(test_overlong_line)
{
	static char text[4000];
	char pad[2000];
	memset(pad, 'x', 1500);
	pad[1500] = 0;
	snprintf(text, sizeof(text), "[train]\nepochs = 5\n; %s\nbatch = 50\n",
		 pad);
	puts_file("c.ini", text);
	ck_assert_int_eq(sh("$IMCSIM params --config c.ini"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "c.ini:3: line longer than"));
	one_line();
	/* an error after a long (legal) line names the right line */
	memset(pad, 'y', 600);
	pad[600] = 0;
	snprintf(text, sizeof(text), "[train]\n; %s\n\nepochs = 0x10\n", pad);
	puts_file("d.ini", text);
	ck_assert_int_eq(sh("$IMCSIM params --config d.ini"), 2);
	ck_assert_msg(strstr(errbuf, "d.ini:4: parameter train.epochs: '0x10'"),
		      "%s", errbuf);
}
END_TEST

START_TEST(test_indented_and_nul)
{
	puts_file("i.ini", "[train]\nepochs = 5\n  epochs = 6\n");
	ck_assert_int_eq(sh("$IMCSIM params --config i.ini"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "i.ini:3: indented line"));
	put("n.ini", "[train]\nepochs = 5\0 9\n", 23);
	ck_assert_int_eq(sh("$IMCSIM params --config n.ini"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "n.ini:2: NUL byte"));
	one_line();
}
END_TEST

/* a directory or a device where a config file is needed */
START_TEST(test_config_not_regular)
{
	ck_assert_int_eq(mkdir(at("cfgdir"), 0755), 0);
	ck_assert_int_eq(sh("$IMCSIM params --config cfgdir"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "is a directory"));
	ck_assert_int_eq(sh("$IMCSIM params --config /dev/zero"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "not a regular file"));
	ck_assert_int_eq(mkfifo(at("fifo.ini"), 0644), 0);
	ck_assert_int_eq(sh("$IMCSIM params --config fifo.ini"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "not a regular file"));
	one_line();
}
END_TEST

/* two --config files apply in order (the second used to replace the
 * first) */
START_TEST(test_two_configs_in_order)
{
	puts_file("a.ini", "[train]\nepochs = 5\nbatch = 40\n");
	puts_file("b.ini", "[train]\nbatch = 50\n");
	ck_assert_int_eq(sh("$IMCSIM params --config a.ini --config b.ini"), 0);
	ck_assert(shows("train.epochs = 5"));
	ck_assert(shows("train.batch = 50"));
}
END_TEST

/* numbers: decimal only, quoted as written */
START_TEST(test_numbers)
{
	ck_assert_int_eq(sh("$IMCSIM params --set train.epochs=010"), 0);
	ck_assert(shows("train.epochs = 10"));
	ck_assert_int_eq(sh("$IMCSIM params --set train.epochs=08"), 0);
	ck_assert(shows("train.epochs = 8"));
	ck_assert_int_eq(sh("$IMCSIM params --set train.epochs=0x10"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "'0x10' is not a whole decimal"));
	ck_assert_int_eq(
		sh("$IMCSIM params --set system.seed=12345678901234567890123"),
		2);
	ck_assert_ptr_nonnull(
		strstr(errbuf, "'12345678901234567890123' is too large"));
	ck_assert_int_eq(sh("$IMCSIM params --set train.epochs=-1"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "'-1' is negative"));
	ck_assert_ptr_null(strstr(errbuf, "18446744073709551615"));
	/* 1e-310 is finite (a subnormal) */
	ck_assert_int_eq(
		sh("$IMCSIM params --set comparator.offset_sigma_v=1e-310"), 0);
	ck_assert_int_eq(
		sh("$IMCSIM params --set comparator.offset_sigma_v=1e400"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "'1e400' is too large"));
	ck_assert_int_eq(
		sh("$IMCSIM params --set comparator.offset_sigma_v=0x1p-4"), 2);
	/* -0 is 0 */
	ck_assert_int_eq(
		sh("$IMCSIM params --set comparator.offset_sigma_v=-0"), 0);
	ck_assert(shows("comparator.offset_sigma_v = 0 V"));
	ck_assert_int_eq(sh("$IMCSIM params --set train.cil_epochs=-0"), 0);
	ck_assert(shows("train.cil_epochs = 0"));
	/* out of range quotes the value as written */
	ck_assert_int_eq(sh("$IMCSIM params --set train.epochs=0010000"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "= 0010000 is out of range"));
	/* --image of trace: -1 is -1 */
	ck_assert_int_eq(sh("$IMCSIM trace --image -1 --vcd t.vcd"), 2);
	ck_assert_msg(strstr(errbuf, "'-1'") &&
			      !strstr(errbuf, "18446744073709551615"),
		      "%s", errbuf);
}
END_TEST

/* JSON keeps a 64-bit seed exactly (a double keeps 53 bits) */
START_TEST(test_json_seed_exact)
{
	ck_assert_int_eq(sh("$IMCSIM params --set system.seed=9007199254740993"
			    " --set train.seed=18446744073709551615"
			    " --json p.json"),
			 0);
	static char text[1 << 16];
	slurp_into(at("p.json"), text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "9007199254740993"));
	ck_assert_ptr_nonnull(strstr(text, "18446744073709551615"));
	cJSON *root = cJSON_Parse(text);
	ck_assert_ptr_nonnull(root);
	cJSON_Delete(root);
}
END_TEST

/* --data: empty and over-long paths refused (they meant / and a cut
 * path) */
START_TEST(test_data_path)
{
	ck_assert_int_eq(sh("$IMCSIM params --data ''"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "--data: empty"));
	char longp[700];
	memset(longp, 'd', 600);
	longp[0] = '/';
	longp[600] = 0;
	ck_assert_int_eq(sh("$IMCSIM params --data %s", longp), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "--data: path too long"));
}
END_TEST

/* IDX files: not a regular file -> refused at once (a FIFO hung, /dev/zero
 * grew without end); a file larger than its header says -> refused before
 * it is read */
START_TEST(test_idx_inputs)
{
	if (!data_present())
		return;
	const char *names[4] = { "train-images-idx3-ubyte",
				 "train-labels-idx1-ubyte",
				 "t10k-images-idx3-ubyte",
				 "t10k-labels-idx1-ubyte" };
	for (int k = 0; k < 3; k++) {
		char dir[16];
		snprintf(dir, sizeof(dir), "d%d", k);
		ck_assert_int_eq(mkdir(at(dir), 0755), 0);
		for (int i = 0; i < 4; i++) {
			char p[64];
			snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
			ck_assert_int_eq(symlink(data_file(names[i]), at(p)),
					 0);
		}
	}
	ck_assert_int_eq(sh("rm d0/t10k-images-idx3-ubyte && ln -s /dev/zero "
			    "d0/t10k-images-idx3-ubyte"),
			 0);
	ck_assert_int_eq(sh("rm d1/t10k-images-idx3-ubyte && mkfifo "
			    "d1/t10k-images-idx3-ubyte"),
			 0);
	/* a copy with 1 GB of zeros after the data (sparse: no disk used) */
	ck_assert_int_eq(sh("rm d2/t10k-images-idx3-ubyte && cp %s d2/ && "
			    "truncate -s +1G d2/t10k-images-idx3-ubyte",
			    data_file(names[2])),
			 0);
	for (int k = 0; k < 2; k++) {
		ck_assert_int_eq(sh("$IMCSIM train" TINY " --data d%d", k), 1);
		ck_assert_msg(strstr(errbuf, "not a regular file"), "%s",
			      errbuf);
		one_line();
	}
	ck_assert_int_eq(sh("$IMCSIM train" TINY " --data d2"), 1);
	ck_assert_msg(strstr(errbuf, "trailing bytes"), "%s", errbuf);
}
END_TEST

/* calibrate at a 200 mV offset sigma: many columns end at the
 * compensation limit; it says so on stderr and in the JSON (it used to be
 * silent) */
START_TEST(test_calibrate_limit)
{
	ck_assert_int_eq(sh("$IMCSIM calibrate --quiet --set "
			    "comparator.offset_sigma_v=0.2 --json c.json"),
			 0);
	ck_assert_ptr_nonnull(strstr(errbuf, "warning:"));
	ck_assert_ptr_nonnull(strstr(errbuf, "compensation limit"));
	static char text[1 << 21];
	slurp_into(at("c.json"), text, sizeof(text));
	cJSON *root = cJSON_Parse(text);
	ck_assert_ptr_nonnull(root);
	int total = cJSON_GetObjectItem(root, "columns_at_limit")->valueint;
	ck_assert_int_gt(total, 0);
	int flagged = 0;
	cJSON *chip;
	cJSON_ArrayForEach(chip, cJSON_GetObjectItem(root, "chips"))
	{
		cJSON *col;
		cJSON_ArrayForEach(col, cJSON_GetObjectItem(chip, "columns"))
			flagged +=
			cJSON_IsTrue(cJSON_GetObjectItem(col, "at_limit"));
	}
	ck_assert_int_eq(flagged, total);
	cJSON_Delete(root);
}
END_TEST

/* sweep of a training parameter retrains per value (it printed the same
 * row for every value); a data-set parameter is refused */
START_TEST(test_sweep_retrains)
{
	if (!data_present())
		return;
	ck_assert_int_eq(sh("$IMCSIM sweep" TINY " --param train.epochs"
			    " --values 1,20 --json s.json"),
			 0);
	static char text[1 << 16];
	slurp_into(at("s.json"), text, sizeof(text));
	cJSON *root = cJSON_Parse(text);
	ck_assert_ptr_nonnull(root);
	cJSON *pts = cJSON_GetObjectItem(root, "points");
	ck_assert_int_eq(cJSON_GetArraySize(pts), 2);
	cJSON *p0 = cJSON_GetArrayItem(pts, 0),
	      *p1 = cJSON_GetArrayItem(pts, 1);
	/* TINY trains 1 epoch: the value 1 reuses that net, 20 retrains */
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(p0, "retrained")));
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(p1, "retrained")));
	ck_assert(cJSON_GetObjectItem(p0, "accuracy_naive")->valuedouble !=
		  cJSON_GetObjectItem(p1, "accuracy_naive")->valuedouble);
	cJSON_Delete(root);
	ck_assert_int_eq(sh("$IMCSIM sweep --param data.test_images"
			    " --values 10,20"),
			 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "cannot vary the data set"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli_input");
	TCase *tc = tcase_create("input");
	tcase_add_checked_fixture(tc, setup, teardown);
	/* short jobs; a loaded 2-core machine is many times slower */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_long_comment_is_a_comment);
	tcase_add_test(tc, test_overlong_line);
	tcase_add_test(tc, test_indented_and_nul);
	tcase_add_test(tc, test_config_not_regular);
	tcase_add_test(tc, test_two_configs_in_order);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_json_seed_exact);
	tcase_add_test(tc, test_data_path);
	tcase_add_test(tc, test_idx_inputs);
	tcase_add_test(tc, test_calibrate_limit);
	tcase_add_test(tc, test_sweep_retrains);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
