/*
 * dist_mpi.c - dist.h on MPI: rank 0 is the master and also computes, the
 * other ranks are workers.
 *
 * Protocol (tags on MPI_COMM_WORLD):
 *   worker -> 0, TAG_REQ:  [kind, job] + payload
 *       K_READY   first request, no payload
 *       K_RESULT  job's result (result_size bytes), and a request for more
 *       K_ERROR   job failed: its message; the worker then waits for STOP
 *   0 -> worker, TAG_WORK: [job], or [STOP_JOB]: no more work.
 * Rank 0's main thread serves requests (MPI_Iprobe, sleeping 1 ms when
 * idle, so it does not take a core from the computing thread), collects
 * its computing thread's finished jobs and calls done() for each; only the
 * main thread calls MPI (MPI_THREAD_FUNNELED). Jobs are taken from todo[]
 * in order by whoever asks first, under one mutex.
 *
 * Every wait of a rank that has nothing to do (for work, for the others to
 * agree, for a broadcast) is a non-blocking call tested every 0.1 to 1 ms,
 * so an idle rank takes no core from a computing one.
 *
 * Started without a launcher's environment the program does not touch MPI
 * at all and behaves as the serial build.
 */
#include "dist.h"

#include <fcntl.h>
#include <mpi.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { TAG_REQ = 17, TAG_WORK = 18 };
enum { K_READY = 1, K_RESULT = 2, K_ERROR = 3 };
#define STOP_JOB UINT32_MAX
#define MSG_MAX IMC_ERRMSG_MAX

static int mpi_on, threads_ok;
static int my_rank, n_ranks = 1;

/* Was this process started by an MPI launcher? */
static int launched(void)
{
	const char *v = getenv("IMCSIM_MPI");
	if (v)
		return strcmp(v, "0") != 0;
	if (getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") ||
	    getenv("PMIX_RANK"))
		return 1;
	/* srun without an MPI plugin: several tasks but no PMI to join
	 * them; MPI_Init then makes singletons, which dist_init refuses */
	v = getenv("SLURM_STEP_NUM_TASKS");
	return getenv("SLURM_PROCID") && v && atoi(v) > 1;
}

int dist_init(int *argc, char ***argv)
{
	if (!launched())
		return 0;
	int provided = 0;
	if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) !=
	    MPI_SUCCESS) {
		fprintf(stderr, "imcsim: MPI_Init failed\n");
		return -1;
	}
	mpi_on = 1;
	threads_ok = provided >= MPI_THREAD_FUNNELED;
	MPI_Comm_rank(MPI_COMM_WORLD, &my_rank);
	MPI_Comm_size(MPI_COMM_WORLD, &n_ranks);
	const char *nt = getenv("SLURM_STEP_NUM_TASKS");
	if (n_ranks == 1 && !getenv("OMPI_COMM_WORLD_SIZE") && nt &&
	    atoi(nt) > 1) {
		fprintf(stderr,
			"imcsim: started as one of %s Slurm tasks "
			"but MPI sees one process: run srun with "
			"an MPI plugin (srun --mpi=pmix)\n",
			nt);
		MPI_Finalize();
		mpi_on = 0;
		return -1;
	}
	if (my_rank > 0 && !getenv("IMCSIM_DIST_VERBOSE")) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			fflush(stdout);
			fflush(stderr);
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
	}
	return 0;
}

unsigned dist_rank(void)
{
	return (unsigned)my_rank;
}

unsigned dist_size(void)
{
	return (unsigned)n_ranks;
}

const char *dist_engine(void)
{
	return mpi_on ? "MPI" : "none";
}

void dist_finish(void)
{
	if (mpi_on)
		MPI_Finalize();
	mpi_on = 0;
}

/* Wait for r without spinning: Open MPI's blocking calls poll a core at
 * full speed, which on a shared machine takes it from the ranks that
 * compute (rank 0 training while the others wait, say). */
static void wait_idle(MPI_Request *r, long ns)
{
	int done = 0;
	struct timespec ts = { 0, ns };
	for (;;) {
		MPI_Test(r, &done, MPI_STATUS_IGNORE);
		if (done)
			return;
		nanosleep(&ts, NULL);
	}
}

int dist_agree(int ok)
{
	if (!mpi_on || n_ranks == 1)
		return ok;
	int mine = ok ? 1 : 0, all = 0;
	MPI_Request r;
	MPI_Iallreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD, &r);
	wait_idle(&r, 1000000);
	return all;
}

/* ---- rank 0 -------------------------------------------------------------- */

typedef struct master {
	pthread_mutex_t mu;
	const unsigned *todo;
	unsigned ntodo, next, njobs;
	int stop; /* a failure: hand out nothing more */
	/* the computing thread's finished jobs, not yet reported */
	unsigned *fin;
	unsigned nfin;
	int running;
	int failed;
	char msg[MSG_MAX + 64];
	dist_fn fn;
	void *ctx;
	unsigned char *results;
	size_t rsize;
} master_t;

/* The next job for anyone, or 0 when there is none. */
static int take(master_t *m, unsigned *job)
{
	pthread_mutex_lock(&m->mu);
	int ok = !m->stop && m->next < m->ntodo;
	if (ok)
		*job = m->todo[m->next++];
	pthread_mutex_unlock(&m->mu);
	return ok;
}

/* The first failure wins; everything stops. */
static void fail(master_t *m, unsigned job, unsigned rank, const char *why)
{
	pthread_mutex_lock(&m->mu);
	if (!m->failed)
		snprintf(m->msg, sizeof(m->msg), "job %u (rank %u): %s", job,
			 rank, why);
	m->failed = 1;
	m->stop = 1;
	pthread_mutex_unlock(&m->mu);
}

static void *compute_thread(void *arg)
{
	master_t *m = arg;
	unsigned job;
	while (take(m, &job)) {
		unsigned char *r = m->results + job * m->rsize;
		memset(r, 0, m->rsize);
		/* fn's message is this thread's: read it here */
		imc_clear_error();
		if (m->fn(m->ctx, job, r)) {
			fail(m, job, 0, imc_last_error());
			break;
		}
		pthread_mutex_lock(&m->mu);
		m->fin[m->nfin++] = job;
		pthread_mutex_unlock(&m->mu);
	}
	pthread_mutex_lock(&m->mu);
	m->running = 0;
	pthread_mutex_unlock(&m->mu);
	return NULL;
}

static void send_work(unsigned rank, uint32_t job)
{
	MPI_Send(&job, 1, MPI_UINT32_T, (int)rank, TAG_WORK, MPI_COMM_WORLD);
}

/* Report the computing thread's finished jobs; 1 if it still runs. */
static int drain_local(master_t *m, unsigned *buf, dist_done_fn done,
		       void *done_ctx)
{
	pthread_mutex_lock(&m->mu);
	unsigned n = m->nfin;
	memcpy(buf, m->fin, n * sizeof(*buf));
	m->nfin = 0;
	int running = m->running;
	pthread_mutex_unlock(&m->mu);
	for (unsigned k = 0; k < n; k++)
		if (done &&
		    done(done_ctx, buf[k], m->results + buf[k] * m->rsize))
			fail(m, buf[k], 0, imc_last_error());
	return running || n;
}

/* One worker request: store its result, answer it. 0 if the worker is
 * still active, 1 if it was told to stop. */
static int serve(master_t *m, unsigned char *buf, size_t cap,
		 const MPI_Status *st, dist_done_fn done, void *done_ctx)
{
	int len = 0;
	MPI_Get_count(st, MPI_BYTE, &len);
	unsigned src = (unsigned)st->MPI_SOURCE;
	MPI_Recv(buf, (int)cap, MPI_BYTE, st->MPI_SOURCE, TAG_REQ,
		 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	uint32_t kind, job;
	memcpy(&kind, buf, 4);
	memcpy(&job, buf + 4, 4);
	char err[MSG_MAX];
	if (kind == K_RESULT) {
		if (job >= m->njobs || (size_t)len != 8 + m->rsize) {
			fail(m, job, src, "internal: a malformed result");
		} else {
			unsigned char *r = m->results + job * m->rsize;
			memcpy(r, buf + 8, m->rsize);
			if (done && done(done_ctx, job, r))
				fail(m, job, 0, imc_last_error());
		}
	} else if (kind == K_ERROR) {
		size_t n = len > 8 ? (size_t)len - 8 : 0;
		snprintf(err, sizeof(err), "%.*s", (int)n, (char *)buf + 8);
		fail(m, job, src, err);
	}
	unsigned next;
	if (kind != K_ERROR && take(m, &next)) {
		send_work(src, next);
		return 0;
	}
	send_work(src, STOP_JOB);
	return 1;
}

static int run_master(unsigned njobs, const unsigned *todo, unsigned ntodo,
		      dist_fn fn, void *ctx, void *results, size_t rsize,
		      dist_done_fn done, void *done_ctx)
{
	master_t m;
	memset(&m, 0, sizeof(m));
	pthread_mutex_init(&m.mu, NULL);
	m.todo = todo;
	m.ntodo = ntodo;
	m.njobs = njobs;
	m.fn = fn;
	m.ctx = ctx;
	m.results = results;
	m.rsize = rsize;
	size_t cap = 8 + (rsize > MSG_MAX ? rsize : MSG_MAX);
	m.fin = malloc((ntodo ? ntodo : 1) * sizeof(unsigned));
	unsigned *buf = malloc((ntodo ? ntodo : 1) * sizeof(unsigned));
	unsigned char *msg = malloc(cap);
	pthread_t th;
	int have_thread = 0;
	if (!m.fin || !buf || !msg) {
		snprintf(m.msg, sizeof(m.msg), "out of memory");
		m.failed = m.stop = 1;
	} else if (threads_ok) {
		m.running = 1;
		have_thread = pthread_create(&th, NULL, compute_thread, &m) ==
			      0;
		m.running = have_thread;
	}
	unsigned active = (unsigned)n_ranks - 1;
	int local = m.running;
	/* idle polls back off from 0.1 ms to 8 ms: mpirun binds this rank's
	 * threads to one core, so every wake-up of this thread takes that
	 * core from the computing thread; a job takes hundreds of ms, so a
	 * request waits at most a few percent of one */
	long idle_ns = 100000;
	while (active > 0 || local) {
		int busy = 0;
		if (have_thread)
			local = drain_local(&m, buf, done, done_ctx);
		int flag = 0;
		MPI_Status st;
		if (active > 0)
			MPI_Iprobe(MPI_ANY_SOURCE, TAG_REQ, MPI_COMM_WORLD,
				   &flag, &st);
		if (flag) {
			busy = 1;
			active -= (unsigned)serve(&m, msg, cap, &st, done,
						  done_ctx);
		}
		if (busy) {
			idle_ns = 100000;
		} else {
			struct timespec ts = { 0, idle_ns };
			nanosleep(&ts, NULL);
			if (idle_ns < 8000000)
				idle_ns *= 2;
		}
	}
	if (have_thread) {
		pthread_join(th, NULL);
		drain_local(&m, buf, done, done_ctx);
	}
	free(m.fin);
	free(buf);
	free(msg);
	pthread_mutex_destroy(&m.mu);
	if (m.failed)
		return imc_fail(-1, "%s", m.msg);
	return 0;
}

/* ---- workers ------------------------------------------------------------- */

static int run_worker(dist_fn fn, void *ctx, size_t rsize)
{
	size_t cap = 8 + (rsize > MSG_MAX ? rsize : MSG_MAX);
	unsigned char *msg = calloc(1, cap);
	uint32_t hdr[2] = { K_READY, 0 };
	int failed = !msg;
	if (failed) {
		/* still ask, so that rank 0 can tell us to stop */
		uint32_t e[2] = { K_ERROR, 0 };
		MPI_Send(e, 8, MPI_BYTE, 0, TAG_REQ, MPI_COMM_WORLD);
	} else {
		memcpy(msg, hdr, 8);
		MPI_Send(msg, 8, MPI_BYTE, 0, TAG_REQ, MPI_COMM_WORLD);
	}
	for (;;) {
		uint32_t job;
		MPI_Request r;
		MPI_Irecv(&job, 1, MPI_UINT32_T, 0, TAG_WORK, MPI_COMM_WORLD,
			  &r);
		wait_idle(&r, 100000);
		if (job == STOP_JOB)
			break;
		memset(msg + 8, 0, rsize);
		uint32_t h[2] = { K_RESULT, job };
		size_t len = 8 + rsize;
		imc_clear_error();
		if (fn(ctx, job, msg + 8)) {
			/* the job's message crosses to rank 0 */
			const char *why = imc_last_error();
			size_t n =
				strlen(why); /* < IMC_ERRMSG_MAX <= MSG_MAX */
			h[0] = K_ERROR;
			len = 8 + n;
			memcpy(msg + 8, why, n);
			failed = 1;
		}
		memcpy(msg, h, 8);
		MPI_Send(msg, (int)len, MPI_BYTE, 0, TAG_REQ, MPI_COMM_WORLD);
	}
	free(msg);
	return failed ? -1 : 0;
}

int dist_run(unsigned njobs, const unsigned *todo, unsigned ntodo, dist_fn fn,
	     void *ctx, void *results, size_t result_size, dist_done_fn done,
	     void *done_ctx)
{
	if (!mpi_on || n_ranks == 1)
		return dist_run_local(njobs, todo, ntodo, fn, ctx, results,
				      result_size, done, done_ctx);
	int rc;
	if (my_rank > 0)
		rc = run_worker(fn, ctx, result_size);
	else
		rc = run_master(njobs, todo, ntodo, fn, ctx, results,
				result_size, done, done_ctx);
	/* one outcome for all: a worker whose jobs went well still stops
	 * when another rank's failed */
	int mine = rc ? 1 : 0, any = 0;
	MPI_Request r;
	MPI_Iallreduce(&mine, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD, &r);
	wait_idle(&r, 1000000);
	if (!any)
		return 0;
	if (my_rank > 0)
		return imc_fail(-1, "a job failed (rank 0 says which)");
	if (!rc)
		return imc_fail(-1, "internal: a rank failed after its jobs");
	return -1; /* run_master recorded the job's message */
}

void dist_bcast(void *buf, size_t len)
{
	if (!mpi_on || n_ranks == 1)
		return;
	unsigned char *p = buf;
	while (len > 0) {
		int n = len > (1u << 30) ? 1 << 30 : (int)len;
		MPI_Request r;
		MPI_Ibcast(p, n, MPI_BYTE, 0, MPI_COMM_WORLD, &r);
		wait_idle(&r, 1000000);
		p += n;
		len -= (size_t)n;
	}
}
