/*
 * test_calib.c - pins the calibration contract (doc/calibration-contract.md)
 * on the C golden model: reset values, the initial write, the search steps,
 * the direction of the moves, dirty-row sets, done/busy and exact cycle
 * counts. The RTL is held to the same behaviour by the co-simulation, so a
 * change that makes one of these fail is a change of the contract.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "chip/calib.h"

#define WORDS (CALIB_MAX_COL / 64)

/* A test bench: the controller plus a chip stand-in that answers each
 * compare request after `lat` cycles with decisions from a callback, and an
 * SRAM image of the compensation rows it receives. */
typedef void (*decide_fn)(unsigned step_no, const calib_t *c, uint64_t *dec,
			  void *ctx);

typedef struct bench {
	calib_t c;
	calib_in_t in;
	calib_out_t out;
	uint64_t dec[WORDS];
	unsigned lat, wait_left, step_no;
	decide_fn decide;
	void *ctx;
	uint64_t rows[CALIB_MAX_ROW][WORDS]; /* the chip's compensation rows */
	unsigned writes[CALIB_MAX_ROW * 8]; /* row_addr of each write, in order */
	unsigned nwrites, cycles;
} bench_t;

static void bench_init(bench_t *b, unsigned ncol, unsigned nrow, unsigned lat,
		       decide_fn fn, void *ctx)
{
	calib_params_t p = { ncol, nrow };

	memset(b, 0, sizeof *b);
	ck_assert_int_eq(calib_init(&b->c, &p), 0);
	b->lat = lat;
	b->decide = fn;
	b->ctx = ctx;
	b->in.cmp_dec = b->dec;
}

/* One cycle: decode outputs, let the chip drive its inputs, clock. */
static void bench_cycle(bench_t *b)
{
	calib_outputs(&b->c, &b->in, &b->out);
	b->in.cmp_valid = false;
	if (b->wait_left > 0 && --b->wait_left == 0) {
		memset(b->dec, 0, sizeof b->dec);
		b->decide(b->step_no++, &b->c, b->dec, b->ctx);
		b->in.cmp_valid = true;
	}
	if (b->out.cmp_req)
		b->wait_left = b->lat;
	if (b->out.row_we) {
		ck_assert_uint_lt(b->nwrites, CALIB_MAX_ROW * 8);
		b->writes[b->nwrites++] = b->out.row_addr;
		memcpy(b->rows[b->out.row_addr], b->out.row_data,
		       sizeof b->out.row_data);
	}
	calib_clock(&b->c, &b->in);
	b->in.start = false;
	b->cycles++;
}

/* Start, then run until done; returns the busy cycle count. */
static unsigned bench_run(bench_t *b)
{
	unsigned busy = 0, guard = 0;

	b->in.start = true;
	bench_cycle(b);
	for (;;) {
		calib_outputs(&b->c, &b->in, &b->out);
		ck_assert(b->out.busy != b->out.done);
		if (b->out.done)
			break;
		busy++;
		bench_cycle(b);
		ck_assert_uint_lt(++guard, 100000);
	}
	return busy;
}

static bool bit(const uint64_t *v, unsigned i)
{
	return (v[i / 64] >> (i % 64)) & 1;
}

static void all_plus(unsigned s, const calib_t *c, uint64_t *d, void *x)
{
	(void)s;
	(void)x;
	for (unsigned i = 0; i < c->p.ncol; i++)
		d[i / 64] |= (uint64_t)1 << (i % 64);
}

static void all_minus(unsigned s, const calib_t *c, uint64_t *d, void *x)
{
	(void)s;
	(void)c;
	(void)d;
	(void)x;
}

/* Column 0 always +1, column 1 always -1, others alternate by column. */
static void mixed(unsigned s, const calib_t *c, uint64_t *d, void *x)
{
	(void)s;
	(void)x;
	for (unsigned i = 0; i < c->p.ncol; i++)
		if (i == 0 || (i >= 2 && i % 2 == 0))
			d[i / 64] |= (uint64_t)1 << (i % 64);
}

/* Random decisions from a xorshift state; records them for a reference. */
typedef struct rnd {
	uint64_t s;
	uint64_t seen[8][WORDS];
} rnd_t;

static uint64_t xs(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void random_dec(unsigned step_no, const calib_t *c, uint64_t *d, void *x)
{
	rnd_t *r = x;

	for (unsigned w = 0; w < (c->p.ncol + 63) / 64; w++)
		d[w] = xs(&r->s);
	if (c->p.ncol % 64)
		d[c->p.ncol / 64] &= ((uint64_t)1 << (c->p.ncol % 64)) - 1;
	ck_assert_uint_lt(step_no, 8);
	memcpy(r->seen[step_no], d, sizeof r->seen[0]);
}

START_TEST(test_params)
{
	calib_params_t p;
	calib_t c;
	static const unsigned bad_row[] = { 0, 1, 2, 3, 6, 48, 128 };

	calib_params_default(&p);
	ck_assert_uint_eq(p.ncol, 128);
	ck_assert_uint_eq(p.nrow, 32);
	ck_assert_int_eq(calib_init(&c, &p), 0);
	p.ncol = 0;
	ck_assert_int_lt(calib_init(&c, &p), 0);
	p.ncol = CALIB_MAX_COL + 1;
	ck_assert_int_lt(calib_init(&c, &p), 0);
	p.ncol = CALIB_MAX_COL;
	for (unsigned i = 0; i < sizeof bad_row / sizeof bad_row[0]; i++) {
		p.nrow = bad_row[i];
		ck_assert_int_lt(calib_init(&c, &p), 0);
	}
	p.nrow = 4;
	ck_assert_int_eq(calib_init(&c, &p), 0);
	p.nrow = 64;
	ck_assert_int_eq(calib_init(&c, &p), 0);
}
END_TEST

START_TEST(test_reset_values)
{
	bench_t *b = malloc(sizeof *b);

	bench_init(b, 128, 32, 2, all_plus, NULL);
	ck_assert_int_eq(calib_state(&b->c), CALIB_IDLE);
	b->in.cnt_sel = 127;
	calib_outputs(&b->c, &b->in, &b->out);
	ck_assert(!b->out.busy && !b->out.done);
	ck_assert(!b->out.cmp_req && !b->out.row_we);
	ck_assert_uint_eq(b->out.row_addr, 0);
	ck_assert_uint_eq(b->out.cnt_out, 16);
	for (unsigned i = 0; i < 128; i++)
		ck_assert_uint_eq(calib_count(&b->c, i), 16);
	b->in.cnt_sel = 128; /* out of range reads 0 */
	calib_outputs(&b->c, &b->in, &b->out);
	ck_assert_uint_eq(b->out.cnt_out, 0);
	/* IDLE without start stays IDLE whatever else is driven. */
	b->in.cmp_valid = true;
	b->in.cnt_sel = 0;
	for (int i = 0; i < 5; i++)
		calib_clock(&b->c, &b->in);
	ck_assert_int_eq(calib_state(&b->c), CALIB_IDLE);
	/* Mid-run reset returns every register to its reset value. */
	b->in.cmp_valid = false;
	b->in.start = true;
	bench_cycle(b);
	for (int i = 0; i < 40; i++)
		bench_cycle(b); /* past the initial write and first compare */
	ck_assert_int_ne(calib_count(&b->c, 5), 16);
	b->in.rst = true;
	b->in.start = true; /* rst wins over start */
	calib_clock(&b->c, &b->in);
	ck_assert_int_eq(calib_state(&b->c), CALIB_IDLE);
	ck_assert_uint_eq(b->c.dirty, 0);
	ck_assert_uint_eq(b->c.step, 0);
	for (unsigned i = 0; i < 128; i++)
		ck_assert_uint_eq(calib_count(&b->c, i), 16);
	free(b);
}
END_TEST

START_TEST(test_initial_write)
{
	bench_t *b = malloc(sizeof *b);

	bench_init(b, 128, 32, 1, all_plus, NULL);
	b->in.start = true;
	bench_cycle(b);
	ck_assert_int_eq(calib_state(&b->c), CALIB_WRITE);
	ck_assert_uint_eq(b->c.step, 16); /* half-count units */
	for (unsigned r = 0; r < 32; r++) {
		calib_outputs(&b->c, &b->in, &b->out);
		ck_assert(b->out.row_we && b->out.busy && !b->out.cmp_req);
		ck_assert_uint_eq(b->out.row_addr, r);
		for (unsigned c = 0; c < 128; c++)
			ck_assert_int_eq(bit(b->out.row_data, c), r < 16);
		bench_cycle(b);
	}
	calib_outputs(&b->c, &b->in, &b->out);
	ck_assert(b->out.cmp_req && !b->out.row_we && b->out.busy);
	free(b);
}
END_TEST

/* Expected count path for a constant decision: 16 -/+ 8, 4, 2, 1, then
 * the half step: +1 stays, -1 moves up one (no write phase when no column
 * moves). */
static void check_constant(decide_fn fn, int sign)
{
	bench_t *b = malloc(sizeof *b);
	unsigned n = 16, lo, hi, k = 32;
	bench_init(b, 128, 32, 1, fn, NULL);
	bench_run(b);
	ck_assert_uint_eq(b->nwrites, 32 + 8 + 4 + 2 + 1 + (sign < 0));
	for (unsigned s = 16; s >= 1; s /= 2) {
		unsigned m = sign > 0 ? n - s / 2 : n + (s + 1) / 2;
		lo = m < n ? m : n;
		hi = m < n ? n : m;
		for (unsigned r = lo; r < hi; r++)
			ck_assert_uint_eq(b->writes[k++], r);
		n = m;
	}
	ck_assert_uint_eq(k, b->nwrites);
	for (unsigned c = 0; c < 128; c++)
		ck_assert_uint_eq(calib_count(&b->c, c), n);
	ck_assert_uint_eq(n, sign > 0 ? 1 : 32);
	ck_assert_uint_eq(b->step_no, 5);
	free(b);
}

START_TEST(test_steps_all_plus)
{
	check_constant(all_plus, +1);
}
END_TEST

START_TEST(test_steps_all_minus)
{
	check_constant(all_minus, -1);
}
END_TEST

/* Step sizes (half counts) at each compare: 16, 8, 4, 2, 1, then 0. */
START_TEST(test_step_sequence)
{
	bench_t *b = malloc(sizeof *b);
	unsigned seen[8], ns = 0, guard = 0;

	bench_init(b, 128, 32, 3, all_plus, NULL);
	b->in.start = true;
	bench_cycle(b);
	while (calib_state(&b->c) != CALIB_DONE && ++guard < 1000) {
		if (calib_state(&b->c) == CALIB_REQ && ns < 8)
			seen[ns++] = b->c.step;
		bench_cycle(b);
	}
	ck_assert_uint_eq(ns, 5);
	ck_assert_uint_eq(seen[0], 16);
	ck_assert_uint_eq(seen[1], 8);
	ck_assert_uint_eq(seen[2], 4);
	ck_assert_uint_eq(seen[3], 2);
	ck_assert_uint_eq(seen[4], 1);
	ck_assert_uint_eq(b->c.step, 0);
	free(b);
}
END_TEST

/* A column deciding +1 loses cells at 1, one deciding -1 gains them; the
 * dirty set is the union of the columns' changed rows. */
START_TEST(test_direction_and_dirty)
{
	bench_t *b = malloc(sizeof *b);
	uint64_t d[WORDS] = { 0 };

	bench_init(b, 128, 32, 1, mixed, NULL);
	b->in.start = true;
	bench_cycle(b);
	while (calib_state(&b->c) != CALIB_WAIT)
		bench_cycle(b);
	d[0] = 1; /* column 0 decides +1, all others -1 */
	b->in.cmp_dec = d;
	b->in.cmp_valid = true;
	calib_clock(&b->c, &b->in);
	b->in.cmp_valid = false;
	b->in.cmp_dec = b->dec;
	b->wait_left = 0; /* the bench's own chip stays quiet */
	ck_assert_uint_eq(calib_count(&b->c, 0), 8);
	ck_assert_uint_eq(calib_count(&b->c, 1), 24);
	ck_assert_uint_eq(b->c.dirty, 0x00ffff00u); /* rows 8..23 */
	ck_assert_uint_eq(b->c.step, 8);
	ck_assert_int_eq(calib_state(&b->c), CALIB_WRITE);
	for (unsigned r = 8; r < 24; r++) {
		calib_outputs(&b->c, &b->in, &b->out);
		ck_assert(b->out.row_we);
		ck_assert_uint_eq(b->out.row_addr, r);
		ck_assert_int_eq(bit(b->out.row_data, 0), 0);
		ck_assert_int_eq(bit(b->out.row_data, 1), 1);
		bench_cycle(b);
	}
	ck_assert_int_eq(calib_state(&b->c), CALIB_REQ);
	/* Both columns now decide the other way: 8 -> 12, 24 -> 20. */
	while (calib_state(&b->c) != CALIB_WAIT)
		bench_cycle(b);
	b->wait_left = 0;
	d[0] = 2;
	b->in.cmp_dec = d;
	b->in.cmp_valid = true;
	calib_clock(&b->c, &b->in);
	ck_assert_uint_eq(calib_count(&b->c, 0), 12);
	ck_assert_uint_eq(calib_count(&b->c, 1), 20);
	ck_assert_uint_eq(calib_count(&b->c, 2), 28);
	ck_assert_uint_eq(b->c.dirty, 0x0ff00f00u); /* 8..11, 20..27 */
	free(b);
}
END_TEST

/* WAIT holds until cmp_valid; cmp_valid outside WAIT and start while busy
 * are ignored; done holds the counts; start in DONE restarts from 16. */
START_TEST(test_handshake_done_busy)
{
	bench_t *b = malloc(sizeof *b);
	uint64_t ones[WORDS];

	memset(ones, 0xff, sizeof ones);
	bench_init(b, 128, 32, 1, all_minus, NULL);
	b->in.start = true;
	bench_cycle(b);
	b->in.cmp_dec = ones;
	for (int i = 0; i < 10; i++) { /* in WRITE: spurious valid + start */
		b->in.cmp_valid = true;
		b->in.start = true;
		calib_clock(&b->c, &b->in);
	}
	b->in.cmp_valid = false;
	b->in.start = false;
	for (unsigned i = 0; i < 128; i++)
		ck_assert_uint_eq(calib_count(&b->c, i), 16);
	ck_assert_uint_eq(b->c.dirty, 0xfffffc00u);
	while (calib_state(&b->c) != CALIB_WAIT)
		calib_clock(&b->c, &b->in);
	for (int i = 0; i < 100; i++)
		calib_clock(&b->c, &b->in);
	ck_assert_int_eq(calib_state(&b->c), CALIB_WAIT);
	calib_outputs(&b->c, &b->in, &b->out);
	ck_assert(b->out.busy && !b->out.cmp_req && !b->out.row_we);
	b->in.cmp_dec = b->dec;
	b->wait_left = 1;
	while (calib_state(&b->c) != CALIB_DONE)
		bench_cycle(b);
	calib_outputs(&b->c, &b->in, &b->out);
	ck_assert(b->out.done && !b->out.busy && !b->out.row_we);
	b->in.cmp_dec = ones;
	b->in.cmp_valid = true;
	for (int i = 0; i < 10; i++)
		calib_clock(&b->c, &b->in);
	ck_assert_int_eq(calib_state(&b->c), CALIB_DONE);
	for (unsigned i = 0; i < 128; i++) {
		b->in.cnt_sel = i;
		calib_outputs(&b->c, &b->in, &b->out);
		ck_assert_uint_eq(b->out.cnt_out, 32);
	}
	b->in.cmp_valid = false;
	b->in.start = true;
	calib_clock(&b->c, &b->in);
	ck_assert_int_eq(calib_state(&b->c), CALIB_WRITE);
	ck_assert_uint_eq(calib_count(&b->c, 77), 16);
	ck_assert_uint_eq(b->c.step, 16);
	free(b);
}
END_TEST

/* Outputs depend on state only (cnt_out aside). */
START_TEST(test_moore)
{
	bench_t *b = malloc(sizeof *b);
	calib_out_t o2;
	calib_in_t in2 = { 0 };
	uint64_t ones[WORDS];

	memset(ones, 0xff, sizeof ones);
	bench_init(b, 128, 32, 2, all_plus, NULL);
	b->in.start = true;
	for (int i = 0; i < 60; i++) {
		calib_outputs(&b->c, &b->in, &b->out);
		in2.rst = in2.start = in2.cmp_valid = true;
		in2.cmp_dec = ones;
		calib_outputs(&b->c, &in2, &o2);
		ck_assert_int_eq(o2.busy, b->out.busy);
		ck_assert_int_eq(o2.done, b->out.done);
		ck_assert_int_eq(o2.cmp_req, b->out.cmp_req);
		ck_assert_int_eq(o2.row_we, b->out.row_we);
		ck_assert_uint_eq(o2.row_addr, b->out.row_addr);
		ck_assert(memcmp(o2.row_data, b->out.row_data,
				 sizeof o2.row_data) == 0);
		bench_cycle(b);
	}
	free(b);
}
END_TEST

/* Random decisions: counts in 1..nrow, equal to an independent
 * reference, and the rows written rebuild every column's thermometer. */
static void check_random(unsigned ncol, unsigned nrow, uint64_t seed)
{
	bench_t *b = malloc(sizeof *b);
	rnd_t r = { .s = seed };
	unsigned nsteps = 0, bad = 0;

	for (unsigned s = nrow / 2; s >= 1; s /= 2)
		nsteps++;
	bench_init(b, ncol, nrow, 1 + (unsigned)(seed % 5), random_dec, &r);
	bench_run(b);
	ck_assert_uint_eq(b->step_no, nsteps);
	for (unsigned c = 0; c < ncol; c++) {
		unsigned n = nrow / 2, k = 0;

		for (unsigned s = nrow / 2; s >= 1; s /= 2)
			n = bit(r.seen[k++], c) ? n - s / 2 : n + (s + 1) / 2;
		ck_assert_uint_eq(calib_count(&b->c, c), n);
		ck_assert_uint_ge(n, 1);
		ck_assert_uint_le(n, nrow);
		for (unsigned row = 0; row < nrow; row++)
			bad += bit(b->rows[row], c) != (row < n);
	}
	for (unsigned c = ncol; c < CALIB_MAX_COL; c++)
		for (unsigned row = 0; row < nrow; row++)
			bad += bit(b->rows[row], c);
	/* one assertion for the whole image (cheap under load) */
	ck_assert_uint_eq(bad, 0);
	free(b);
}

START_TEST(test_random_default)
{
	for (uint64_t seed = 1; seed <= 20; seed++)
		check_random(128, 32, seed * 0x9e3779b97f4a7c15u);
}
END_TEST

START_TEST(test_random_shapes)
{
	check_random(1000, 64, 7);
	check_random(1, 4, 11);
	check_random(65, 8, 13);
	check_random(1024, 16, 17);
}
END_TEST

/* busy lasts nrow + sum over steps of (1 REQ + L WAIT + writes) cycles. */
START_TEST(test_cycle_count)
{
	static const unsigned lat[] = { 1, 2, 3, 7, 20 };

	for (unsigned i = 0; i < sizeof lat / sizeof lat[0]; i++) {
		bench_t *b = malloc(sizeof *b);
		unsigned busy;

		bench_init(b, 128, 32, lat[i], all_plus, NULL);
		busy = bench_run(b);
		/* the half step moves no column: no write phase */
		ck_assert_uint_eq(busy, 32 + 5 * (1 + lat[i]) + 8 + 4 + 2 + 1);
		ck_assert_uint_eq(b->cycles, busy + 1);
		free(b);
	}
	{
		/* Alternating columns: each step dirties both sides. */
		bench_t *b = malloc(sizeof *b);

		bench_init(b, 128, 32, 4, mixed, NULL);
		ck_assert_uint_eq(bench_run(b),
				  32 + 5 * 5 + 16 + 8 + 4 + 2 + 1);
		free(b);
	}
}
END_TEST

/* The operating-point register: loaded by op_we in IDLE or DONE only,
 * masked to CALIB_OP_BITS, on cmp_pre whatever the state, 0 after rst. */
START_TEST(test_operating_point)
{
	bench_t *b = malloc(sizeof *b);
	bench_init(b, 128, 32, 2, all_plus, NULL);
	ck_assert_uint_eq(b->c.op, 0);
	b->in.op_we = true;
	b->in.op_code = 37 | (1u << CALIB_OP_BITS); /* high bits ignored */
	calib_clock(&b->c, &b->in);
	ck_assert_uint_eq(b->c.op, 37);
	b->in.op_code = 5;
	b->in.start = true; /* load and start on one edge */
	calib_clock(&b->c, &b->in);
	ck_assert_uint_eq(b->c.op, 5);
	ck_assert_int_eq(calib_state(&b->c), CALIB_WRITE);
	b->in.start = false;
	b->in.op_code = 9; /* busy: ignored, held on cmp_pre */
	while (calib_state(&b->c) != CALIB_DONE) {
		calib_outputs(&b->c, &b->in, &b->out);
		ck_assert_uint_eq(b->out.cmp_pre, 5);
		bench_cycle(b);
	}
	calib_clock(&b->c, &b->in); /* DONE: loads */
	ck_assert_uint_eq(b->c.op, 9);
	b->in.rst = true;
	calib_clock(&b->c, &b->in);
	ck_assert_uint_eq(b->c.op, 0);
	free(b);
}
END_TEST

static Suite *calib_suite(void)
{
	Suite *s = suite_create("calib");
	TCase *tc = tcase_create("contract");
	/* the random-offset cases run the FSM over many chips: seconds on a
	 * loaded machine (3.3 s at load 10 on 2 cores), not the 4 s default */
	tcase_set_timeout(tc, 120);

	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_reset_values);
	tcase_add_test(tc, test_initial_write);
	tcase_add_test(tc, test_steps_all_plus);
	tcase_add_test(tc, test_steps_all_minus);
	tcase_add_test(tc, test_step_sequence);
	tcase_add_test(tc, test_direction_and_dirty);
	tcase_add_test(tc, test_handshake_done_busy);
	tcase_add_test(tc, test_moore);
	tcase_add_test(tc, test_random_default);
	tcase_add_test(tc, test_random_shapes);
	tcase_add_test(tc, test_cycle_count);
	tcase_add_test(tc, test_operating_point);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(calib_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
