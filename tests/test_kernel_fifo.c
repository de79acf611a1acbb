/* test_kernel_fifo.c - the bounded FIFO channel: sc_fifo's update-phase
 * timing, blocking and back-pressure for threads, try calls and events
 * for methods. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/sim.h"

typedef struct item {
	uint32_t seq;
	double payload;
	char tag[12];
} item_t;

/* ---- update-phase timing within one time step --------------------------- */

typedef struct tm {
	sim_fifo_t *f;
	uint64_t d_write, d_read;
	unsigned avail_same_delta, free_after_two;
	int third_try;
	item_t got;
} tm_t;

static void th_writer3(sim_thread_t *t, void *ctx)
{
	tm_t *m = ctx;
	item_t a = { 1, 0.5, "one" }, b = { 2, 1.5, "two" }, c = { 3, 2.5, "" };
	m->d_write = sim_delta_count(sim_thread_sim(t));
	ck_assert_int_eq(sim_fifo_try_write(m->f, &a), 1);
	ck_assert_int_eq(sim_fifo_try_write(m->f, &b), 1);
	m->free_after_two = sim_fifo_num_free(m->f);
	m->third_try = sim_fifo_try_write(m->f, &c);
}

static void th_reader1(sim_thread_t *t, void *ctx)
{
	tm_t *m = ctx;
	m->avail_same_delta = sim_fifo_num_available(m->f);
	ck_assert_int_eq(sim_fifo_read(t, m->f, &m->got), SIM_OK);
	m->d_read = sim_delta_count(sim_thread_sim(t));
}

START_TEST(test_update_phase_timing)
{
	sim_t *sim = sim_new(NULL);
	tm_t m = { 0 };
	m.f = sim_fifo_new(sim, "f", sizeof(item_t), 2);
	ck_assert_ptr_nonnull(m.f);
	ck_assert_uint_eq(sim_fifo_num_free(m.f), 2);
	ck_assert_uint_eq(sim_fifo_num_available(m.f), 0);
	ck_assert_uint_eq(sim_fifo_depth(m.f), 2);
	sim_thread_new(sim, "w", th_writer3, &m);
	sim_thread_new(sim, "r", th_reader1, &m);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_uint_eq(m.free_after_two, 0);
	ck_assert_int_eq(m.third_try, 0);
	ck_assert_uint_eq(m.avail_same_delta, 0); /* not before the update */
	ck_assert_uint_eq(m.d_read, m.d_write + 1);
	ck_assert_uint_eq(m.got.seq, 1);
	ck_assert_str_eq(m.got.tag, "one");
	/* one read this delta: still 1 slot in use for writers until the
	 * update, but afterwards 1 available, 1 free */
	ck_assert_uint_eq(sim_fifo_num_available(m.f), 1);
	ck_assert_uint_eq(sim_fifo_num_free(m.f), 1);
	sim_free(sim);
}
END_TEST

/* ---- back-pressure: a fast writer, a slow reader ----------------------- */

#define NITEMS 10
typedef struct bp {
	sim_fifo_t *f;
	sim_time_t wrote[NITEMS], got_t[NITEMS];
	uint32_t got[NITEMS];
	int nread;
} bp_t;

static void th_fast_writer(sim_thread_t *t, void *ctx)
{
	bp_t *b = ctx;
	for (uint32_t i = 0; i < NITEMS; i++) {
		item_t it = { i, i * 0.25, "x" };
		ck_assert_int_eq(sim_fifo_write(t, b->f, &it), SIM_OK);
		b->wrote[i] = sim_time(sim_thread_sim(t));
	}
}

static void th_slow_reader(sim_thread_t *t, void *ctx)
{
	bp_t *b = ctx;
	for (int i = 0; i < NITEMS; i++) {
		item_t it;
		ck_assert_int_eq(sim_fifo_read(t, b->f, &it), SIM_OK);
		b->got[i] = it.seq;
		b->got_t[i] = sim_time(sim_thread_sim(t));
		b->nread++;
		sim_wait_time(t, 10 * SIM_NS);
	}
}

START_TEST(test_back_pressure)
{
	sim_t *sim = sim_new(NULL);
	bp_t b = { 0 };
	b.f = sim_fifo_new(sim, "bp", sizeof(item_t), 2);
	sim_thread_new(sim, "w", th_fast_writer, &b);
	sim_thread_new(sim, "r", th_slow_reader, &b);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(b.nread, NITEMS);
	for (uint32_t i = 0; i < NITEMS; i++) {
		ck_assert_uint_eq(b.got[i], i);
		ck_assert_uint_eq(b.got_t[i], i * 10 * SIM_NS);
		/* two fit at once; then each waits for a read's slot */
		sim_time_t w = i < 2 ? 0 : (i - 2) * 10 * SIM_NS;
		ck_assert_uint_eq(b.wrote[i], w);
	}
	sim_free(sim);
}
END_TEST

/* ---- methods: try calls, events, counts -------------------------------- */

typedef struct me {
	sim_fifo_t *f;
	int wakes, reads_seen, sum;
	unsigned max_avail;
	int nread_events;
} me_t;

static void th_burst_writer(sim_thread_t *t, void *ctx)
{
	me_t *m = ctx;
	for (int burst = 0; burst < 4; burst++) {
		for (int k = 0; k < 3; k++) {
			int v = burst * 10 + k;
			ck_assert_int_eq(sim_fifo_try_write(m->f, &v), 1);
		}
		sim_wait_time(t, 5 * SIM_NS);
	}
}

static void m_consumer(sim_proc_t *self, void *ctx)
{
	(void)self;
	me_t *m = ctx;
	m->wakes++;
	unsigned a = sim_fifo_num_available(m->f);
	if (a > m->max_avail)
		m->max_avail = a;
	int v;
	while (sim_fifo_try_read(m->f, &v) == 1) {
		m->sum += v;
		m->reads_seen++;
	}
	ck_assert_int_eq(sim_fifo_try_read(m->f, &v), 0);
}

static void m_read_events(sim_proc_t *self, void *ctx)
{
	(void)self;
	me_t *m = ctx;
	m->nread_events++;
}

START_TEST(test_method_side)
{
	sim_t *sim = sim_new(NULL);
	me_t m = { 0 };
	m.f = sim_fifo_new(sim, "m", sizeof(int), 8);
	sim_thread_new(sim, "w", th_burst_writer, &m);
	sim_proc_t *c = sim_method_new(sim, "c", m_consumer, &m);
	sim_sensitive(c, sim_fifo_data_written_event(m.f));
	sim_proc_dont_initialize(c);
	sim_proc_t *r = sim_method_new(sim, "r", m_read_events, &m);
	sim_sensitive(r, sim_fifo_data_read_event(m.f));
	sim_proc_dont_initialize(r);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(m.wakes, 4); /* one data-written per burst */
	ck_assert_int_eq(m.nread_events, 4);
	ck_assert_uint_eq(m.max_avail, 3);
	ck_assert_int_eq(m.reads_seen, 12);
	ck_assert_int_eq(m.sum, (0 + 1 + 2) * 4 + (0 + 10 + 20 + 30) * 3);
	sim_free(sim);
}
END_TEST

/* ---- wrap-around through a small ring ---------------------------------- */

typedef struct wr {
	sim_fifo_t *f;
	uint64_t sum_in, sum_out;
	uint32_t next;
	int ok;
} wr_t;

static void th_many_in(sim_thread_t *t, void *ctx)
{
	wr_t *w = ctx;
	for (uint32_t i = 0; i < 1000; i++) {
		uint64_t v = (uint64_t)i * 2654435761u;
		w->sum_in += v;
		sim_fifo_write(t, w->f, &v);
		if (i % 7 == 0)
			sim_wait_time(t, 1);
	}
}

static void th_many_out(sim_thread_t *t, void *ctx)
{
	wr_t *w = ctx;
	for (uint32_t i = 0; i < 1000; i++) {
		uint64_t v;
		sim_fifo_read(t, w->f, &v);
		if (v != (uint64_t)i * 2654435761u)
			w->ok = 0;
		w->sum_out += v;
		if (i % 5 == 0)
			sim_wait_time(t, 2);
	}
}

START_TEST(test_wrap_and_order)
{
	sim_t *sim = sim_new(NULL);
	wr_t w = { 0 };
	w.ok = 1;
	w.f = sim_fifo_new(sim, "ring", sizeof(uint64_t), 3);
	sim_thread_new(sim, "in", th_many_in, &w);
	sim_thread_new(sim, "out", th_many_out, &w);
	ck_assert_int_eq(sim_run_to_starvation(sim), SIM_OK);
	ck_assert_int_eq(w.ok, 1);
	ck_assert_uint_eq(w.sum_in, w.sum_out);
	ck_assert_uint_eq(sim_fifo_num_available(w.f), 0);
	ck_assert_uint_eq(sim_fifo_num_free(w.f), 3);
	sim_free(sim);
}
END_TEST

START_TEST(test_bad_use)
{
	sim_t *sim = sim_new(NULL);
	ck_assert_ptr_null(sim_fifo_new(sim, "z", 4, 0));
	ck_assert_int_ne(strlen(sim_error(sim)), 0);
	ck_assert_ptr_null(sim_fifo_new(sim, "z", 0, 4));
	sim_fifo_t *f = sim_fifo_new(sim, "one", sizeof(int), 1);
	int v = 7;
	ck_assert_int_eq(sim_fifo_try_write(NULL, &v), SIM_ERR_ARG);
	ck_assert_int_eq(sim_fifo_try_write(f, NULL), SIM_ERR_ARG);
	ck_assert_int_eq(sim_fifo_try_write(f, &v), 1);
	ck_assert_int_eq(sim_fifo_try_write(f, &v), 0);
	ck_assert_int_eq(sim_fifo_try_read(f, &v), 0); /* not committed yet */
	ck_assert_int_eq(sim_run(sim, 1), SIM_OK);
	ck_assert_int_eq(sim_fifo_try_read(f, &v), 1);
	ck_assert_int_eq(v, 7);
	sim_free(sim);
}
END_TEST

static Suite *fifo_suite(void)
{
	Suite *s = suite_create("kernel_fifo");
	TCase *tc = tcase_create("fifo");
	tcase_add_test(tc, test_update_phase_timing);
	tcase_add_test(tc, test_back_pressure);
	tcase_add_test(tc, test_method_side);
	tcase_add_test(tc, test_wrap_and_order);
	tcase_add_test(tc, test_bad_use);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fifo_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
