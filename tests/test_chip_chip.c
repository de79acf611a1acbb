/* test_chip_chip.c - the cycle-accurate chip on the kernel: SRAM port,
 * calibration, bit-identity with the transaction-level path, determinism of
 * decisions and VCD. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chip/chip.h"
#include "kernel/rng.h"

static void rand_row(uint64_t tag, unsigned r, uint64_t w[2])
{
	w[0] = rng_u64(tag, RNG_STREAM_TEST, r, 0, 7);
	w[1] = rng_u64(tag, RNG_STREAM_TEST, r, 1, 7);
}

static void rand_codes(uint64_t tag, unsigned v, uint8_t x[96])
{
	for (unsigned r = 0; r < 96; r++)
		x[r] = rng_u64(tag, RNG_STREAM_TEST, v, r, 8) % 32;
}

START_TEST(sram_read_after_write)
{
	sim_t *sim = sim_new(NULL);
	chip_params_t p;
	chip_params_default(&p);
	chip_t *c = chip_new(sim, &p, 1, 0, "chip0", NULL, NULL);
	ck_assert_ptr_nonnull(c);
	uint64_t w[2];
	for (unsigned r = 0; r < 128; r++) {
		rand_row(3, r, w);
		ck_assert_int_eq(chip_write_row(c, r, w), 0);
	}
	ck_assert_int_eq(chip_run_until_idle(c, 1000), 0);
	/* one row per cycle: 128 writes take about 128 cycles */
	ck_assert(sim_time(sim) <= (128 + 4) * p.period_ps);
	for (unsigned r = 0; r < 128; r += 7) {
		ck_assert_int_eq(chip_read_row(c, r), 0);
		ck_assert_int_eq(chip_run_until_idle(c, 10), 0);
		rand_row(3, r, w);
		const uint64_t *d = chip_read_data(c);
		ck_assert(d[0] == w[0] && d[1] == w[1]);
	}
	ck_assert(chip_energy(c)->n_write == 128);
	ck_assert_int_eq(chip_write_row(c, 128, w), SIM_ERR_ARG);
	sim_free(sim);
	chip_free(c);
}
END_TEST

struct collect {
	uint64_t *dec;
	unsigned n;
};

static void on_result(void *ctx, chip_t *chip, const uint64_t *dec)
{
	struct collect *k = ctx;
	(void)chip;
	memcpy(k->dec + 2 * k->n++, dec, 2 * sizeof(uint64_t));
}

#define NVEC 300

/* An idle chip runs no process at all (its sequencer, SRAM port and FSM
 * sleep until a request); a classify queued while it sleeps still starts
 * at the next edge and strobes one edge later, and costs a handful of
 * activations. */
static sim_time_t t_strobe;
static void on_strobe_time(void *ctx, chip_t *chip, const uint64_t *dec)
{
	(void)chip;
	(void)dec;
	t_strobe = sim_time(ctx);
}

START_TEST(idle_chip_costs_nothing)
{
	sim_t *sim = sim_new(NULL);
	chip_params_t p;
	chip_params_default(&p);
	chip_t *c = chip_new(sim, &p, 3, 0, "chip0", NULL, NULL);
	ck_assert_ptr_nonnull(c);
	uint64_t w[2];
	for (unsigned r = 0; r < 96; r++) {
		rand_row(3, r, w);
		ck_assert_int_eq(chip_write_row(c, r, w), 0);
	}
	ck_assert_int_eq(chip_calibrate(c), 0);
	ck_assert_int_eq(chip_run_until_idle(c, 2000), 0);
	chip_set_result_cb(c, on_strobe_time, sim);
	uint8_t x[96];
	for (unsigned v = 0; v < 3; v++) {
		uint64_t a0 = sim_activation_count(sim);
		ck_assert_int_eq(sim_run(sim, 500 * p.period_ps), 0);
		ck_assert_uint_eq(sim_activation_count(sim), a0);
		/* the kernel stopped just after an edge: the next one takes
		 * the command, the one after strobes */
		sim_time_t t0 = sim_time(sim);
		rand_codes(3, v, x);
		ck_assert_int_eq(chip_classify(c, x, true), 0);
		ck_assert(!chip_idle(c));
		ck_assert_int_eq(chip_run_until_idle(c, 10), 0);
		ck_assert_uint_eq(t_strobe, t0 + 2 * p.period_ps);
		uint64_t a = sim_activation_count(sim) - a0;
		ck_assert_uint_ge(a, 5);
		ck_assert_uint_le(a, 12);
	}
	sim_free(sim);
	chip_free(c);
}
END_TEST

/* The wordline vector packs ndata codes of wldac.bits each (codes straddle
 * word boundaries, or fill the words exactly at 6 and 8 bits): the chip's
 * decisions still equal macro_compare's at every width. */
START_TEST(wordline_vector_any_code_width)
{
	static const unsigned widths[] = { 3, 6, 7, 8 };
	for (unsigned i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		sim_t *sim = sim_new(NULL);
		chip_params_t p;
		chip_params_default(&p);
		p.macro.wldac.bits = widths[i];
		chip_t *c = chip_new(sim, &p, 5, 1, "chip1", NULL, NULL);
		ck_assert_ptr_nonnull(c);
		macro_t m;
		ck_assert_int_eq(macro_init(&m, &p.macro, 5, 1), 0);
		uint64_t w[2];
		for (unsigned r = 0; r < 96; r++) {
			rand_row(5, r, w);
			ck_assert_int_eq(chip_write_row(c, r, w), 0);
			macro_write_row(&m, r, w);
		}
		struct collect k = { calloc(2 * 20, sizeof(uint64_t)), 0 };
		chip_set_result_cb(c, on_result, &k);
		unsigned cmax = (1u << widths[i]) - 1;
		uint8_t x[96];
		for (unsigned v = 0; v < 20; v++) {
			for (unsigned r = 0; r < 96; r++)
				x[r] = rng_u64(9, RNG_STREAM_TEST, v, r,
					       widths[i]) %
				       (cmax + 1);
			x[v % 96] = (uint8_t)cmax; /* every bit of a code */
			ck_assert_int_eq(chip_classify(c, x, true), 0);
		}
		ck_assert_int_eq(chip_run_until_idle(c, 1000), 0);
		ck_assert_uint_eq(k.n, 20);
		for (unsigned v = 0; v < 20; v++) {
			uint64_t d[2];
			for (unsigned r = 0; r < 96; r++)
				x[r] = rng_u64(9, RNG_STREAM_TEST, v, r,
					       widths[i]) %
				       (cmax + 1);
			x[v % 96] = (uint8_t)cmax;
			macro_compare(&m, x, true, d);
			ck_assert_msg(d[0] == k.dec[2 * v] &&
					      d[1] == k.dec[2 * v + 1],
				      "%u-bit codes, vector %u", widths[i], v);
		}
		free(k.dec);
		macro_free(&m);
		sim_free(sim);
		chip_free(c);
	}
}
END_TEST

START_TEST(cycle_accurate_equals_transaction_level)
{
	for (uint64_t seed = 10; seed < 14; seed++) {
		sim_t *sim = sim_new(NULL);
		chip_params_t p;
		chip_params_default(&p);
		p.ntrace = 2;
		p.trace_col[0] = 0;
		p.trace_col[1] = 77;
		unsigned id = (unsigned)seed % 4;
		chip_t *c = chip_new(sim, &p, seed, id, "chip", NULL, NULL);
		macro_t m;
		ck_assert_ptr_nonnull(c);
		ck_assert_int_eq(macro_init(&m, &p.macro, seed, id), 0);
		/* an operating point on half of the seeds: the FSM's op code
		 * reaches the precharge of calibration compares alike */
		unsigned pre = seed % 2 ? 25 : 0;
		ck_assert_int_eq(macro_set_cal_point(chip_macro(c), pre), 0);
		ck_assert_int_eq(macro_set_cal_point(&m, pre), 0);
		uint64_t w[2];
		for (unsigned r = 0; r < 96; r++) {
			rand_row(seed, r, w);
			chip_write_row(c, r, w);
			macro_write_row(&m, r, w);
		}
		chip_calibrate(c);
		ck_assert_int_eq(chip_run_until_idle(c, 2000), 0);
		calib_t cal;
		uint64_t cycles;
		ck_assert_int_eq(macro_calibrate(&m, CHIP_CMP_LATENCY, &cal,
						 &cycles),
				 0);
		ck_assert_uint_eq(chip_calib_cycles(c), cycles);
		for (unsigned col = 0; col < 128; col++) {
			unsigned n = chip_comp_count(c, col);
			ck_assert_uint_eq(n, calib_count(&cal, col));
			for (unsigned r = 0; r < 32; r++)
				ck_assert(array_bit(&chip_macro(c)->arr, 96 + r,
						    col) == (r < n));
		}
		/* classify stream, back to back (one compare per cycle) */
		struct collect k = { calloc(2 * NVEC, sizeof(uint64_t)), 0 };
		chip_set_result_cb(c, on_result, &k);
		uint8_t x[96];
		sim_time_t t0 = sim_time(sim);
		for (unsigned v = 0; v < NVEC; v++) {
			rand_codes(seed, v, x);
			ck_assert_int_eq(chip_classify(c, x, v % 3 != 0), 0);
		}
		ck_assert_int_eq(chip_run_until_idle(c, 10 * NVEC), 0);
		ck_assert(sim_time(sim) - t0 <= (NVEC + 4) * p.period_ps);
		ck_assert_uint_eq(k.n, NVEC);
		for (unsigned v = 0; v < NVEC; v++) {
			uint64_t d[2];
			rand_codes(seed, v, x);
			macro_compare(&m, x, v % 3 != 0, d);
			ck_assert_msg(d[0] == k.dec[2 * v] &&
					      d[1] == k.dec[2 * v + 1],
				      "seed %llu vector %u",
				      (unsigned long long)seed, v);
		}
		const uint64_t *last = chip_decisions(c);
		ck_assert(last[0] == m.dec[0] && last[1] == m.dec[1]);
		ck_assert(chip_macro(c)->op == m.op);
		ck_assert(memcmp(chip_energy(c), &m.energy, sizeof m.energy) ==
			  0);
		free(k.dec);
		macro_free(&m);
		sim_free(sim);
		chip_free(c);
	}
}
END_TEST

/* Run a small traced session into path; return the decisions of the last
 * classify. */
static void traced_run(const char *path, uint64_t seed, uint64_t out[2])
{
	sim_t *sim = sim_new(NULL);
	chip_params_t p;
	chip_params_default(&p);
	p.ntrace = 3;
	p.trace_col[0] = 1;
	p.trace_col[1] = 2;
	p.trace_col[2] = 3;
	chip_t *c = chip_new(sim, &p, seed, 0, "chip0", NULL, NULL);
	ck_assert_ptr_nonnull(c);
	sim_trace_t *tr = sim_trace_vcd_open(sim, path);
	ck_assert_ptr_nonnull(tr);
	ck_assert_int_eq(chip_trace(c, tr, "top.chip0"), 0);
	uint64_t w[2];
	uint8_t x[96];
	for (unsigned r = 0; r < 96; r++) {
		rand_row(1, r, w);
		chip_write_row(c, r, w);
	}
	chip_calibrate(c);
	for (unsigned v = 0; v < 5; v++) {
		rand_codes(2, v, x);
		chip_classify(c, x, true);
	}
	ck_assert_int_eq(chip_run_until_idle(c, 5000), 0);
	memcpy(out, chip_decisions(c), 2 * sizeof(uint64_t));
	sim_free(sim);
	chip_free(c);
}

static long read_file(const char *path, char **buf)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	*buf = malloc((size_t)n + 1);
	ck_assert(fread(*buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	return n;
}

START_TEST(same_seed_same_vcd)
{
	char a[64], b[64], d[64];
	snprintf(a, sizeof a, "test_chip_chip_a_%d.vcd", (int)getpid());
	snprintf(b, sizeof b, "test_chip_chip_b_%d.vcd", (int)getpid());
	snprintf(d, sizeof d, "test_chip_chip_d_%d.vcd", (int)getpid());
	uint64_t da[2], db[2], dd[2];
	traced_run(a, 77, da);
	traced_run(b, 77, db);
	traced_run(d, 78, dd);
	char *fa, *fb, *fd;
	long na = read_file(a, &fa), nb = read_file(b, &fb),
	     nd = read_file(d, &fd);
	ck_assert(na > 10000);
	ck_assert(na == nb && memcmp(fa, fb, (size_t)na) == 0);
	ck_assert(da[0] == db[0] && da[1] == db[1]);
	ck_assert(nd != na || memcmp(fa, fd, (size_t)na) != 0);
	ck_assert(da[0] != dd[0] || da[1] != dd[1]);
	/* the analog nodes are in the file as real variables */
	ck_assert_ptr_nonnull(strstr(fa, "bl_2"));
	ck_assert_ptr_nonnull(strstr(fa, "\nr1.2 "));
	free(fa);
	free(fb);
	free(fd);
	remove(a);
	remove(b);
	remove(d);
}
END_TEST

START_TEST(bad_arguments)
{
	sim_t *sim = sim_new(NULL);
	chip_params_t p;
	chip_params_default(&p);
	p.t_pre_ps = 16000; /* pre + pulse longer than a cycle */
	int err = 0;
	ck_assert_ptr_null(chip_new(sim, &p, 1, 0, "c", NULL, &err));
	ck_assert_int_eq(err, SIM_ERR_ARG);
	chip_params_default(&p);
	chip_t *c = chip_new(sim, &p, 1, 0, "c", NULL, &err);
	ck_assert_ptr_nonnull(c);
	uint8_t x[96] = { 0 };
	x[4] = 32;
	ck_assert_int_eq(chip_classify(c, x, false), SIM_ERR_ARG);
	uint64_t w[2] = { 0, 0 };
	ck_assert_int_eq(chip_write_row(c, 200, w), SIM_ERR_ARG);
	ck_assert(chip_idle(c));
	sim_free(sim);
	chip_free(c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("chip_chip");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, sram_read_after_write);
	tcase_add_test(tc, cycle_accurate_equals_transaction_level);
	tcase_add_test(tc, idle_chip_costs_nothing);
	tcase_add_test(tc, wordline_vector_any_code_width);
	tcase_add_test(tc, same_seed_same_vcd);
	tcase_add_test(tc, bad_arguments);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? 1 : 0;
}
