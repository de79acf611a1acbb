/* figure.c - one gnuplot figure; see figure.h. */
#include "figure.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pngcheck.h"

int figure_available(void)
{
	const char *path = getenv("PATH");
	char buf[4096];
	while (path && *path) {
		const char *e = strchr(path, ':');
		size_t len = e ? (size_t)(e - path) : strlen(path);
		if (len && len < sizeof(buf) - 16) {
			snprintf(buf, sizeof(buf), "%.*s/gnuplot", (int)len,
				 path);
			if (access(buf, X_OK) == 0)
				return 1;
		}
		path += len + (e ? 1 : 0);
	}
	return 0;
}

void figure_quote(char *buf, size_t n, const char *s)
{
	size_t k = 0;
	if (n < 3) {
		if (n)
			buf[0] = 0;
		return;
	}
	buf[k++] = '\'';
	for (; *s && k + 3 < n; s++) {
		if (*s == '\'')
			buf[k++] = '\'';
		buf[k++] = *s;
	}
	buf[k++] = '\'';
	buf[k] = 0;
}

int figure_render(const char *script, const char *path, int w, int h)
{
	char q[8192];
	figure_quote(q, sizeof(q), path);
	void (*old)(int) = signal(SIGPIPE, SIG_IGN); /* gnuplot may quit */
	FILE *f = popen("gnuplot", "w");
	if (!f) {
		signal(SIGPIPE, old);
		return imc_fail(-1, "cannot start gnuplot: %s",
				strerror(errno));
	}
	fprintf(f,
		"if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
		"  set terminal pngcairo size %d,%d enhanced font "
		"'sans,11'\n"
		"} else {\n  set terminal png size %d,%d\n}\nset output %s\n"
		"set encoding utf8\nset grid lc rgb '#dddddd'\n%s\n"
		"set output\n",
		w, h, w, h, q, script);
	int werr = ferror(f);
	int st = pclose(f);
	signal(SIGPIPE, old);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || werr)
		return imc_fail(
			-1,
			"gnuplot failed drawing %s (its messages are above)",
			path);
	if (pngcheck_file(path))
		return imc_fail(-1, "gnuplot wrote no complete PNG: %s",
				imc_last_error());
	return 0;
}
