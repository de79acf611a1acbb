/* test_bus.c - the inter-chip bus: order, back-pressure, cycle counts. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/rng.h"
#include "system/bus.h"

typedef struct sink {
	uint8_t got[8192];
	unsigned n, vectors;
	unsigned lens[64];
	sim_time_t t_last;
	sim_t *sim;
} sink_t;

static void sink_fn(void *ctx, const uint8_t *codes, unsigned n)
{
	sink_t *s = ctx;
	memcpy(s->got + s->n, codes, n);
	s->n += n;
	s->lens[s->vectors++] = n;
	s->t_last = sim_time(s->sim);
}

/* Send vectors of the given lengths; return the sink. */
static void run_bus(double stall, unsigned nvec, const unsigned *lens,
		    sink_t *sk, bus_stats_t *st, uint8_t *sent)
{
	sim_t *sim = sim_new(NULL);
	sim_signal_t *clk = sim_clock_new(sim, "clk", 20 * SIM_NS, 50, 0, true);
	bus_params_t p;
	bus_params_default(&p);
	p.stall_prob = stall;
	p.seed = 7;
	bus_t *bus = bus_new(sim, "bus", clk, &p);
	ck_assert_ptr_nonnull(bus);
	memset(sk, 0, sizeof(*sk));
	sk->sim = sim;
	bus_set_sink(bus, sink_fn, sk);
	unsigned k = 0;
	for (unsigned v = 0; v < nvec; v++) {
		uint8_t codes[256];
		for (unsigned i = 0; i < lens[v]; i++)
			codes[i] = sent[k++] =
				(uint8_t)(rng_u64(3, RNG_STREAM_TEST, v, i, 0) &
					  31);
		ck_assert_int_eq(bus_send(bus, codes, lens[v]), SIM_OK);
	}
	for (int guard = 0; guard < 100000 && !bus_idle(bus); guard++)
		ck_assert_int_eq(sim_run(sim, 20 * SIM_NS), SIM_OK);
	ck_assert(bus_idle(bus));
	*st = *bus_stats(bus);
	bus_free(bus);
	sim_free(sim);
}

START_TEST(test_in_order_no_stalls)
{
	unsigned lens[3] = { 96, 96, 10 };
	uint8_t sent[256];
	sink_t sk;
	bus_stats_t st;
	run_bus(0.0, 3, lens, &sk, &st, sent);
	ck_assert_uint_eq(sk.n, 202);
	ck_assert_uint_eq(sk.vectors, 3);
	ck_assert_uint_eq(sk.lens[0], 96);
	ck_assert_uint_eq(sk.lens[2], 10);
	ck_assert(memcmp(sk.got, sent, 202) == 0);
	ck_assert_uint_eq(st.words, 202);
	ck_assert_uint_eq(st.stall_cycles, 0);
	/* one word per cycle: the edge at 0 presents the first word and
	 * raises ready, the edge at 20 ns transfers it, ... */
	ck_assert_uint_eq(sk.t_last, 202 * 20 * SIM_NS);
	ck_assert_double_gt(st.energy_j, 0.0);
}
END_TEST

START_TEST(test_backpressure_keeps_everything)
{
	unsigned lens[4] = { 96, 50, 96, 1 };
	uint8_t sent[512];
	sink_t sk;
	bus_stats_t st;
	run_bus(0.3, 4, lens, &sk, &st, sent);
	ck_assert_uint_eq(sk.n, 243);
	ck_assert(memcmp(sk.got, sent, 243) == 0);
	ck_assert_uint_eq(sk.lens[1], 50);
	ck_assert_uint_eq(sk.lens[3], 1);
	/* roughly 30% of cycles stall, and each stall costs exactly a cycle */
	ck_assert_uint_gt(st.stall_cycles, 50);
	ck_assert_uint_lt(st.stall_cycles, 160);
	ck_assert_uint_eq(sk.t_last, (243 + st.stall_cycles) * 20 * SIM_NS);
}
END_TEST

START_TEST(test_rejects_bad_codes)
{
	sim_t *sim = sim_new(NULL);
	sim_signal_t *clk = sim_clock_new(sim, "clk", 20 * SIM_NS, 50, 0, true);
	bus_t *bus = bus_new(sim, "bus", clk, NULL);
	uint8_t bad[3] = { 1, 32, 2 };
	ck_assert_int_eq(bus_send(bus, bad, 3), SIM_ERR_ARG);
	ck_assert_ptr_nonnull(strstr(bus_error(bus), "code 32 at word 1"));
	ck_assert_int_eq(bus_send(bus, bad, 0), SIM_ERR_ARG);
	ck_assert(bus_idle(bus));
	bus_params_t p;
	bus_params_default(&p);
	p.stall_prob = 1.5;
	ck_assert_int_eq(bus_params_check(&p), -1);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "stall_prob"));
	bus_free(bus);
	sim_free(sim);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bus");
	TCase *tc = tcase_create("handshake");
	tcase_add_test(tc, test_in_order_no_stalls);
	tcase_add_test(tc, test_backpressure_keeps_everything);
	tcase_add_test(tc, test_rejects_bad_codes);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
