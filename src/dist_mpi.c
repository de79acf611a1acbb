/*
 * dist_mpi.c - dist.h on MPI: rank 0 is the master and also computes, the
 * other ranks are workers.
 *
 * Protocol (tags on MPI_COMM_WORLD):
 *   worker -> 0, TAG_REQ:  [kind, job, asks, 0] + payload; asks is how many
 *                          more jobs the worker wants
 *       K_READY   first message, asks DEPTH, no payload
 *       K_RESULT  job's result (result_size bytes), asks 1
 *       K_ERROR   job failed: its message, asks 1 (job STOP_JOB: the
 *                 worker's setup failed, asks DEPTH)
 *       K_SKIP    job not computed (the worker failed earlier), asks 1
 *   0 -> worker, TAG_WORK: [job] or [STOP_JOB], one per job asked for.
 * A worker so holds its next job while it computes one (DEPTH 2), and
 * never waits for rank 0 to answer between jobs. Rank 0 counts each
 * worker's jobs out; a worker told STOP with none out is done.
 * Rank 0's main thread serves requests (MPI_Iprobe, sleeping 0.1 to 8 ms
 * when idle, so it does not take a core from the computing thread),
 * collects its computing thread's finished jobs and calls done() for each;
 * only the main thread calls MPI (MPI_THREAD_FUNNELED). Jobs are taken
 * from todo[] in order by whoever asks first, under one mutex.
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
enum { K_READY = 1, K_RESULT = 2, K_ERROR = 3, K_SKIP = 4 };
/* [kind, job, asks, 0], uint32 each: 16 bytes, so that the result fn
 * writes after it, in a malloc'ed buffer, is aligned for any type */
enum { HDR = 16 };
enum { DEPTH = 2 }; /* jobs a worker holds: one computing, one waiting */
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

/* Open MPI picks its point-to-point layer at MPI_Init, and by default
 * first tries pml cm, which probes for PSM, PSM2 and OFI network hardware:
 * 0.2 s of every start here, serial time in every run. The jobs exchange
 * one small message per job (hundreds of ms), so the transport's speed
 * does not matter; when Open MPI says every rank is on this node, pml ob1
 * (shared memory, btl vader) is what the probe would settle on anyway.
 * A pml the user chose (--mca pml, OMPI_MCA_pml) is kept. */
static void prefer_ob1_on_one_node(void)
{
	const char *size = getenv("OMPI_COMM_WORLD_SIZE");
	const char *local = getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
	if (size && local && !strcmp(size, local) && !getenv("OMPI_MCA_pml"))
		setenv("OMPI_MCA_pml", "ob1", 0);
}

int dist_init(int *argc, char ***argv)
{
	if (!launched())
		return 0;
	prefer_ob1_on_one_node();
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

typedef struct peer {
	unsigned inflight; /* jobs sent, results not yet back */
	int stopped;	   /* told there is no more */
} peer_t;

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
	peer_t *peer; /* by rank; [0] unused */
} master_t;

/* The next job for anyone, or 0 when there is none (and never again:
 * todo[] only shrinks and stop only gets set, so once a worker is told
 * STOP every later answer to it is STOP too). */
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
	if (!m->failed) {
		if (job == STOP_JOB)
			snprintf(m->msg, sizeof(m->msg), "rank %u: %s", rank,
				 why);
		else
			snprintf(m->msg, sizeof(m->msg), "job %u (rank %u): %s",
				 job, rank, why);
	}
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

/* One worker message: settle the job it reports, answer each job it asks
 * for with one (or STOP). 1 once the worker is done: told STOP, with no
 * job of it still out, so it sends nothing more. */
static int serve(master_t *m, unsigned char *buf, size_t cap,
		 const MPI_Status *st, dist_done_fn done, void *done_ctx)
{
	int len = 0;
	MPI_Get_count(st, MPI_BYTE, &len);
	unsigned src = (unsigned)st->MPI_SOURCE;
	peer_t *w = &m->peer[src];
	MPI_Recv(buf, (int)cap, MPI_BYTE, st->MPI_SOURCE, TAG_REQ,
		 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	uint32_t hdr[4] = { 0, STOP_JOB, 0, 0 };
	if (len >= HDR)
		memcpy(hdr, buf, HDR);
	uint32_t kind = hdr[0], job = hdr[1], asks = hdr[2];
	int settles = kind == K_RESULT || kind == K_SKIP ||
		      (kind == K_ERROR && job != STOP_JOB);
	if (len < HDR || asks > DEPTH ||
	    (settles && (job >= m->njobs || w->inflight == 0)) ||
	    (kind == K_RESULT && (size_t)len != HDR + m->rsize)) {
		fail(m, STOP_JOB, src, "internal: a malformed message");
		asks = 1;
		settles = 0;
		kind = K_SKIP;
	}
	if (settles)
		w->inflight--;
	if (kind == K_RESULT) {
		unsigned char *r = m->results + job * m->rsize;
		memcpy(r, buf + HDR, m->rsize);
		if (done && done(done_ctx, job, r))
			fail(m, job, 0, imc_last_error());
	} else if (kind == K_ERROR) {
		char err[MSG_MAX];
		size_t n = (size_t)len - HDR;
		snprintf(err, sizeof(err), "%.*s", (int)n, (char *)buf + HDR);
		fail(m, job, src, err);
	}
	for (uint32_t a = 0; a < asks; a++) {
		unsigned next;
		uint32_t out = STOP_JOB;
		if (take(m, &next)) {
			out = next;
			w->inflight++;
		} else {
			w->stopped = 1;
		}
		MPI_Send(&out, 1, MPI_UINT32_T, (int)src, TAG_WORK,
			 MPI_COMM_WORLD);
	}
	return w->stopped && w->inflight == 0;
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
	size_t cap = HDR + (rsize > MSG_MAX ? rsize : MSG_MAX);
	m.fin = malloc((ntodo ? ntodo : 1) * sizeof(unsigned));
	m.peer = calloc((size_t)n_ranks, sizeof(*m.peer));
	unsigned *buf = malloc((ntodo ? ntodo : 1) * sizeof(unsigned));
	unsigned char *msg = malloc(cap);
	pthread_t th;
	int have_thread = 0;
	if (!m.fin || !m.peer || !buf || !msg) {
		/* without them rank 0 can neither receive nor count the
		 * workers' jobs, and they would wait for answers forever */
		fprintf(stderr, "imcsim: rank 0: out of memory for %u jobs\n",
			ntodo);
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	if (threads_ok) {
		m.running = 1;
		have_thread = pthread_create(&th, NULL, compute_thread, &m) ==
			      0;
		m.running = have_thread;
	}
	unsigned active = (unsigned)n_ranks - 1;
	int local = m.running;
	/* idle polls back off from 0.1 ms to 8 ms: mpirun binds this rank's
	 * threads to one core, so every wake-up of this thread takes that
	 * core from the computing thread; a worker holds its next job while
	 * it computes one, so the wait for an answer is hidden as long as it
	 * is shorter than a job */
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
	free(m.peer);
	free(buf);
	free(msg);
	pthread_mutex_destroy(&m.mu);
	if (m.failed)
		return imc_fail(-1, "%s", m.msg);
	return 0;
}

/* ---- workers ------------------------------------------------------------- */

static void send_req(unsigned char *msg, uint32_t kind, uint32_t job,
		     uint32_t asks, size_t payload)
{
	uint32_t h[4] = { kind, job, asks, 0 };
	memcpy(msg, h, HDR);
	MPI_Send(msg, (int)(HDR + payload), MPI_BYTE, 0, TAG_REQ,
		 MPI_COMM_WORLD);
}

static uint32_t recv_work(void)
{
	uint32_t job;
	MPI_Request r;
	MPI_Irecv(&job, 1, MPI_UINT32_T, 0, TAG_WORK, MPI_COMM_WORLD, &r);
	wait_idle(&r, 100000);
	return job;
}

/* Ask for DEPTH jobs, then for one more with each result: the next job is
 * here before this one is done. Every ask is answered, with a job or
 * STOP, and once STOP comes only STOPs follow; the worker ends when all
 * its asks are answered. After a failure it sends back the jobs it still
 * gets, uncomputed (K_SKIP). */
static int run_worker(dist_fn fn, void *ctx, size_t rsize)
{
	size_t cap = HDR + (rsize > MSG_MAX ? rsize : MSG_MAX);
	unsigned char *msg = calloc(1, cap);
	unsigned char small[HDR + 32];
	unsigned owed = DEPTH; /* asks not yet answered */
	int failed = !msg;
	if (failed) {
		static const char oom[] = "out of memory";
		memcpy(small + HDR, oom, sizeof(oom) - 1);
		send_req(small, K_ERROR, STOP_JOB, DEPTH, sizeof(oom) - 1);
	} else {
		send_req(msg, K_READY, 0, DEPTH, 0);
	}
	while (owed > 0) {
		uint32_t job = recv_work();
		owed--;
		if (job == STOP_JOB)
			continue; /* the rest are STOPs too */
		if (failed) {
			send_req(msg ? msg : small, K_SKIP, job, 1, 0);
			owed++;
			continue;
		}
		memset(msg + HDR, 0, rsize);
		imc_clear_error();
		if (fn(ctx, job, msg + HDR)) {
			/* the job's message crosses to rank 0 */
			const char *why = imc_last_error();
			size_t n =
				strlen(why); /* < IMC_ERRMSG_MAX <= MSG_MAX */
			memcpy(msg + HDR, why, n);
			send_req(msg, K_ERROR, job, 1, n);
			failed = 1;
		} else {
			send_req(msg, K_RESULT, job, 1, rsize);
		}
		owed++;
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
