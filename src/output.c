/* output.c - every file the imcsim program writes; see output.h. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OUT_MAX = 16 };
enum out_kind { OUT_TEMP, OUT_DIRECT, OUT_STDOUT, OUT_JOURNAL };

struct out_entry {
	enum out_kind kind;
	char user[PATH_MAX];   /* as given */
	char target[PATH_MAX]; /* renamed onto (symlinks followed) */
	char fill[PATH_MAX];   /* the temporary, or the direct name */
	char backup[PATH_MAX]; /* the old file while publishing */
	const char *what;      /* the option, for messages */
	int fd;		       /* temporary, or saved stdout */
	volatile sig_atomic_t temp_live;
	int existed, ready;
	mode_t mode;
	dev_t dev; /* identity: the file, or its directory + base */
	ino_t ino;
	const char *base;
	char *data; /* direct outputs: written at out_finish() */
	size_t len;
};

/* One run per process: the signal handler needs to see the temporaries. */
static struct out_entry ents[OUT_MAX];
static volatile sig_atomic_t nents;
static char own_dir[PATH_MAX];
static volatile sig_atomic_t have_dir;
static const char *cmd_name = "";

static void on_signal(int sig)
{
	for (int i = 0; i < OUT_MAX; i++)
		if (ents[i].temp_live)
			unlink(ents[i].fill);
	if (have_dir)
		rmdir(own_dir);
	_exit(128 + sig);
}

void out_begin(const char *cmd)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* a closed pipe is an error to report, not a silent death that
	 * leaves temporaries behind */
	signal(SIGPIPE, SIG_IGN);
	cmd_name = cmd;
}

static struct out_entry *get(out_id_t id)
{
	return id > 0 && id <= nents ? &ents[id - 1] : NULL;
}

/* Where a symlink at path points, as a path usable from here. */
static int follow_link(const char *path, char *out, size_t cap)
{
	if (realpath(path, out))
		return 0;
	char link[PATH_MAX];
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = 0;
	const char *slash = strrchr(path, '/');
	int w;
	if (link[0] == '/' || !slash)
		w = snprintf(out, cap, "%s", link);
	else
		w = snprintf(out, cap, "%.*s/%s", (int)(slash - path), path,
			     link);
	return w < 0 || (size_t)w >= cap ? -1 : 0;
}

/* /dev/stdout and friends: a link into /proc (or /dev/fd) names an open
 * descriptor; renaming over its target would detach it. */
static int points_into_proc(const char *path)
{
	char link[PATH_MAX];
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return 0;
	link[n] = 0;
	return !strncmp(path, "/dev/fd/", 8) || !strncmp(path, "/proc/", 6) ||
	       !strncmp(link, "/proc/", 6) || !strncmp(link, "/dev/fd/", 8);
}

static mode_t new_file_mode(void)
{
	mode_t m = umask(0);
	umask(m);
	return 0666 & ~m;
}

static int same_as(const struct out_entry *a, const struct out_entry *b)
{
	if (a->kind == OUT_STDOUT || b->kind == OUT_STDOUT)
		return a->kind == b->kind;
	if (a->dev != b->dev || a->ino != b->ino)
		return 0;
	if (!a->base || !b->base)
		return !a->base && !b->base;
	return !strcmp(a->base, b->base);
}

/* The temporary beside target: "<base>.tmp-XXXXXX", or a short fixed name
 * when the base is too long for that suffix. */
static int make_temp(struct out_entry *e)
{
	const char *slash = strrchr(e->target, '/');
	const char *base = slash ? slash + 1 : e->target;
	char dname[PATH_MAX];
	if (!slash)
		snprintf(dname, sizeof(dname), ".");
	else if (slash == e->target)
		snprintf(dname, sizeof(dname), "/");
	else
		snprintf(dname, sizeof(dname), "%.*s", (int)(slash - e->target),
			 e->target);
	struct stat ds;
	if (!*base || strlen(base) > NAME_MAX)
		return imc_fail(-1, "cannot write %s: %s", e->user,
				*base ? strerror(ENAMETOOLONG)
				      : "not a file name");
	int w;
	if (strlen(base) + 11 <= NAME_MAX)
		w = snprintf(e->fill, sizeof(e->fill), "%s/%s.tmp-XXXXXX",
			     dname, base);
	else
		w = snprintf(e->fill, sizeof(e->fill), "%s/.imcsim.tmp-XXXXXX",
			     dname);
	if (w < 0 || (size_t)w >= sizeof(e->fill))
		return imc_fail(-1, "cannot write %s: %s", e->user,
				strerror(ENAMETOOLONG));
	if (stat(dname, &ds) != 0 || !S_ISDIR(ds.st_mode))
		return imc_fail(-1, "cannot write %s: %s", e->user,
				strerror(errno ? errno : ENOTDIR));
	if (!e->existed) {
		e->dev = ds.st_dev;
		e->ino = ds.st_ino;
		e->base = base;
	}
	e->fd = mkstemp(e->fill);
	if (e->fd < 0)
		return imc_fail(-1, "cannot write %s: %s", e->user,
				strerror(errno));
	e->temp_live = 1;
	return 0;
}

static int classify(struct out_entry *e)
{
	struct stat st, ls;
	if (!strcmp(e->user, "-")) {
		e->kind = OUT_STDOUT;
		return 0;
	}
	int is_link = lstat(e->user, &ls) == 0 && S_ISLNK(ls.st_mode);
	if (stat(e->user, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return imc_fail(-1, "cannot write %s: %s", e->user,
					strerror(EISDIR));
		int via_proc = is_link && points_into_proc(e->user);
		if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || via_proc) {
			if (access(e->user, W_OK) != 0)
				return imc_fail(-1, "cannot write %s: %s",
						e->user, strerror(errno));
			e->kind = OUT_DIRECT;
			e->dev = st.st_dev;
			e->ino = st.st_ino;
			memcpy(e->fill, e->user, strlen(e->user) + 1);
			return 0;
		}
		if (!S_ISREG(st.st_mode))
			return imc_fail(
				-1,
				"cannot write %s: not a regular file, FIFO "
				"or character device",
				e->user);
		e->existed = 1;
		e->mode = st.st_mode & 07777;
		e->dev = st.st_dev;
		e->ino = st.st_ino;
	} else if (errno != ENOENT) {
		return imc_fail(-1, "cannot write %s: %s", e->user,
				strerror(errno));
	} else {
		e->mode = new_file_mode();
	}
	e->kind = OUT_TEMP;
	if (is_link) {
		if (follow_link(e->user, e->target, sizeof(e->target)))
			return imc_fail(-1, "cannot write %s: %s", e->user,
					strerror(errno ? errno : ENAMETOOLONG));
	} else {
		memcpy(e->target, e->user, strlen(e->user) + 1);
	}
	errno = 0;
	return make_temp(e);
}

static int open_entry(const char *path, const char *what, out_id_t *id);

int out_open(const char *path, const char *what, out_id_t *id)
{
	*id = 0;
	if (!path || !*path)
		return imc_fail(-1, "%s: empty file name", what);
	if (strlen(path) >= PATH_MAX)
		return imc_fail(-1, "%s: file name too long (%zu bytes)", what,
				strlen(path));
	if (nents >= OUT_MAX)
		return imc_fail(-1, "too many output files");
	/* no signal between creating a temporary and registering it */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	int rc = open_entry(path, what, id);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

static int open_entry(const char *path, const char *what, out_id_t *id)
{
	struct out_entry *e = &ents[nents];
	memset(e, 0, sizeof(*e));
	e->fd = -1;
	e->what = what;
	snprintf(e->user, sizeof(e->user), "%s", path);
	int rc = classify(e);
	for (sig_atomic_t i = 0; !rc && i < nents; i++)
		if (same_as(e, &ents[i])) {
			rc = imc_fail(-1, "%s %s and %s %s are the same file",
				      ents[i].what, ents[i].user, what, path);
		}
	if (rc) {
		if (e->temp_live) {
			close(e->fd);
			unlink(e->fill);
		}
		e->temp_live = 0;
		return -1;
	}
	if (e->kind == OUT_STDOUT) {
		/* stdout now carries only this output: the report goes to
		 * stderr */
		fflush(stdout);
		e->fd = dup(STDOUT_FILENO);
		if (e->fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
			return imc_fail(-1, "standard output: %s",
					strerror(errno));
		snprintf(e->fill, sizeof(e->fill), "/dev/fd/%d", e->fd);
	}
	nents++;
	*id = nents;
	return 0;
}

const char *out_fill_name(out_id_t id)
{
	struct out_entry *e = get(id);
	return e ? e->fill : "";
}

const char *out_user_name(out_id_t id)
{
	struct out_entry *e = get(id);
	return e ? e->user : "";
}

static int write_all(int fd, const char *data, size_t len)
{
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		off += (size_t)w;
	}
	return 0;
}

/* Close the temporary: mode, sync and close all checked. */
static int close_temp(struct out_entry *e)
{
	int rc = fchmod(e->fd, e->mode);
	if (!rc && fsync(e->fd) != 0 && errno != EINVAL)
		rc = -1;
	int saved = errno;
	if (close(e->fd) != 0 && !rc) {
		rc = -1;
		saved = errno;
	}
	e->fd = -1;
	if (rc)
		return imc_fail(-1, "writing %s: %s", e->user, strerror(saved));
	e->ready = 1;
	return 0;
}

int out_write(out_id_t id, const char *data, size_t len)
{
	struct out_entry *e = get(id);
	if (!e)
		return imc_fail(-1, "internal: no such output");
	if (e->kind != OUT_TEMP) {
		free(e->data);
		e->data = malloc(len ? len : 1);
		if (!e->data)
			return imc_fail(-1, "out of memory");
		memcpy(e->data, data, len);
		e->len = len;
		e->ready = 1;
		return 0;
	}
	if (e->fd < 0 || write_all(e->fd, data, len))
		return imc_fail(-1, "writing %s: %s", e->user,
				strerror(e->fd < 0 ? EBADF : errno));
	return close_temp(e);
}

int out_filled(out_id_t id)
{
	struct out_entry *e = get(id);
	if (!e)
		return imc_fail(-1, "internal: no such output");
	if (e->kind != OUT_TEMP) {
		e->ready = 1;
		return 0;
	}
	return close_temp(e);
}

void out_rename_in_message(out_id_t id)
{
	struct out_entry *e = get(id);
	if (!e || e->kind != OUT_TEMP)
		return;
	const char *msg = imc_last_error(), *at = strstr(msg, e->fill);
	if (!at)
		return;
	imc_fail(-1, "%.*s%s%s", (int)(at - msg), msg, e->user,
		 at + strlen(e->fill));
}

/* The journal's file: opened for appending, never removed. */
static int open_journal(struct out_entry *e, long keep)
{
	struct stat st;
	if (!strcmp(e->user, "-"))
		return imc_fail(-1,
				"%s: a results file cannot be standard "
				"output",
				e->what);
	int existed = stat(e->user, &st) == 0;
	if (existed && !S_ISREG(st.st_mode))
		return imc_fail(-1, "cannot write %s: %s", e->user,
				S_ISDIR(st.st_mode) ? strerror(EISDIR)
						    : "not a regular file");
	e->kind = OUT_JOURNAL;
	e->fd = open(e->user, O_WRONLY | O_CREAT | O_APPEND, 0666);
	if (e->fd < 0 || fstat(e->fd, &st) != 0 ||
	    (keep >= 0 && st.st_size > keep && ftruncate(e->fd, keep) != 0)) {
		imc_fail(-1, "cannot write %s: %s", e->user, strerror(errno));
		if (e->fd >= 0)
			close(e->fd);
		e->fd = -1;
		return -1;
	}
	e->dev = st.st_dev;
	e->ino = st.st_ino;
	/* a journal this run created goes with a failed run until its first
	 * record: nothing is left behind that holds nothing */
	memcpy(e->fill, e->user, strlen(e->user) + 1);
	e->temp_live = !existed;
	return 0;
}

int out_open_journal(const char *path, const char *what, long keep_bytes,
		     out_id_t *id)
{
	*id = 0;
	if (!path || !*path)
		return imc_fail(-1, "%s: empty file name", what);
	if (strlen(path) >= PATH_MAX || nents >= OUT_MAX)
		return imc_fail(-1, "%s: %s", what,
				nents >= OUT_MAX ? "too many output files"
						 : "file name too long");
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	struct out_entry *e = &ents[nents];
	memset(e, 0, sizeof(*e));
	e->what = what;
	snprintf(e->user, sizeof(e->user), "%s", path);
	int rc = open_journal(e, keep_bytes);
	for (sig_atomic_t i = 0; !rc && i < nents; i++)
		if (same_as(e, &ents[i])) {
			imc_fail(-1, "%s %s and %s %s are the same file",
				 ents[i].what, ents[i].user, what, path);
			close(e->fd);
			if (e->temp_live)
				unlink(e->fill);
			e->temp_live = 0;
			rc = -1;
		}
	if (!rc)
		*id = ++nents;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int out_append(out_id_t id, const char *data, size_t len)
{
	struct out_entry *e = get(id);
	if (!e || e->kind != OUT_JOURNAL || e->fd < 0)
		return imc_fail(-1, "internal: no such results file");
	if (write_all(e->fd, data, len) ||
	    (fdatasync(e->fd) != 0 && errno != EINVAL))
		return imc_fail(-1, "writing %s: %s", e->user, strerror(errno));
	e->temp_live = 0; /* it holds a record now: it stays */
	return 0;
}

void out_own_dir(const char *dir)
{
	snprintf(own_dir, sizeof(own_dir), "%s", dir);
	have_dir = 1;
}

static void remove_all(void)
{
	for (sig_atomic_t i = 0; i < nents; i++) {
		struct out_entry *e = &ents[i];
		if (e->fd >= 0 &&
		    (e->kind == OUT_TEMP || e->kind == OUT_JOURNAL)) {
			close(e->fd);
			e->fd = -1;
		}
		if (e->temp_live)
			unlink(e->fill);
		e->temp_live = 0;
	}
	if (have_dir)
		rmdir(own_dir); /* only if empty: nobody else's files */
	have_dir = 0;
}

/* A hard link to the old target, to put it back if a later rename fails. */
static void keep_backup(struct out_entry *e)
{
	e->backup[0] = 0;
	if (!e->existed)
		return;
	/* memcpy, not snprintf: GCC's -Wrestrict sees both fields of one
	 * ents[] element through the inlined pointer and cries overlap */
	size_t n = strlen(e->fill);
	if (n >= sizeof(e->backup))
		return;
	memcpy(e->backup, e->fill, n + 1);
	char *x = strstr(e->backup, ".tmp-");
	if (!x)
		return;
	memcpy(x, ".old-", 5);
	unlink(e->backup);
	if (link(e->target, e->backup) != 0)
		e->backup[0] = 0;
}

static int publish(void)
{
	/* direct outputs first: they cannot be taken back, the renames can */
	for (sig_atomic_t i = 0; i < nents; i++) {
		struct out_entry *e = &ents[i];
		if (e->kind == OUT_TEMP || !e->data)
			continue;
		int fd = e->kind == OUT_STDOUT
				 ? e->fd
				 : open(e->fill, O_WRONLY | O_APPEND);
		int rc = fd < 0 ? -1 : write_all(fd, e->data, e->len);
		int saved = errno;
		if (e->kind == OUT_DIRECT && fd >= 0 && close(fd) && !rc) {
			rc = -1;
			saved = errno;
		}
		if (rc)
			return imc_fail(-1, "writing %s: %s", e->user,
					strerror(saved));
	}
	for (sig_atomic_t i = 0; i < nents; i++) {
		struct out_entry *e = &ents[i];
		if (e->kind != OUT_TEMP || !e->ready)
			continue;
		keep_backup(e);
		if (rename(e->fill, e->target) == 0) {
			e->temp_live = 0;
			continue;
		}
		imc_fail(-1, "cannot create %s: %s", e->user, strerror(errno));
		unlink(e->backup);
		for (sig_atomic_t k = 0; k < i; k++) {
			struct out_entry *p = &ents[k];
			if (p->kind != OUT_TEMP || !p->ready)
				continue;
			if (p->backup[0])
				rename(p->backup, p->target);
			else if (!p->existed)
				unlink(p->target);
		}
		return -1;
	}
	for (sig_atomic_t i = 0; i < nents; i++)
		if (ents[i].backup[0])
			unlink(ents[i].backup);
	return 0;
}

int out_finish(int status)
{
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	/* the report first: a direct output may be the same stream */
	if (fflush(stdout) != 0 && status == 0) {
		fprintf(stderr, "imcsim %s: standard output: %s\n", cmd_name,
			strerror(errno));
		status = 1;
	}
	if (status == 0 && publish()) {
		fprintf(stderr, "imcsim %s: %s\n", cmd_name, imc_last_error());
		status = 1;
	}
	if (status == 0)
		have_dir = 0; /* the directory is a result now */
	remove_all();
	for (sig_atomic_t i = 0; i < nents; i++) {
		free(ents[i].data);
		ents[i].data = NULL;
		if (ents[i].kind == OUT_STDOUT && ents[i].fd >= 0)
			close(ents[i].fd);
	}
	nents = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return status;
}
