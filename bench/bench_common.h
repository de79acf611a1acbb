/*
 * bench_common.h - what the imcsim and SystemC benchmark programs share, so
 * both do the same work by construction.
 *
 * Contract: both programs (bench_kernel.c and bench_systemc.cpp) take the
 * scenario name as argv[1] and an optional size override as argv[2], build
 * the model, time only the simulation run with bench_now_s() (CLOCK_MONOTONIC)
 * and bench_cpu_s() (CPU time of the process, user + system), and print
 * exactly one result line
 *
 *   result scenario=<name> elapsed_s=<seconds> cpu_s=<seconds>
 *          user_s=<seconds> sys_s=<seconds>
 *          checksum=<16 hex digits> [vcd_bytes=<n>]
 *
 * (on one line; user_s + sys_s is cpu_s split by getrusage, so a trace's
 * own work and the kernel's write(2) copies show apart). The CPU time is
 * the steadier figure when other jobs share
 * the machine; run.sh reports wall time unless told otherwise. The checksum
 * is built with bench_mix() from the final state of the model, in the same
 * order in both programs; run.sh compares them. Every pseudo-random number
 * comes from bench_xorshift() with per-object state, so the draws do not
 * depend on the order in which same-time processes run (which SystemC leaves
 * unspecified). Exit status is non-zero on any failure,
 * including a failed self-check of the final state.
 *
 * The header is C and C++: everything here is static inline, no globals.
 */
#ifndef IMCSIM_BENCH_COMMON_H
#define IMCSIM_BENCH_COMMON_H

#include <stdint.h>
#include <sys/resource.h>
#include <time.h>

/* pipeline / pipeline_vcd: a ring of registers clocked by one clock. */
#define BENCH_PIPE_REGS 1000u
#define BENCH_PIPE_CYCLES 100000u
#define BENCH_PIPE_PERIOD_NS 10u

/* delta_pingpong: two processes, one delta cycle per counter step. */
#define BENCH_PING_DELTAS 10000000u

/* timed_events: events, each re-notified this many times (10M in total). */
#define BENCH_TIMED_EVENTS 1000u
#define BENCH_TIMED_PER_EVENT 10000u
#define BENCH_TIMED_MAX_DELAY_NS 1000u

/* thread_wait: thread processes doing timed waits (random delays), plus
 * two threads ping-ponging by event waits, one delta per step. */
#define BENCH_THREADS 1000u
#define BENCH_THREAD_WAITS 2000u
#define BENCH_THREAD_PINGS 2000000u

/* Seconds on the monotonic clock. */
static inline double bench_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds used by this process (user + system, all threads). */
static inline double bench_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* User and system CPU seconds of this process (all threads). */
static inline void bench_rusage_s(double *user, double *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6;
	*sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

/* Wall and CPU time of one timed region. */
typedef struct bench_timer {
	double wall0, cpu0, user0, sys0; /* at start */
	/* elapsed, set by bench_timer_stop */
	double wall_s, cpu_s, user_s, sys_s;
} bench_timer_t;

static inline void bench_timer_start(bench_timer_t *t)
{
	bench_rusage_s(&t->user0, &t->sys0);
	t->cpu0 = bench_cpu_s();
	t->wall0 = bench_now_s();
}

static inline void bench_timer_stop(bench_timer_t *t)
{
	t->wall_s = bench_now_s() - t->wall0;
	t->cpu_s = bench_cpu_s() - t->cpu0;
	bench_rusage_s(&t->user_s, &t->sys_s);
	t->user_s -= t->user0;
	t->sys_s -= t->sys0;
}

/* xorshift64 (Marsaglia); the state must never be 0. */
static inline uint64_t bench_xorshift(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* Seed of event i's generator: distinct, never 0. */
static inline uint64_t bench_seed(unsigned i)
{
	return 0x9e3779b97f4a7c15ull * ((uint64_t)i + 1u);
}

/* The next delay of a timed event, 1..BENCH_TIMED_MAX_DELAY_NS ns. */
static inline uint64_t bench_delay_ns(uint64_t *state)
{
	return 1u + bench_xorshift(state) % BENCH_TIMED_MAX_DELAY_NS;
}

/* Initial value of pipeline register i: distinct so the ring rotates data. */
static inline uint32_t bench_pipe_init(unsigned i)
{
	return (uint32_t)(i * 2654435761u);
}

/* Expected value of register i after `cycles` posedges: each posedge
 * every register takes its predecessor's value plus one. */
static inline uint32_t bench_pipe_expect(unsigned i, unsigned regs,
					 unsigned cycles)
{
	unsigned src =
		(unsigned)(((uint64_t)i + (uint64_t)regs * cycles - cycles) %
			   regs);

	return (uint32_t)(bench_pipe_init(src) + (uint32_t)cycles);
}

/* Fold one value into a checksum (order-sensitive). */
static inline uint64_t bench_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 33);
}

#endif /* IMCSIM_BENCH_COMMON_H */
