/* cli_harness.h - running the imcsim binary from the CLI suites: a fresh
 * temporary directory per test, the exit status, stdout and stderr kept,
 * and a way to run it in the background to send it a signal. */
#ifndef IMCSIM_TESTS_CLI_HARNESS_H
#define IMCSIM_TESTS_CLI_HARNESS_H

#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mnist_dir.h"

static char tmp[128];
static char errbuf[8192];
static char outbuf[1 << 17];

/* Small, fast settings for real jobs. */
#define TINY                                                              \
	" --quiet --set data.train_images=300 --set data.test_images=100" \
	" --set train.epochs=1 --set system.chip_seeds=1"

static inline void slurp_into(const char *path, char *buf, size_t cap)
{
	buf[0] = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	size_t n = fread(buf, 1, cap - 1, f);
	buf[n] = 0;
	fclose(f);
}

/* Run a shell command line in which $IMCSIM is the binary; exit status
 * (128 + signal if killed); stdout/stderr kept in the buffers. */
static inline int sh(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline int sh(const char *fmt, ...)
{
	char line[8192], cmd[9000];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && IMCSIM=%s IMCSIM_MNIST_DIR=%s "
		 "XDG_CACHE_HOME=%s/.cache IMCSIM_NET_CACHE=1; export IMCSIM "
		 "IMCSIM_MNIST_DIR XDG_CACHE_HOME IMCSIM_NET_CACHE; "
		 "(%s) >%s/.out 2>%s/.err",
		 tmp, IMCSIM_BIN, data_dir(), tmp, line, tmp, tmp);
	int st = system(cmd);
	snprintf(cmd, sizeof(cmd), "%s/.out", tmp);
	slurp_into(cmd, outbuf, sizeof(outbuf));
	snprintf(cmd, sizeof(cmd), "%s/.err", tmp);
	slurp_into(cmd, errbuf, sizeof(errbuf));
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Start imcsim with args (split on spaces) in tmp, in the background. */
static inline pid_t spawn(const char *args)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char buf[4096], *argv[64];
		int n = 0;
		snprintf(buf, sizeof(buf), "%s", args);
		argv[n++] = (char *)IMCSIM_BIN;
		for (char *t = strtok(buf, " "); t && n < 63;
		     t = strtok(NULL, " "))
			argv[n++] = t;
		argv[n] = NULL;
		setenv("IMCSIM_MNIST_DIR", data_dir(), 1);
		char cache[sizeof(tmp) + 16]; /* buf holds argv's strings */
		snprintf(cache, sizeof(cache), "%s/.cache", tmp);
		setenv("XDG_CACHE_HOME", cache, 1);
		setenv("IMCSIM_NET_CACHE", "1", 1);
		if (chdir(tmp) != 0)
			_exit(126);
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		signal(SIGINT, SIG_DFL);
		execv(IMCSIM_BIN, argv);
		_exit(127);
	}
	return pid;
}

/* Exit status of pid as a shell reports it. */
static inline int reap(pid_t pid)
{
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

static inline void setup(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/imcsim-cli-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
}

static inline void teardown(void)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	ck_assert_int_eq(system(cmd), 0);
}

/* tmp/name */
static inline const char *at(const char *name)
{
	static char p[4][4096];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tmp, name);
	return p[k];
}

static inline bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* Number of entries in dir whose name contains part. */
static inline int count_named(const char *dir, const char *part)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)))
		if (strstr(e->d_name, part))
			n++;
	closedir(d);
	return n;
}

static inline bool data_present(void)
{
	struct stat st;
	return stat(data_file("train-images-idx3-ubyte"), &st) == 0;
}

/* the cases that load the digits skip without them */
#define NEED_DATA()                                                            \
	do {                                                                   \
		if (!data_present()) {                                         \
			fprintf(stderr, "SKIP: no MNIST in %s\n", data_dir()); \
			return;                                                \
		}                                                              \
	} while (0)

/* Wait (polling, no deadline of our own: Check's timeout is the limit)
 * until dir holds a name containing part. */
static inline void wait_for_name(const char *dir, const char *part)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	while (!count_named(dir, part))
		nanosleep(&ts, NULL);
}

#endif
