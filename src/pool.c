/* pool.c - forked workers for independent jobs; see pool.h. */
#include "pool.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define POOL_MAX_WORKERS 64
#define TEXT_LEN 160

enum { REC_PROGRESS = 1, REC_RESULT = 2, REC_ERROR = 3 };

struct rec_head {
	uint32_t kind, len;
};

struct pool_state {
	unsigned njobs;
	double *frac; /* per job, 0..1 */
	const double *weight;
	double wsum;
	char text[TEXT_LEN];
	pool_progress_fn progress;
	void *progress_ctx;
};

struct pool_job {
	int fd; /* child: the pipe to the parent; -1 in the serial run */
	unsigned job;
	struct pool_state *st;
};

unsigned pool_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1u : (unsigned)n;
}

static void report(struct pool_state *st)
{
	if (!st->progress)
		return;
	double done = 0;
	for (unsigned j = 0; j < st->njobs; j++)
		done += (st->weight ? st->weight[j] : 1.0) * st->frac[j];
	st->progress(st->progress_ctx, st->text,
		     st->wsum > 0 ? done / st->wsum : 1.0);
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static int send_rec(int fd, uint32_t kind, const void *a, size_t na,
		    const void *b, size_t nb)
{
	struct rec_head h = { kind, (uint32_t)(na + nb) };
	return write_all(fd, &h, sizeof(h)) || write_all(fd, a, na) ||
	       (nb && write_all(fd, b, nb));
}

void pool_job_progress(pool_job_t *pj, double frac, const char *text)
{
	frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
	if (pj->fd >= 0) {
		size_t n = strlen(text);
		send_rec(pj->fd, REC_PROGRESS, &frac, sizeof(frac), text,
			 n < TEXT_LEN - 1 ? n : TEXT_LEN - 1);
		return;
	}
	pj->st->frac[pj->job] = frac;
	snprintf(pj->st->text, sizeof(pj->st->text), "%s", text);
	report(pj->st);
}

/* A running child. */
struct slot {
	pid_t pid;
	int fd;
	unsigned job;
	char *buf;
	size_t len, cap;
	int got_result;
	char err[512];
};

/* Consume complete records from the front of s->buf. */
static void parse(struct slot *s, struct pool_state *st, void *results,
		  size_t result_size)
{
	size_t off = 0;
	struct rec_head h;
	while (s->len - off >= sizeof(h)) {
		memcpy(&h, s->buf + off, sizeof(h));
		if (s->len - off - sizeof(h) < h.len)
			break;
		const char *p = s->buf + off + sizeof(h);
		if (h.kind == REC_PROGRESS && h.len >= sizeof(double)) {
			double f;
			memcpy(&f, p, sizeof(f));
			st->frac[s->job] = f;
			snprintf(st->text, sizeof(st->text), "%.*s",
				 (int)(h.len - sizeof(double)),
				 p + sizeof(double));
			report(st);
		} else if (h.kind == REC_RESULT && h.len == result_size) {
			memcpy((char *)results + (size_t)s->job * result_size,
			       p, result_size);
			s->got_result = 1;
		} else if (h.kind == REC_ERROR) {
			snprintf(s->err, sizeof(s->err), "%.*s", (int)h.len, p);
		}
		off += sizeof(h) + h.len;
	}
	memmove(s->buf, s->buf + off, s->len - off);
	s->len -= off;
}

/* Fork a child for job j into s. */
static int launch(struct slot *s, unsigned j, pool_fn fn, void *ctx,
		  size_t result_size, struct slot *all, unsigned nall)
{
	int p[2];
	if (pipe(p))
		return imc_fail(-1, "cannot create a pipe: %s",
				strerror(errno));
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		int rc = imc_fail(-1, "cannot start a worker: %s",
				  strerror(errno));
		close(p[0]);
		close(p[1]);
		return rc;
	}
	if (pid == 0) {
		/* a worker dies on SIGTERM, whatever handler the caller had
		 * (an inherited one could take the parent down with it) */
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		close(p[0]);
		for (unsigned k = 0; k < nall; k++)
			if (all[k].pid > 0)
				close(all[k].fd);
		struct pool_job pj = { p[1], j, NULL };
		/* the job's message crosses to the parent in the pipe */
		imc_clear_error();
		void *res = calloc(1, result_size ? result_size : 1);
		int rc = res ? fn(ctx, j, res, &pj)
			     : imc_fail(-1, "out of memory");
		const char *msg = imc_last_error();
		if (rc)
			send_rec(p[1], REC_ERROR, msg, strlen(msg), NULL, 0);
		else
			send_rec(p[1], REC_RESULT, res, result_size, NULL, 0);
		_exit(rc ? 1 : 0);
	}
	close(p[1]);
	memset(s, 0, sizeof(*s));
	s->pid = pid;
	s->fd = p[0];
	s->job = j;
	return 0;
}

/* Read what a child sent; 1 when it has finished (EOF, reaped). */
static int drain(struct slot *s, struct pool_state *st, void *results,
		 size_t result_size)
{
	if (s->cap - s->len < 4096) {
		size_t cap = s->cap * 2 + result_size + 8192;
		char *b = realloc(s->buf, cap);
		if (!b) {
			snprintf(s->err, sizeof(s->err), "out of memory");
			kill(s->pid, SIGKILL);
			return 0;
		}
		s->buf = b;
		s->cap = cap;
	}
	ssize_t n = read(s->fd, s->buf + s->len, s->cap - s->len);
	if (n < 0 && errno == EINTR)
		return 0;
	if (n > 0) {
		s->len += (size_t)n;
		parse(s, st, results, result_size);
		return 0;
	}
	close(s->fd);
	int status = 0;
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!s->got_result && !s->err[0]) {
		if (WIFSIGNALED(status))
			snprintf(s->err, sizeof(s->err),
				 "worker of job %u killed by signal %d", s->job,
				 WTERMSIG(status));
		else
			snprintf(s->err, sizeof(s->err),
				 "worker of job %u ended without a result",
				 s->job);
	}
	s->pid = 0;
	return 1;
}

static int run_serial(struct pool_state *st, pool_fn fn, void *ctx,
		      void *results, size_t result_size)
{
	for (unsigned j = 0; j < st->njobs; j++) {
		struct pool_job pj = { -1, j, st };
		void *res = (char *)results + (size_t)j * result_size;
		memset(res, 0, result_size);
		if (fn(ctx, j, res, &pj))
			return -1;
		st->frac[j] = 1;
		report(st);
	}
	return 0;
}

int pool_run(unsigned njobs, unsigned workers, pool_fn fn, void *ctx,
	     void *results, size_t result_size, const double *weight,
	     pool_progress_fn progress, void *progress_ctx)
{
	struct pool_state st = { njobs, NULL,	  weight,      0,
				 "",	progress, progress_ctx };
	st.frac = calloc(njobs ? njobs : 1, sizeof(double));
	if (!st.frac)
		return imc_fail(-1, "out of memory");
	for (unsigned j = 0; j < njobs; j++)
		st.wsum += weight ? weight[j] : 1.0;
	if (workers > POOL_MAX_WORKERS)
		workers = POOL_MAX_WORKERS;
	if (workers > njobs)
		workers = njobs;
	if (workers <= 1) {
		int rc = run_serial(&st, fn, ctx, results, result_size);
		free(st.frac);
		return rc;
	}
	memset(results, 0, (size_t)njobs * result_size);
	struct slot slot[POOL_MAX_WORKERS];
	struct pollfd pfd[POOL_MAX_WORKERS];
	memset(slot, 0, sizeof(slot));
	unsigned next = 0, active = 0;
	int rc = 0;
	while (next < njobs || active) {
		for (unsigned k = 0; k < workers && next < njobs && !rc; k++)
			if (slot[k].pid == 0) {
				free(slot[k].buf);
				if (launch(&slot[k], next, fn, ctx, result_size,
					   slot, workers)) {
					rc = -1;
					break;
				}
				next++;
				active++;
			}
		if (rc)
			next = njobs; /* start nothing more */
		if (!active)
			break;
		unsigned map[POOL_MAX_WORKERS], np = 0;
		for (unsigned k = 0; k < workers; k++)
			if (slot[k].pid > 0) {
				pfd[np].fd = slot[k].fd;
				pfd[np].events = POLLIN;
				map[np++] = k;
			}
		if (poll(pfd, np, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = imc_fail(-1, "poll: %s", strerror(errno));
			for (unsigned k = 0; k < workers; k++)
				if (slot[k].pid > 0)
					kill(slot[k].pid, SIGKILL);
			continue;
		}
		for (unsigned q = 0; q < np; q++) {
			struct slot *s = &slot[map[q]];
			if (!(pfd[q].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (!drain(s, &st, results, result_size))
				continue;
			active--;
			if (s->got_result) {
				st.frac[s->job] = 1;
				report(&st);
			} else if (!rc) {
				rc = imc_fail(-1, "%s", s->err);
				next = njobs;
				for (unsigned k = 0; k < workers; k++)
					if (slot[k].pid > 0)
						kill(slot[k].pid, SIGKILL);
			}
		}
	}
	for (unsigned k = 0; k < workers; k++)
		free(slot[k].buf);
	free(st.frac);
	return rc;
}
