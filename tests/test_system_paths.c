/* test_system_paths.c - the cycle-accurate and transaction-level systems
 * agree bit for bit; back-pressure, mapping and thresholds. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bnn/bnn.h"
#include "kernel/rng.h"
#include "system/system.h"

#define NIMG 200

static uint8_t img[NIMG * 96];

static void make_images(uint64_t tag)
{
	for (unsigned k = 0; k < NIMG * 96; k++)
		img[k] = (uint8_t)(rng_u64(tag, RNG_STREAM_TEST, k, 5, 5) & 31);
}

static sys_t *build(const sys_params_t *p, sys_level_t lv, const sys_net_t *net)
{
	int rc;
	sys_t *s = sys_new(p, lv, &rc);
	ck_assert_msg(s != NULL, "%s", imc_last_error());
	ck_assert_int_ge(sys_load_net(s, net), 0);
	ck_assert_msg(sys_calibrate(s) >= 0, "%s", sys_error(s));
	return s;
}

static void assert_same(const sys_result_t *a, const sys_result_t *b, size_t k)
{
	for (unsigned l = 0; l < SYS_NLAYER; l++) {
		ck_assert_msg(memcmp(a->dec[l], b->dec[l], sizeof a->dec[l]) ==
				      0,
			      "image %zu layer %u decisions differ", k, l);
		ck_assert_msg(a->e_chip_j[l] == b->e_chip_j[l],
			      "image %zu layer %u energy differs", k, l);
	}
	ck_assert(memcmp(a->score, b->score, sizeof a->score) == 0);
	ck_assert_uint_eq(a->pred, b->pred);
	ck_assert_uint_eq(a->bus_toggles, b->bus_toggles);
	ck_assert(a->energy_j == b->energy_j);
}

/* 200 images x 3 seeds: streamed cycle-accurate batch == TLM image by
 * image, including energies; calibration counts and cycles agree. */
START_TEST(ca_equals_tlm)
{
	static sys_result_t ra[NIMG], rb[NIMG];
	uint64_t seed = 1 + (uint64_t)_i * 17;
	sys_params_t p;
	sys_net_t net;
	sys_params_default(&p);
	p.seed = seed;
	sys_net_init(&net);
	sys_net_random(&net, seed + 100, 5);
	make_images(seed);
	sys_t *ca = build(&p, SYS_CYCLE_ACCURATE, &net);
	sys_t *tl = build(&p, SYS_TLM, &net);
	for (unsigned i = 0; i < p.nchips; i++) {
		ck_assert_uint_eq(sys_stats(ca)->calib_cycles[i],
				  sys_stats(tl)->calib_cycles[i]);
		for (unsigned c = 0; c < 128; c++)
			ck_assert_uint_eq(sys_comp_count(ca, i, c),
					  sys_comp_count(tl, i, c));
	}
	ck_assert_int_eq(sys_infer_batch(ca, NIMG - 20, img, ra), 0);
	for (size_t k = NIMG - 20; k < NIMG; k++) /* then one at a time */
		ck_assert_int_eq(sys_infer(ca, img + k * 96, &ra[k]), 0);
	unsigned pred_seen = 0;
	for (size_t k = 0; k < NIMG; k++) {
		ck_assert_int_eq(sys_tlm_infer(tl, img + k * 96, &rb[k]), 0);
		assert_same(&ra[k], &rb[k], k);
		ck_assert_uint_gt(ra[k].cycles, 0);
		ck_assert(ra[k].energy_j > 0);
		pred_seen |= 1u << ra[k].pred;
	}
	ck_assert_uint_gt(__builtin_popcount(pred_seen), 3);
	/* an image alone: through three buses of 96 words, 10 score words */
	ck_assert_uint_ge(ra[NIMG - 1].cycles, 3 * 96 + 10);
	ck_assert_uint_le(ra[NIMG - 1].cycles, 3 * 96 + 10 + 40);
	ck_assert_uint_eq(sys_stats(ca)->images, NIMG);
	ck_assert(sys_stats(ca)->energy_j == sys_stats(tl)->energy_j);
	sys_free(ca);
	sys_free(tl);
}
END_TEST

/* Back-pressure on every bus: more cycles, the same decisions. */
START_TEST(stalls_change_cycles_not_decisions)
{
	static sys_result_t ra[60], rb[60];
	sys_params_t p;
	sys_net_t net;
	sys_params_default(&p);
	sys_net_init(&net);
	sys_net_random(&net, 9, 3);
	make_images(9);
	sys_t *a = build(&p, SYS_CYCLE_ACCURATE, &net);
	p.bus.stall_prob = 0.3;
	sys_t *b = build(&p, SYS_CYCLE_ACCURATE, &net);
	ck_assert_int_eq(sys_infer_batch(a, 50, img, ra), 0);
	ck_assert_int_eq(sys_infer_batch(b, 50, img, rb), 0);
	for (size_t k = 50; k < 60; k++) {
		ck_assert_int_eq(sys_infer(a, img + k * 96, &ra[k]), 0);
		ck_assert_int_eq(sys_infer(b, img + k * 96, &rb[k]), 0);
	}
	for (size_t k = 0; k < 60; k++)
		assert_same(&ra[k], &rb[k], k);
	ck_assert_uint_gt(sys_stats(b)->stall_cycles, 100);
	ck_assert_uint_eq(sys_stats(a)->stall_cycles, 0);
	ck_assert_uint_gt(sys_stats(b)->infer_cycles,
			  sys_stats(a)->infer_cycles + 100);
	ck_assert_uint_gt(rb[59].cycles, ra[59].cycles);
	sys_free(a);
	sys_free(b);
}
END_TEST

/* Layers on chips 1, 2, 3 (chip 0 idle): both levels agree, and the
 * decisions are those of other chips (different mismatch). */
START_TEST(mapping_change)
{
	static sys_result_t ra[40], rb[40], rc0[40];
	sys_params_t p;
	sys_net_t net;
	sys_params_default(&p);
	sys_net_init(&net);
	sys_net_random(&net, 21, 2);
	make_images(21);
	sys_t *def = build(&p, SYS_TLM, &net);
	for (unsigned l = 0; l < SYS_NLAYER; l++)
		p.layer_chip[l] = l + 1;
	sys_t *a = build(&p, SYS_CYCLE_ACCURATE, &net);
	sys_t *b = build(&p, SYS_TLM, &net);
	ck_assert_int_eq(sys_infer_batch(a, 40, img, ra), 0);
	ck_assert_int_eq(sys_infer_batch(b, 40, img, rb), 0);
	ck_assert_int_eq(sys_infer_batch(def, 40, img, rc0), 0);
	unsigned differ = 0;
	for (size_t k = 0; k < 40; k++) {
		assert_same(&ra[k], &rb[k], k);
		differ += memcmp(ra[k].dec, rc0[k].dec, sizeof ra[k].dec) != 0;
	}
	ck_assert_uint_gt(differ, 0);
	/* chip 0 is idle: one calibration's 5 compares and nothing else */
	ck_assert_uint_eq(chip_macro(sys_chip(a, 0))->op, 5);
	ck_assert_uint_eq(chip_macro(sys_chip(a, 3))->op, 5 + 40);
	sys_free(a);
	sys_free(b);
	sys_free(def);
}
END_TEST

/* Thresholds beyond the compensation range are clamped and counted; the
 * range is reported; a large shift drives its column to +1 / -1. */
START_TEST(threshold_saturation)
{
	sys_params_t p;
	sys_net_t net;
	sys_params_default(&p);
	sys_net_init(&net);
	sys_net_random(&net, 4, 0);
	sys_t *s = sys_new(&p, SYS_TLM, NULL);
	ck_assert_ptr_nonnull(s);
	int lo, hi;
	ck_assert_int_eq(sys_thr_range(s, 0, 0, &lo, &hi), SYS_ESTATE);
	ck_assert_int_eq(sys_load_net(s, &net), 0);
	ck_assert_int_eq(sys_calibrate(s), 0);
	ck_assert_int_eq(sys_thr_range(s, 1, 5, &lo, &hi), 0);
	unsigned n5 = sys_comp_count(s, 1, 5);
	ck_assert_int_eq(lo, -(int)n5);
	ck_assert_int_eq(hi, 32 - (int)n5);
	net.layer[1].thr[5] = (int16_t)(hi + 3); /* saturates high */
	net.layer[1].thr[6] = -40;		 /* saturates low */
	int lo7, hi7;
	ck_assert_int_eq(sys_thr_range(s, 1, 7, &lo7, &hi7), 0);
	net.layer[1].thr[7] = (int16_t)hi7; /* exactly at the edge */
	net.layer[1].thr[8] = (int16_t)lo;  /* inside for most columns */
	ck_assert_int_eq(sys_thr_range(s, 1, 8, &lo7, &hi7), 0);
	net.layer[1].thr[8] = (int16_t)lo7; /* exactly at the edge */
	net.layer[2].thr[0] = 100;
	int nsat = sys_load_net(s, &net);
	ck_assert_msg(nsat == 3, "%d saturated: %u %u %u", nsat,
		      sys_stats(s)->comp_saturated[0],
		      sys_stats(s)->comp_saturated[1],
		      sys_stats(s)->comp_saturated[2]);
	ck_assert_uint_eq(sys_stats(s)->comp_saturated[0], 0);
	ck_assert_uint_eq(sys_stats(s)->comp_saturated[1], 2);
	ck_assert_uint_eq(sys_stats(s)->comp_saturated[2], 1);
	/* column 5 has all 32 cells at 1 now */
	uint64_t row[2];
	unsigned chip = p.layer_chip[1];
	for (unsigned r = 0; r < 32; r++) {
		ck_assert_int_eq(
			macro_read_row(sys_macro(s, chip), 96 + r, row), 0);
		ck_assert(row[0] >> 5 & 1);
		ck_assert(!(row[0] >> 6 & 1));
	}
	/* with zero inputs a full shift decides +1, a full negative one -1 */
	uint8_t zero[96] = { 0 };
	uint64_t dec[SYS_NWORD];
	ck_assert_int_eq(sys_tlm_layer(s, 1, zero, dec, NULL), 0);
	ck_assert(dec[0] >> 5 & 1);
	ck_assert(!(dec[0] >> 6 & 1));
	sys_free(s);
}
END_TEST

/* sys_deploy() of a trained net = the host flow by hand with the hidden
 * layers' normalizers at the net's code range and the operating points
 * set before calibrating; without calibration every
 * count is nrow/2; a malformed net is refused with a message. */
START_TEST(deploy_is_the_host_flow)
{
	struct bnn_hw hw;
	bnn_hw_defaults(&hw);
	hw.code_lo = 3;
	hw.code_hi = 28;
	static struct bnn_net bn;
	bnn_net_init(&bn, &hw, NULL);
	for (unsigned l = 0; l < BNN_N_LAYERS; l++) {
		struct bnn_layer *L = &bn.layer[l];
		for (unsigned k = 0; k < L->n_in * L->n_out; k++)
			L->w[k] = rng_u64(77, RNG_STREAM_TEST, l, k, 0) & 1
					  ? 1
					  : -1;
		for (unsigned j = 0; j < L->n_out; j++)
			L->bias_steps[j] =
				(int16_t)(rng_u64(78, RNG_STREAM_TEST, l, j,
						  0) %
					  9) -
				4;
	}
	sys_params_t p;
	sys_params_default(&p);
	p.seed = 5;
	unsigned sat = 99;
	sys_t *a = sys_deploy(&p, SYS_TLM, &bn, 1, &sat);
	ck_assert_msg(a != NULL, "%s", imc_last_error());
	ck_assert_uint_lt(sat, 99);
	for (unsigned l = 0; l + 1 < SYS_NLAYER; l++) {
		ck_assert_uint_eq(sys_params(a)->norm[l].lo[0], 3);
		ck_assert_uint_eq(sys_params(a)->norm[l].hi[95], 28);
	}
	sys_params_t q = p;
	normalizer_params_uniform(&q.norm[0], 3, 28);
	normalizer_params_uniform(&q.norm[1], 3, 28);
	sys_net_t sn;
	ck_assert_int_eq(sys_net_from_bnn(&bn, &sn), 0);
	/* the hand flow, with the data-free operating points sys_deploy()
	 * sets before calibrating */
	int brc;
	sys_t *b = sys_new(&q, SYS_TLM, &brc);
	ck_assert_msg(b != NULL, "%s", imc_last_error());
	ck_assert_int_ge(sys_load_net(b, &sn), 0);
	ck_assert_int_eq(sys_set_operating_points(b, &bn, 0, NULL), 0);
	ck_assert_uint_gt(sys_macro(b, 1)->cal_pre, 0);
	ck_assert_uint_eq(sys_macro(b, 0)->cal_pre, 0); /* no data: idle */
	ck_assert_msg(sys_calibrate(b) >= 0, "%s", sys_error(b));
	make_images(9);
	for (size_t k = 0; k < 50; k++) {
		sys_result_t ra, rb;
		ck_assert_int_eq(sys_tlm_infer(a, img + k * 96, &ra), 0);
		ck_assert_int_eq(sys_tlm_infer(b, img + k * 96, &rb), 0);
		assert_same(&ra, &rb, k);
	}
	sys_free(b);
	sys_free(a);

	/* with data, layer 0's chip calibrates where its lines run too */
	a = sys_deploy_data(&p, SYS_TLM, &bn, 1, 50, img, NULL);
	ck_assert_msg(a != NULL, "%s", imc_last_error());
	ck_assert_uint_gt(sys_macro(a, 0)->cal_pre, 0);
	ck_assert(sys_cm_low(a, 0) == sys_macro(a, 0)->n_cm_low);
	ck_assert(sys_cm_low(a, 7) == 0);
	sys_free(a);

	a = sys_deploy(&p, SYS_TLM, &bn, 0, NULL);
	ck_assert_msg(a != NULL, "%s", imc_last_error());
	for (unsigned c = 0; c < 128; c++)
		ck_assert_uint_eq(sys_comp_count(a, 0, c), 16);
	sys_free(a);

	bn.layer[1].w[7] = 0;
	ck_assert_ptr_null(sys_deploy(&p, SYS_TLM, &bn, 1, NULL));
	ck_assert_msg(strlen(imc_last_error()) > 0, "no message");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("system_paths");
	TCase *tc = tcase_create("paths");
	tcase_add_loop_test(tc, ca_equals_tlm, 0, 3);
	tcase_add_test(tc, stalls_change_cycles_not_decisions);
	tcase_add_test(tc, mapping_change);
	tcase_add_test(tc, threshold_saturation);
	tcase_add_test(tc, deploy_is_the_host_flow);
	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
