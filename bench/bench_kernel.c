/*
 * bench_kernel.c - the benchmark scenarios written for the imcsim kernel
 * (kernel/sim.h), measured against the same scenarios in bench_systemc.cpp.
 *
 * Contract: same command line, output line and checksum as bench_systemc.cpp
 * (see bench_common.h). The timed region is the sim_run* call only (plus
 * sim_trace_close in pipeline_vcd, so buffered trace output is paid for);
 * building the model is elaboration and is not timed; reading the VCD
 * back to check it (bench_trace.c) is not timed either. Kernel errors are
 * printed with sim_error() and give exit status 1.
 */
#include "bench_common.h"
#include "bench_trace.h"

#include "kernel/sim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Print the kernel's last error for `what` and return exit status 1. */
static int fail(sim_t *sim, const char *scen, const char *what)
{
	fprintf(stderr, "bench_kernel: %s: %s: %s\n", scen, what,
		sim ? sim_error(sim) : "out of memory");
	return 1;
}

/* Print the result line (see bench_common.h); vcd_bytes < 0: no trace,
 * changes < 0: no count of value changes. */
static void report_changes(const char *scen, const bench_timer_t *tm,
			   uint64_t h, long long vcd_bytes, long long changes)
{
	printf("result scenario=%s elapsed_s=%.6f cpu_s=%.6f user_s=%.6f "
	       "sys_s=%.6f checksum=%016llx",
	       scen, tm->wall_s, tm->cpu_s, tm->user_s, tm->sys_s,
	       (unsigned long long)h);
	if (vcd_bytes >= 0)
		printf(" vcd_bytes=%lld", vcd_bytes);
	if (changes >= 0)
		printf(" changes=%lld", changes);
	printf("\n");
}

static void report(const char *scen, const bench_timer_t *tm, uint64_t h,
		   long long vcd_bytes)
{
	report_changes(scen, tm, h, vcd_bytes, -1);
}

/* ---- pipeline: a ring of clocked registers ---------------------------- */

typedef struct bench_reg {
	sim_signal_t *d, *q;
} bench_reg_t;

static void reg_step(sim_proc_t *self, void *ctx)
{
	bench_reg_t *r = ctx;
	uint64_t v = (sim_vec_read_u64(r->d) + 1u) & 0xffffffffu;

	if (sim_vec_write_u64(r->q, v) != SIM_OK)
		sim_fail(sim_proc_sim(self), "register write failed");
}

/* Builds the ring, runs `cycles` posedges, checks and hashes the result.
 * vcd_path non-NULL: trace every register signal to that file. */
static int run_pipeline(const char *scen, unsigned cycles, const char *vcd_path,
			unsigned n)
{
	const sim_time_t period = BENCH_PIPE_PERIOD_NS * SIM_NS;
	sim_signal_t **sig = calloc(n, sizeof *sig);
	bench_reg_t *reg = calloc(n, sizeof *reg);
	sim_trace_t *tr = NULL;
	sim_signal_t *clk;
	char name[32];
	int rc = 1;
	sim_t *sim = sim_new(NULL);

	if (!sim || !sig || !reg) {
		free(sig);
		free(reg);
		sim_free(sim);
		return fail(NULL, scen, "allocation");
	}
	clk = sim_clock_new(sim, "clk", period, 50, 0, true);
	if (!clk) {
		fail(sim, scen, "sim_clock_new");
		goto out;
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t init = bench_pipe_init(i);

		snprintf(name, sizeof name, "q%u", i);
		sig[i] = sim_vec_new(sim, name, 32, &init);
		if (!sig[i]) {
			fail(sim, scen, "sim_vec_new");
			goto out;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		sim_proc_t *p;

		reg[i].d = sig[(i + n - 1) % n];
		reg[i].q = sig[i];
		snprintf(name, sizeof name, "reg%u", i);
		p = sim_method_new(sim, name, reg_step, &reg[i]);
		if (!p) {
			fail(sim, scen, "sim_method_new");
			goto out;
		}
		sim_proc_dont_initialize(p);
		if (sim_sensitive_pos(p, clk) != SIM_OK) {
			fail(sim, scen, "sim_sensitive_pos");
			goto out;
		}
	}
	if (vcd_path) {
		/* .vcd or .fst: sim_trace_open picks the writer */
		tr = sim_trace_open(sim, vcd_path);
		if (!tr) {
			fail(sim, scen, "sim_trace_open");
			goto out;
		}
		for (unsigned i = 0; i < n; i++) {
			snprintf(name, sizeof name, "top.q%u", i);
			if (sim_trace_add(tr, sig[i], name) != SIM_OK) {
				fail(sim, scen, "sim_trace_add");
				goto out;
			}
		}
	}

	/* Posedges at 0, P, ..., (cycles-1)P; stop half a period after the
	 * last so exactly `cycles` posedges are simulated. */
	bench_timer_t tm;
	bench_timer_start(&tm);
	int err = sim_run(sim, (sim_time_t)cycles * period - period / 2);
	int cerr = tr ? sim_trace_close(tr) : SIM_OK;
	bench_timer_stop(&tm);

	tr = NULL;
	if (err != SIM_OK || cerr != SIM_OK) {
		fail(sim, scen, err != SIM_OK ? "sim_run" : "sim_trace_close");
		goto out;
	}

	uint64_t h = bench_mix(0, cycles);
	for (unsigned i = 0; i < n; i++) {
		uint32_t v = (uint32_t)sim_vec_read_u64(sig[i]);

		if (v != bench_pipe_expect(i, n, cycles)) {
			fprintf(stderr,
				"bench_kernel: %s: reg %u = %u, expected %u\n",
				scen, i, v, bench_pipe_expect(i, n, cycles));
			goto out;
		}
		h = bench_mix(h, v);
	}
	long long bytes = -1, changes = -1;
	if (vcd_path) {
		struct stat st;

		if (stat(vcd_path, &st) != 0) {
			fprintf(stderr, "bench_kernel: %s: %s\n", vcd_path,
				strerror(errno));
			goto out;
		}
		bytes = (long long)st.st_size;
		if (!strcmp(scen, "pipeline_vcd") &&
		    bench_check_pipeline_vcd(vcd_path, n, cycles, &changes))
			goto out;
	}
	report_changes(scen, &tm, h, bytes, changes);
	rc = 0;
out:
	sim_free(sim);
	free(sig);
	free(reg);
	if (vcd_path)
		unlink(vcd_path);
	return rc;
}

/* ---- delta_pingpong: two processes, each sensitive to the other ------ */

typedef struct bench_ping {
	sim_signal_t *a, *b;
	uint32_t limit;
	uint64_t activations;
} bench_ping_t;

/* Reads `from`, writes its value + 1 to `to` until the limit is reached. */
static void ping_step(sim_proc_t *self, bench_ping_t *m, sim_signal_t *from,
		      sim_signal_t *to)
{
	uint64_t v = sim_vec_read_u64(from);

	m->activations++;
	if (v < m->limit && sim_vec_write_u64(to, v + 1u) != SIM_OK)
		sim_fail(sim_proc_sim(self), "pingpong write failed");
}

static void ping(sim_proc_t *self, void *ctx)
{
	bench_ping_t *m = ctx;

	ping_step(self, m, m->b, m->a);
}

static void pong(sim_proc_t *self, void *ctx)
{
	bench_ping_t *m = ctx;

	ping_step(self, m, m->a, m->b);
}

static int run_pingpong(const char *scen, unsigned deltas)
{
	bench_ping_t m = { .limit = deltas };
	sim_config_t cfg;
	sim_proc_t *pa, *pb;
	int rc = 1;
	sim_t *sim;

	sim_config_default(&cfg);
	cfg.max_deltas = (uint64_t)deltas + 16u;
	sim = sim_new(&cfg);
	if (!sim)
		return fail(NULL, scen, "sim_new");
	m.a = sim_vec_new(sim, "a", 32, NULL);
	m.b = sim_vec_new(sim, "b", 32, NULL);
	/* ping runs at initialization: the first serve. */
	pa = sim_method_new(sim, "ping", ping, &m);
	pb = sim_method_new(sim, "pong", pong, &m);
	if (!m.a || !m.b || !pa || !pb) {
		fail(sim, scen, "building the model");
		goto out;
	}
	sim_proc_dont_initialize(pb);
	if (sim_sensitive_signal(pa, m.b) != SIM_OK ||
	    sim_sensitive_signal(pb, m.a) != SIM_OK) {
		fail(sim, scen, "sim_sensitive_signal");
		goto out;
	}

	bench_timer_t tm;
	bench_timer_start(&tm);
	int err = sim_run_to_starvation(sim);
	bench_timer_stop(&tm);

	if (err != SIM_OK) {
		fail(sim, scen, "sim_run_to_starvation");
		goto out;
	}
	if (m.activations != (uint64_t)deltas + 1u) {
		fprintf(stderr, "bench_kernel: %s: %llu activations\n", scen,
			(unsigned long long)m.activations);
		goto out;
	}
	uint64_t h = bench_mix(0, sim_vec_read_u64(m.a));
	h = bench_mix(h, sim_vec_read_u64(m.b));
	h = bench_mix(h, m.activations);
	report(scen, &tm, h, -1);
	rc = 0;
out:
	sim_free(sim);
	return rc;
}

/* ---- timed_events: self re-notifying events with random delays ------ */

typedef struct bench_tick {
	sim_event_t *ev;
	uint64_t rng;
	unsigned count, limit;
	uint64_t delay_sum, last_ps;
	char name[16]; /* sim_event_new keeps the pointer */
} bench_tick_t;

static void tick(sim_proc_t *self, void *ctx)
{
	bench_tick_t *t = ctx;

	t->last_ps = sim_time(sim_proc_sim(self));
	if (t->count < t->limit) {
		uint64_t d = bench_delay_ns(&t->rng);

		t->count++;
		t->delay_sum += d;
		if (sim_event_notify_at(t->ev, d * SIM_NS) != SIM_OK)
			sim_fail(sim_proc_sim(self), "notify failed");
	}
}

static int run_timed(const char *scen, unsigned per_event)
{
	const unsigned n = BENCH_TIMED_EVENTS;
	bench_tick_t *t = calloc(n, sizeof *t);
	int rc = 1;
	sim_t *sim = sim_new(NULL);

	if (!sim || !t) {
		free(t);
		sim_free(sim);
		return fail(NULL, scen, "allocation");
	}
	for (unsigned i = 0; i < n; i++) {
		sim_proc_t *p;

		snprintf(t[i].name, sizeof t[i].name, "ev%u", i);
		t[i].ev = sim_event_new(sim, t[i].name);
		t[i].rng = bench_seed(i);
		t[i].limit = per_event;
		/* runs at initialization: that run notifies first */
		p = sim_method_new(sim, t[i].name, tick, &t[i]);
		if (!t[i].ev || !p || sim_sensitive(p, t[i].ev) != SIM_OK) {
			fail(sim, scen, "building the model");
			goto out;
		}
	}

	bench_timer_t tm;
	bench_timer_start(&tm);
	int err = sim_run_to_starvation(sim);
	bench_timer_stop(&tm);

	if (err != SIM_OK) {
		fail(sim, scen, "sim_run_to_starvation");
		goto out;
	}
	uint64_t h = 0;
	for (unsigned i = 0; i < n; i++) {
		if (t[i].count != per_event ||
		    t[i].last_ps != t[i].delay_sum * SIM_NS) {
			fprintf(stderr, "bench_kernel: %s: event %u wrong\n",
				scen, i);
			goto out;
		}
		h = bench_mix(h, t[i].last_ps);
	}
	report(scen, &tm, h, -1);
	rc = 0;
out:
	sim_free(sim);
	free(t);
	return rc;
}

/* ---- thread_wait: SC_THREAD-style waits -------------------------------- */

typedef struct bench_waiter {
	uint64_t rng;
	unsigned limit;
	uint64_t delay_sum, last_ps;
} bench_waiter_t;

static void waiter(sim_thread_t *t, void *ctx)
{
	bench_waiter_t *w = ctx;

	for (unsigned k = 0; k < w->limit; k++) {
		uint64_t d = bench_delay_ns(&w->rng);

		w->delay_sum += d;
		if (sim_wait_time(t, d * SIM_NS) < 0)
			return;
	}
	w->last_ps = sim_time(sim_thread_sim(t));
}

typedef struct bench_pair {
	sim_event_t *ping, *pong;
	unsigned limit, count;
} bench_pair_t;

static void pinger(sim_thread_t *t, void *ctx)
{
	bench_pair_t *p = ctx;

	while (p->count < p->limit) {
		sim_event_notify_delta(p->ping);
		if (sim_wait_event(t, p->pong) < 0)
			return;
		p->count++;
	}
}

static void ponger(sim_thread_t *t, void *ctx)
{
	bench_pair_t *p = ctx;

	for (;;) {
		if (sim_wait_event(t, p->ping) < 0)
			return;
		sim_event_notify_delta(p->pong);
	}
}

static int run_threads(const char *scen, unsigned waits)
{
	const unsigned n = BENCH_THREADS;
	bench_waiter_t *w = calloc(n, sizeof *w);
	bench_pair_t pair = { 0 };
	int rc = 1;
	sim_config_t cfg;

	/* the ping-pong runs 2M deltas at time 0: no runaway guard, as in
	 * SystemC */
	sim_config_default(&cfg);
	cfg.max_deltas = UINT64_MAX;
	sim_t *sim = sim_new(&cfg);

	if (!sim || !w) {
		free(w);
		sim_free(sim);
		return fail(NULL, scen, "allocation");
	}
	for (unsigned i = 0; i < n; i++) {
		w[i].rng = bench_seed(i);
		w[i].limit = waits;
		if (!sim_thread_new(sim, "waiter", waiter, &w[i])) {
			fail(sim, scen, "sim_thread_new");
			goto out;
		}
	}
	pair.ping = sim_event_new(sim, "ping");
	pair.pong = sim_event_new(sim, "pong");
	pair.limit = waits * (BENCH_THREAD_PINGS / BENCH_THREAD_WAITS);
	if (!pair.ping || !pair.pong ||
	    !sim_thread_new(sim, "ping", pinger, &pair) ||
	    !sim_thread_new(sim, "pong", ponger, &pair)) {
		fail(sim, scen, "building the model");
		goto out;
	}

	bench_timer_t tm;
	bench_timer_start(&tm);
	int err = sim_run_to_starvation(sim);
	bench_timer_stop(&tm);

	if (err != SIM_OK) {
		fail(sim, scen, "sim_run_to_starvation");
		goto out;
	}
	uint64_t h = bench_mix(0, pair.count);
	for (unsigned i = 0; i < n; i++) {
		if (w[i].last_ps != w[i].delay_sum * SIM_NS) {
			fprintf(stderr, "bench_kernel: %s: thread %u wrong\n",
				scen, i);
			goto out;
		}
		h = bench_mix(h, w[i].last_ps);
	}
	if (pair.count != pair.limit) {
		fprintf(stderr, "bench_kernel: %s: %u pings\n", scen,
			pair.count);
		goto out;
	}
	report(scen, &tm, h, -1);
	rc = 0;
out:
	sim_free(sim);
	free(w);
	return rc;
}

/* A trace path under $TMPDIR (or /tmp), unique to this process. */
static void trace_path(char *path, size_t size, const char *ext)
{
	const char *dir = getenv("TMPDIR");

	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(path, size, "%s/imcsim-bench-kernel-%ld.%s", dir,
		 (long)getpid(), ext);
}

int main(int argc, char **argv)
{
	const char *scen;
	unsigned long size = 0, regs = BENCH_PIPE_REGS;

	if (argc < 2 || argc > 4) {
		fprintf(stderr,
			"usage: %s pipeline|delta_pingpong|timed_events|"
			"pipeline_vcd|thread_wait|pipeline_fst [size [regs]]\n"
			"       %s write_floor bytes\n",
			argv[0], argv[0]);
		return 2;
	}
	scen = argv[1];
	if (argc == 4) {
		char *end;

		regs = strtoul(argv[3], &end, 10);
		if (*end || regs < 2 || regs > 1000000) {
			fprintf(stderr, "bench_kernel: bad regs '%s'\n",
				argv[3]);
			return 2;
		}
	}
	if (argc >= 3) {
		char *end;

		size = strtoul(argv[2], &end, 10);
		if (*end || size == 0 || size > 0xffffffffu) {
			fprintf(stderr, "bench_kernel: bad size '%s'\n",
				argv[2]);
			return 2;
		}
	}

	if (!strcmp(scen, "pipeline"))
		return run_pipeline(scen, size ? size : BENCH_PIPE_CYCLES, NULL,
				    (unsigned)regs);
	if (!strcmp(scen, "pipeline_vcd") || !strcmp(scen, "pipeline_fst")) {
		char path[4096];
		bool fst = !strcmp(scen, "pipeline_fst");

		if (fst && !sim_trace_fst_available()) {
			printf("skip scenario=%s reason=no-fstapi\n", scen);
			return 0;
		}
		trace_path(path, sizeof path, fst ? "fst" : "vcd");
		return run_pipeline(scen, size ? size : BENCH_PIPE_CYCLES, path,
				    (unsigned)regs);
	}
	if (!strcmp(scen, "write_floor")) {
		char path[4096];
		bench_timer_t tm;

		trace_path(path, sizeof path, "floor");
		if (!size || bench_write_floor(path, (long long)size, &tm))
			return 1;
		report(scen, &tm, bench_mix(0, size), (long long)size);
		return 0;
	}
	if (!strcmp(scen, "thread_wait"))
		return run_threads(scen, size ? size : BENCH_THREAD_WAITS);
	if (!strcmp(scen, "delta_pingpong"))
		return run_pingpong(scen, size ? size : BENCH_PING_DELTAS);
	if (!strcmp(scen, "timed_events"))
		return run_timed(scen, size ? size : BENCH_TIMED_PER_EVENT);
	fprintf(stderr, "bench_kernel: unknown scenario '%s'\n", scen);
	return 2;
}
