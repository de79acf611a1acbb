/* test_kernel_thread.c - thread processes (sim_wait_*), or-lists and
 * timeouts of dynamic sensitivity, guarded stacks, two kernels. */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/sim.h"

#define MAXLOG 64
typedef struct tlog {
	sim_time_t t[MAXLOG];
	uint64_t d[MAXLOG]; /* delta count at the wake-up */
	int rc[MAXLOG];	    /* what the wait returned */
	int n;
	sim_event_t *ev[4];
	sim_signal_t *sig[4];
} tlog_t;

static void note(tlog_t *L, sim_t *sim, int rc)
{
	if (L->n < MAXLOG) {
		L->t[L->n] = sim_time(sim);
		L->d[L->n] = sim_delta_count(sim);
		L->rc[L->n] = rc;
		L->n++;
	}
}

/* ---- wait_time: exact times, zero delay is one delta ------------------- */

static void th_times(sim_thread_t *t, void *ctx)
{
	tlog_t *L = ctx;
	sim_t *sim = sim_thread_sim(t);
	note(L, sim, 0);
	note(L, sim, sim_wait_time(t, 5 * SIM_NS));
	note(L, sim, sim_wait_time(t, 0));
	note(L, sim, sim_wait_time(t, 0));
	note(L, sim, sim_wait_time(t, 7 * SIM_NS));
}

START_TEST(test_wait_time_exact)
{
	sim_t *sim = sim_new(NULL);
	tlog_t L = { 0 };
	sim_thread_t *t = sim_thread_new(sim, "th", th_times, &L);
	ck_assert_ptr_nonnull(t);
	ck_assert(!sim_thread_done(t));
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(L.n, 5);
	ck_assert_uint_eq(L.t[0], 0);
	ck_assert_uint_eq(L.t[1], 5000);
	ck_assert_uint_eq(L.t[2], 5000);
	ck_assert_uint_eq(L.t[3], 5000);
	ck_assert_uint_eq(L.t[4], 12000);
	ck_assert_uint_eq(L.d[2], L.d[1] + 1);
	ck_assert_uint_eq(L.d[3], L.d[2] + 1);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(L.rc[i], 0);
	ck_assert(sim_thread_done(t));
	ck_assert_uint_eq(sim_time(sim), 12000);
	sim_free(sim);
}
END_TEST

/* ---- wait_event: timed, delta and immediate notifications ---------------- */

static void m_notify(sim_proc_t *self, void *ctx)
{
	(void)self;
	tlog_t *L = ctx;
	sim_event_notify_at(L->ev[0], 10 * SIM_NS);
	sim_event_notify_at(L->ev[1], 20 * SIM_NS);
}

static void m_immediate(sim_proc_t *self, void *ctx)
{
	(void)self;
	tlog_t *L = ctx;
	sim_event_notify(L->ev[2]);
}

static void th_events(sim_thread_t *t, void *ctx)
{
	tlog_t *L = ctx;
	sim_t *sim = sim_thread_sim(t);
	note(L, sim, sim_wait_event(t, L->ev[0]));
	note(L, sim, sim_wait_event(t, L->ev[1]));
	note(L, sim, sim_wait_event(t, L->ev[2])); /* immediate at 25 ns */
}

START_TEST(test_wait_event)
{
	sim_t *sim = sim_new(NULL);
	tlog_t L = { 0 };
	for (int i = 0; i < 3; i++)
		L.ev[i] = sim_event_new(sim, "e");
	sim_thread_new(sim, "th", th_events, &L);
	sim_method_new(sim, "n", m_notify, &L);
	sim_proc_t *imm = sim_method_new(sim, "imm", m_immediate, &L);
	sim_event_t *go = sim_event_new(sim, "go");
	sim_sensitive(imm, go);
	sim_proc_dont_initialize(imm);
	ck_assert_int_eq(sim_run(sim, 25 * SIM_NS - 1), SIM_OK);
	ck_assert_int_eq(L.n, 2);
	ck_assert_uint_eq(L.t[0], 10000);
	ck_assert_uint_eq(L.t[1], 20000);
	sim_event_notify_at(go, 1);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(L.n, 3);
	ck_assert_uint_eq(L.t[2], 25000);
	sim_free(sim);
}
END_TEST

/* ---- or-lists: the first event wins, the others are forgotten ---------- */

static void m_orlist(sim_proc_t *self, void *ctx)
{
	(void)self;
	tlog_t *L = ctx;
	sim_event_notify_at(L->ev[0], 30 * SIM_NS);
	sim_event_notify_at(L->ev[1], 20 * SIM_NS);
	sim_event_notify_at(L->ev[2], 40 * SIM_NS);
	sim_event_notify_at(L->ev[3], 50 * SIM_NS);
}

static void th_orlist(sim_thread_t *t, void *ctx)
{
	tlog_t *L = ctx;
	sim_t *sim = sim_thread_sim(t);
	sim_event_t *two[2] = { L->ev[0], L->ev[1] };
	note(L, sim, sim_wait_any(t, two, 2)); /* ev1 at 20 */
	/* ev0 fires at 30 and must not wake us: we wait for ev2 (40) */
	sim_event_t *dup[3] = { L->ev[3], L->ev[2], L->ev[3] };
	note(L, sim, sim_wait_any(t, dup, 3)); /* ev2 at 40: index 1 */
	note(L, sim, sim_wait_any_timeout(t, dup, 3, 5 * SIM_NS));  /* 45 */
	note(L, sim, sim_wait_any_timeout(t, dup, 3, 50 * SIM_NS)); /* 50 */
	note(L, sim, sim_wait_time(t, 100 * SIM_NS)); /* 150, not 95 */
}

START_TEST(test_wait_any)
{
	sim_t *sim = sim_new(NULL);
	tlog_t L = { 0 };
	for (int i = 0; i < 4; i++)
		L.ev[i] = sim_event_new(sim, "e");
	sim_thread_new(sim, "th", th_orlist, &L);
	sim_method_new(sim, "n", m_orlist, &L);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(L.n, 5);
	ck_assert_uint_eq(L.t[0], 20000);
	ck_assert_int_eq(L.rc[0], 1);
	ck_assert_uint_eq(L.t[1], 40000);
	ck_assert_int_eq(L.rc[1], 1);
	ck_assert_uint_eq(L.t[2], 45000);
	ck_assert_int_eq(L.rc[2], SIM_WAIT_TIMEOUT);
	ck_assert_uint_eq(L.t[3], 50000);
	ck_assert_int_eq(L.rc[3], 0);
	ck_assert_uint_eq(L.t[4], 150000);
	sim_free(sim);
}
END_TEST

/* ---- timeouts of a single event ---------------------------------------- */

static void th_timeout(sim_thread_t *t, void *ctx)
{
	tlog_t *L = ctx;
	sim_t *sim = sim_thread_sim(t);
	note(L, sim, sim_wait_event_timeout(t, L->ev[0], 5 * SIM_NS));
	note(L, sim, sim_wait_event_timeout(t, L->ev[0], 100 * SIM_NS));
	/* the 100 ns timer was cancelled: the next wake-up is at 10+200 */
	note(L, sim, sim_wait_time(t, 200 * SIM_NS));
	/* a zero timeout is one delta */
	note(L, sim, sim_wait_event_timeout(t, L->ev[0], 0));
}

START_TEST(test_wait_event_timeout)
{
	sim_t *sim = sim_new(NULL);
	tlog_t L = { 0 };
	L.ev[0] = sim_event_new(sim, "e");
	L.ev[1] = sim_event_new(sim, "unused");
	L.ev[2] = sim_event_new(sim, "unused");
	sim_thread_new(sim, "th", th_timeout, &L);
	sim_method_new(sim, "n", m_notify, &L); /* ev0 at 10 ns */
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(L.n, 4);
	ck_assert_uint_eq(L.t[0], 5000);
	ck_assert_int_eq(L.rc[0], SIM_WAIT_TIMEOUT);
	ck_assert_uint_eq(L.t[1], 10000);
	ck_assert_int_eq(L.rc[1], 0);
	ck_assert_uint_eq(L.t[2], 210000);
	ck_assert_uint_eq(L.t[3], 210000);
	ck_assert_uint_eq(L.d[3], L.d[2] + 1);
	ck_assert_int_eq(L.rc[3], SIM_WAIT_TIMEOUT);
	sim_free(sim);
}
END_TEST

/* ---- signal waits: edges and value changes ------------------------------ */

static void m_write_vec(sim_proc_t *self, void *ctx)
{
	tlog_t *L = ctx;
	sim_t *sim = sim_proc_sim(self);
	if (sim_time(sim) == 33 * SIM_NS)
		sim_vec_write_u64(L->sig[1], 0x5a);
	else
		sim_next_trigger_time(self, 33 * SIM_NS);
}

static void th_edges(sim_thread_t *t, void *ctx)
{
	tlog_t *L = ctx;
	sim_t *sim = sim_thread_sim(t);
	sim_signal_t *clk = L->sig[0];
	note(L, sim, sim_wait_pos(t, clk)); /* 5 */
	ck_assert(sim_bit_read(clk));
	note(L, sim, sim_wait_pos(t, clk)); /* 15 */
	note(L, sim, sim_wait_neg(t, clk)); /* 20 */
	ck_assert(!sim_bit_read(clk));
	note(L, sim, sim_wait_change(t, L->sig[1])); /* 33 */
	ck_assert_uint_eq(sim_vec_read_u64(L->sig[1]), 0x5a);
	note(L, sim, sim_wait_change(t, clk)); /* 35, rising */
	note(L, sim, sim_wait_pos_timeout(t, L->sig[2], 50 * SIM_NS)); /* 85 */
	note(L, sim, sim_wait_neg_timeout(t, clk, 50 * SIM_NS));       /* 90 */
	note(L, sim, sim_wait_change_timeout(t, L->sig[1], 1));	       /* +1 */
	note(L, sim, sim_wait_pos(t, L->sig[1])); /* not a bit */
}

START_TEST(test_wait_signal)
{
	sim_t *sim = sim_new(NULL);
	tlog_t L = { 0 };
	L.sig[0] = sim_clock_new(sim, "clk", 10 * SIM_NS, 50, 5 * SIM_NS, true);
	L.sig[1] = sim_vec_new(sim, "v", 8, NULL);
	L.sig[2] = sim_bit_new(sim, "quiet", false);
	sim_thread_new(sim, "th", th_edges, &L);
	sim_method_new(sim, "w", m_write_vec, &L);
	/* the misuse at the end stops the run with its error */
	ck_assert_int_eq(sim_run(sim, 200 * SIM_NS), SIM_ERR_TYPE);
	ck_assert_uint_eq(sim_time(sim), 90001);
	ck_assert_int_eq(L.n, 9);
	sim_time_t want[8] = { 5000,  15000, 20000, 33000,
			       35000, 85000, 90000, 90001 };
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(L.t[i], want[i]);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(L.rc[i], 0);
	ck_assert_int_eq(L.rc[5], SIM_WAIT_TIMEOUT);
	ck_assert_int_eq(L.rc[6], 0);
	ck_assert_int_eq(L.rc[7], SIM_WAIT_TIMEOUT);
	ck_assert_int_eq(L.rc[8], SIM_ERR_TYPE);
	sim_free(sim);
}
END_TEST

/* ---- static sensitivity, end of a thread, waits from outside ------------ */

static void th_static(sim_thread_t *t, void *ctx)
{
	tlog_t *L = ctx;
	sim_t *sim = sim_thread_sim(t);
	for (int i = 0; i < 3; i++) {
		note(L, sim, 0);
		sim_wait(t);
	}
	/* returns: the thread ends while the clock keeps running */
}

START_TEST(test_static_and_end)
{
	sim_t *sim = sim_new(NULL);
	tlog_t L = { 0 };
	sim_signal_t *clk =
		sim_clock_new(sim, "clk", 10 * SIM_NS, 50, 5 * SIM_NS, true);
	sim_thread_t *t = sim_thread_new_stack(sim, "th", th_static, &L, 5000);
	ck_assert_uint_ge(sim_thread_stack_size(t), 5000);
	ck_assert_uint_eq(sim_thread_stack_size(t) % 4096, 0);
	sim_proc_t *p = sim_thread_proc(t);
	ck_assert_str_eq(sim_proc_name(p), "th");
	sim_sensitive_pos(p, clk);
	sim_proc_dont_initialize(p);
	ck_assert_int_eq(sim_wait_time(t, 1), SIM_ERR_STATE);
	ck_assert_int_eq(sim_run(sim, 100 * SIM_NS), SIM_OK);
	ck_assert_int_eq(L.n, 3);
	ck_assert_uint_eq(L.t[0], 5000);
	ck_assert_uint_eq(L.t[1], 15000);
	ck_assert_uint_eq(L.t[2], 25000);
	ck_assert(sim_thread_done(t));
	ck_assert_uint_eq(sim_thread_stack_size(t), 0); /* unmapped */
	sim_free(sim);
}
END_TEST

/* ---- many threads: equal wake-up times keep creation order -------------- */

#define NTH 200
typedef struct order {
	int seq[NTH * 2];
	int n;
} order_t;

typedef struct many_ctx {
	order_t *o;
	int id;
} many_ctx_t;

static void th_many(sim_thread_t *t, void *ctx)
{
	many_ctx_t *m = ctx;
	sim_wait_time(t, (sim_time_t)(m->id % 3) * SIM_NS);
	m->o->seq[m->o->n++] = m->id;
	sim_wait_time(t, 10 * SIM_NS);
	m->o->seq[m->o->n++] = m->id;
}

START_TEST(test_many_threads)
{
	sim_t *sim = sim_new(NULL);
	order_t o = { { 0 }, 0 };
	many_ctx_t m[NTH];
	for (int i = 0; i < NTH; i++) {
		m[i] = (many_ctx_t){ &o, i };
		ck_assert_ptr_nonnull(
			sim_thread_new_stack(sim, "m", th_many, &m[i], 16384));
	}
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(o.n, 2 * NTH);
	/* first round ordered by wake time, then creation order */
	int k = 0;
	for (int r = 0; r < 3; r++)
		for (int i = 0; i < NTH; i++)
			if (i % 3 == r)
				ck_assert_int_eq(o.seq[k++], i);
	for (int r = 0; r < 3; r++)
		for (int i = 0; i < NTH; i++)
			if (i % 3 == r)
				ck_assert_int_eq(o.seq[k++], i);
	sim_free(sim);
}
END_TEST

/* ---- two kernels, interleaved, each with ping-ponging threads ----------- */

typedef struct pp {
	sim_event_t *ping, *pong;
	int hits;
	sim_time_t period;
} pp_t;

static void th_ping(sim_thread_t *t, void *ctx)
{
	pp_t *p = ctx;
	for (;;) {
		sim_event_notify_at(p->ping, p->period);
		sim_wait_event(t, p->pong);
		p->hits++;
	}
}

static void th_pong(sim_thread_t *t, void *ctx)
{
	pp_t *p = ctx;
	for (;;) {
		sim_wait_event(t, p->ping);
		sim_event_notify_delta(p->pong);
	}
}

START_TEST(test_two_kernels)
{
	sim_t *a = sim_new(NULL), *b = sim_new(NULL);
	pp_t pa = { sim_event_new(a, "ping"), sim_event_new(a, "pong"), 0,
		    3 * SIM_NS };
	pp_t pb = { sim_event_new(b, "ping"), sim_event_new(b, "pong"), 0,
		    7 * SIM_NS };
	sim_thread_new(a, "ping", th_ping, &pa);
	sim_thread_new(a, "pong", th_pong, &pa);
	sim_thread_new(b, "ping", th_ping, &pb);
	sim_thread_new(b, "pong", th_pong, &pb);
	for (int i = 0; i < 100; i++) {
		ck_assert_int_eq(sim_run(a, 10 * SIM_NS), SIM_OK);
		ck_assert_int_eq(sim_run(b, 10 * SIM_NS), SIM_OK);
	}
	ck_assert_int_eq(pa.hits, 1000 / 3);
	ck_assert_int_eq(pb.hits, 1000 / 7);
	/* a thread of one kernel cannot wait on an event of the other */
	ck_assert_uint_eq(sim_time(a), 1000 * SIM_NS);
	sim_free(a); /* with suspended threads: stacks unmapped */
	ck_assert_int_eq(sim_run(b, 10 * SIM_NS), SIM_OK);
	ck_assert_int_eq(pb.hits, 1010 / 7);
	sim_free(b);
}
END_TEST

static void th_foreign(sim_thread_t *t, void *ctx)
{
	int *rc = ctx;
	rc[1] = sim_wait_any(t, NULL, 0);
}

static void th_foreign2(sim_thread_t *t, void *ctx)
{
	sim_event_t **ev = ctx;
	intptr_t rc = sim_wait_event(t, ev[0]);
	ev[1] = (sim_event_t *)rc;
}

START_TEST(test_foreign_and_bad_args)
{
	sim_t *a = sim_new(NULL), *b = sim_new(NULL);
	sim_event_t *ev[2] = { sim_event_new(b, "other"), NULL };
	sim_thread_new(a, "f", th_foreign2, ev);
	int rc[2] = { 0, 0 };
	sim_thread_new(a, "g", th_foreign, rc);
	ck_assert_int_eq(sim_run_to_starvation(a), SIM_ERR_FOREIGN);
	ck_assert_int_eq((int)(intptr_t)ev[1], SIM_ERR_FOREIGN);
	ck_assert_int_eq(rc[1], SIM_ERR_ARG);
	ck_assert_ptr_null(sim_thread_new(a, "nobody", NULL, NULL));
	sim_free(a);
	sim_free(b);
}
END_TEST

/* ---- the guard page: an overflow dies with SIGSEGV ---------------------- */

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

__attribute__((noinline, no_sanitize_address)) static unsigned
recurse(unsigned depth, unsigned limit)
{
	volatile char frame[512];
	frame[0] = (char)depth;
	frame[511] = (char)depth;
	if (depth >= limit)
		return frame[0];
	return recurse(depth + 1, limit) + frame[511];
}

static void th_deep(sim_thread_t *t, void *ctx)
{
	(void)t;
	unsigned *limit = ctx;
	limit[1] = recurse(0, limit[0]);
}

/* Run a thread recursing limit frames of ~0.5 KiB on a 64 KiB stack in a
 * child process; its wait status. */
static int run_deep_child(unsigned limit)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		sim_t *sim = sim_new(NULL);
		unsigned ctx[2] = { limit, 0 };
		sim_thread_new_stack(sim, "deep", th_deep, ctx, 64 * 1024);
		int rc = sim_run_to_starvation(sim);
		sim_free(sim);
		_exit(rc == SIM_OK ? 0 : 3);
	}
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return status;
}

START_TEST(test_guard_page)
{
	/* 60 frames (~32 KiB) fit */
	int st = run_deep_child(60);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* 100000 frames cannot: the guard page stops it loudly */
	st = run_deep_child(100000);
#ifdef UNDER_ASAN
	/* ASan's own SEGV handler reports the stack overflow and exits */
	ck_assert(!(WIFEXITED(st) && WEXITSTATUS(st) == 0));
#else
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "status %#x",
		      st);
#endif
}
END_TEST

/* ---- next_trigger for methods: or-lists, timeouts, back to static ------- */

typedef struct mt {
	sim_event_t *a, *b, *s;
	int step;
	sim_time_t t[8];
	int woke[8];
	int n;
} mt_t;

static void m_dyn(sim_proc_t *self, void *ctx)
{
	mt_t *m = ctx;
	sim_t *sim = sim_proc_sim(self);
	if (m->n < 8) {
		m->t[m->n] = sim_time(sim);
		m->woke[m->n] = sim_proc_woken_by(self);
		m->n++;
	}
	sim_event_t *ab[2] = { m->a, m->b };
	switch (m->step++) {
	case 0: /* at 0: a or b; b comes at 4, a at 6 */
		sim_event_notify_at(m->b, 4 * SIM_NS);
		sim_event_notify_at(m->a, 6 * SIM_NS);
		sim_next_trigger_any(self, ab, 2);
		break;
	case 1: /* at 4 (b): a or b or 10 ns -> a at 6 */
		sim_next_trigger_any_timeout(self, ab, 2, 10 * SIM_NS);
		break;
	case 2: /* at 6 (a): b or 3 ns -> timeout at 9 */
		sim_next_trigger_event_timeout(self, m->b, 3 * SIM_NS);
		break;
	case 3: /* at 9: arm a, then take it back: static s (20) wins */
		sim_event_notify_at(m->a, 5 * SIM_NS);
		sim_event_notify_at(m->s, 11 * SIM_NS);
		sim_next_trigger_event(self, m->a);
		sim_next_trigger_static(self);
		break;
	case 4: /* at 20 via s: or-list then static again */
		sim_next_trigger_any(self, ab, 2);
		sim_next_trigger_static(self);
		sim_event_notify_at(m->a, 1 * SIM_NS);
		sim_event_notify_at(m->s, 2 * SIM_NS);
		break;
	default:
		break;
	}
}

START_TEST(test_next_trigger_orlist)
{
	sim_t *sim = sim_new(NULL);
	mt_t m = { sim_event_new(sim, "a"),
		   sim_event_new(sim, "b"),
		   sim_event_new(sim, "s"),
		   0,
		   { 0 },
		   { 0 },
		   0 };
	sim_proc_t *p = sim_method_new(sim, "m", m_dyn, &m);
	sim_sensitive(p, m.s);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(m.n, 6);
	sim_time_t want[6] = { 0, 4000, 6000, 9000, 20000, 22000 };
	int woke[6] = { -1, 1, 0, SIM_WAIT_TIMEOUT, -1, -1 };
	for (int i = 0; i < 6; i++) {
		ck_assert_uint_eq(m.t[i], want[i]);
		ck_assert_int_eq(m.woke[i], woke[i]);
	}
	sim_free(sim);
}
END_TEST

static Suite *thread_suite(void)
{
	Suite *s = suite_create("kernel_thread");
	TCase *tc = tcase_create("threads");
	tcase_add_test(tc, test_wait_time_exact);
	tcase_add_test(tc, test_wait_event);
	tcase_add_test(tc, test_wait_any);
	tcase_add_test(tc, test_wait_event_timeout);
	tcase_add_test(tc, test_wait_signal);
	tcase_add_test(tc, test_static_and_end);
	tcase_add_test(tc, test_many_threads);
	tcase_add_test(tc, test_two_kernels);
	tcase_add_test(tc, test_foreign_and_bad_args);
	tcase_add_test(tc, test_guard_page);
	tcase_add_test(tc, test_next_trigger_orlist);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(thread_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
