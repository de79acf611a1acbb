/* test_cli_output.c - every file imcsim writes goes through one mechanism
 * (src/output.h): special files written in place, symlinks followed,
 * modes kept, outputs checked before any work, all-or-nothing publishing,
 * signals cleaned up after, long names, complete PNGs. Each case is a
 * reproduction from issue 13. */
#define _XOPEN_SOURCE 700 /* mknod */
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <sys/sysmacros.h>

#include "cli_harness.h"

/* `--json -` writes the JSON to stdout (nothing else there), no file "-" */
START_TEST(test_json_to_stdout)
{
	ck_assert_int_eq(sh("$IMCSIM params --json - | cat"), 0);
	ck_assert(!exists(at("-")));
	cJSON *root = cJSON_Parse(outbuf);
	ck_assert_msg(root, "stdout is not JSON alone: %.200s", outbuf);
	ck_assert_str_eq(cJSON_GetObjectItem(root, "command")->valuestring,
			 "params");
	cJSON_Delete(root);
	/* the human report moved to stderr */
	ck_assert_ptr_nonnull(strstr(errbuf, "comparator.offset_sigma_v"));
}
END_TEST

/* a FIFO stays a FIFO and its reader gets the JSON */
START_TEST(test_fifo_written_in_place)
{
	ck_assert_int_eq(mkfifo(at("f"), 0644), 0);
	ck_assert_int_eq(sh("cat f > got & $IMCSIM params --json f >/dev/null;"
			    " st=$?; wait; exit $st"),
			 0);
	struct stat st;
	ck_assert_int_eq(lstat(at("f"), &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	static char got[1 << 16];
	slurp_into(at("got"), got, sizeof(got));
	cJSON *root = cJSON_Parse(got);
	ck_assert_ptr_nonnull(root);
	cJSON_Delete(root);
	ck_assert_int_eq(count_named(tmp, ".tmp-"), 0);
}
END_TEST

/* A character device to write to: as root a private node in tmp (so a
 * broken build replaces that, not the machine's /dev/null), else the
 * system's (which a non-root process cannot replace). */
static const char *chardev(const char *name, unsigned minor)
{
	static char sys[2][32];
	if (geteuid() == 0 &&
	    mknod(at(name), S_IFCHR | 0666, makedev(1, minor)) == 0)
		return at(name);
	int k = minor == 3 ? 0 : 1;
	snprintf(sys[k], sizeof(sys[k]), "/dev/%s", name);
	return sys[k];
}

/* a device stays a device; a link to an open descriptor (/dev/stdout)
 * stays a link and the descriptor gets the JSON */
START_TEST(test_devices_written_in_place)
{
	const char *null = chardev("null", 3);
	ck_assert_int_eq(sh("$IMCSIM params --json %s", null), 0);
	struct stat st;
	ck_assert_int_eq(lstat(null, &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	ck_assert_int_eq(symlink("/proc/self/fd/1", at("stdout")), 0);
	ck_assert_int_eq(sh("$IMCSIM params --json stdout > so"), 0);
	ck_assert_int_eq(lstat(at("stdout"), &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	static char got[1 << 17];
	slurp_into(at("so"), got, sizeof(got));
	ck_assert_ptr_nonnull(strstr(got, "\"tool\":\t\"imcsim\""));
	ck_assert_ptr_nonnull(strstr(got, "comparator.offset_sigma_v"));
}
END_TEST

/* a symlink stays a link and its target is written; modes kept */
START_TEST(test_symlink_and_mode)
{
	ck_assert_int_eq(symlink("real.json", at("link.json")), 0);
	ck_assert_int_eq(sh("$IMCSIM params --json link.json"), 0);
	struct stat st;
	ck_assert_int_eq(lstat(at("link.json"), &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(stat(at("real.json"), &st), 0);
	ck_assert(S_ISREG(st.st_mode) && st.st_size > 100);
	/* an existing 0600 file keeps 0600 */
	ck_assert_int_eq(sh("umask 022; echo old > m.json; chmod 600 m.json;"
			    " $IMCSIM params --json m.json"),
			 0);
	ck_assert_int_eq(stat(at("m.json"), &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_gt(st.st_size, 100);
	/* a new file follows the umask */
	ck_assert_int_eq(sh("umask 027; $IMCSIM params --json n.json"), 0);
	ck_assert_int_eq(stat(at("n.json"), &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
}
END_TEST

/* two outputs on one file: refused before any work (no "saved x") */
START_TEST(test_same_path_twice)
{
	NEED_DATA();
	int st = sh("$IMCSIM train" TINY " --out x --json x");
	ck_assert_int_eq(st, 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "same file"));
	ck_assert_ptr_null(strstr(outbuf, "saved"));
	ck_assert(!exists(at("x")));
	/* also through a symlink */
	ck_assert_int_eq(symlink("y", at("ly")), 0);
	ck_assert_int_eq(sh("$IMCSIM train" TINY " --out y --json ly"), 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "same file"));
	ck_assert_int_eq(count_named(tmp, ".tmp-"), 0);
}
END_TEST

/* a directory as output fails at once, leaving no earlier output */
START_TEST(test_directory_output_fails_first)
{
	NEED_DATA();
	ck_assert_int_eq(mkdir(at("t.json"), 0755), 0);
	ck_assert_int_eq(sh("$IMCSIM trace" TINY " --vcd t.vcd --json t.json"),
			 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "t.json: Is a directory"));
	ck_assert_ptr_null(strstr(outbuf, "predicted")); /* nothing ran */
	ck_assert(!exists(at("t.vcd")));
	ck_assert_int_eq(sh("$IMCSIM params --json ''"), 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "empty file name"));
}
END_TEST

/* a later output failing (/dev/full) removes the run's new outputs and
 * keeps what existed before */
START_TEST(test_all_or_nothing)
{
	NEED_DATA();
	const char *full = chardev("full", 7);
	ck_assert_int_eq(sh("echo old > keep.net; $IMCSIM train" TINY
			    " --out new.net --json %s",
			    full),
			 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "No space left"));
	ck_assert(!exists(at("new.net")));
	ck_assert_int_eq(
		sh("$IMCSIM train" TINY " --out keep.net --json %s", full), 1);
	static char got[64];
	slurp_into(at("keep.net"), got, sizeof(got));
	ck_assert_str_eq(got, "old\n");
	ck_assert_int_eq(count_named(tmp, ".tmp-"), 0);
	ck_assert_int_eq(count_named(tmp, ".old-"), 0);
}
END_TEST

/* a 250-byte name (legal) works: the temporary name fits too */
START_TEST(test_long_name)
{
	char name[256];
	memset(name, 'a', 250);
	memcpy(name + 245, ".json", 6);
	ck_assert_int_eq(sh("$IMCSIM params --json %s", name), 0);
	ck_assert(exists(at(name)));
	ck_assert_int_eq(count_named(tmp, ".tmp-"), 0);
	char longer[300];
	memset(longer, 'b', 260);
	longer[260] = 0;
	ck_assert_int_eq(sh("$IMCSIM params --json %s", longer), 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "too long"));
}
END_TEST

/* SIGTERM / SIGINT: temporaries removed, exit 143 / 130 */
START_TEST(test_signal_cleans_up)
{
	NEED_DATA();
	static const int sig[2] = { SIGTERM, SIGINT };
	for (int k = 0; k < 2; k++) {
		pid_t pid = spawn("trace --quiet --vcd t.vcd --json t.json");
		wait_for_name(tmp, ".tmp-");
		kill(pid, sig[k]);
		ck_assert_int_eq(reap(pid), 128 + sig[k]);
		ck_assert_int_eq(count_named(tmp, ".tmp-"), 0);
		ck_assert(!exists(at("t.vcd")));
	}
}
END_TEST

/* plot: a killed run removes the directory it created */
START_TEST(test_signal_removes_plot_dir)
{
	NEED_DATA();
	pid_t pid = spawn("plot --quiet --out newdir");
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	while (!count_named(at("newdir"), ".tmp-"))
		nanosleep(&ts, NULL);
	kill(pid, SIGTERM);
	ck_assert_int_eq(reap(pid), 143);
	ck_assert(!exists(at("newdir")));
}
END_TEST

/* plot on a full disk (file size limit): exit 1, no PNG, no directory */
START_TEST(test_plot_disk_full)
{
	NEED_DATA();
	if (sh("command -v gnuplot") != 0)
		return;
	int st = sh("trap '' XFSZ; ulimit -f 60; $IMCSIM plot" TINY
		    " --sigmas 0,9 --points 50 --images 5 --out p");
	ck_assert_msg(st == 1, "exit %d: %s", st, errbuf);
	ck_assert_ptr_nonnull(strstr(errbuf, "no complete PNG"));
	ck_assert(!exists(at("p")));
	/* and without the limit the same run gives complete figures */
	ck_assert_int_eq(sh("$IMCSIM plot" TINY
			    " --sigmas 0,9 --points 50 --images 5 --out p"),
			 0);
	ck_assert(exists(at("p/calibration.png")));
	ck_assert_int_eq(count_named(at("p"), ".tmp-"), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli_output");
	TCase *tc = tcase_create("output");
	tcase_add_checked_fixture(tc, setup, teardown);
	/* each case runs a few short jobs; a loaded 2-core machine can be
	 * 20x slower than an idle one */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_json_to_stdout);
	tcase_add_test(tc, test_fifo_written_in_place);
	tcase_add_test(tc, test_devices_written_in_place);
	tcase_add_test(tc, test_symlink_and_mode);
	tcase_add_test(tc, test_same_path_twice);
	tcase_add_test(tc, test_directory_output_fails_first);
	tcase_add_test(tc, test_all_or_nothing);
	tcase_add_test(tc, test_long_name);
	tcase_add_test(tc, test_signal_cleans_up);
	tcase_add_test(tc, test_signal_removes_plot_dir);
	tcase_add_test(tc, test_plot_disk_full);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
