/* test_system_params.c - parameter validation, host-flow errors, the bnn
 * network and evaluator adapters, and the whole-system trace. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bnn/bnn.h"
#include "kernel/rng.h"
#include "system/system.h"

static void expect_bad(const sys_params_t *p, const char *needle)
{
	int rc = 0;
	ck_assert_int_eq(sys_params_check(p), SYS_EARG);
	ck_assert_msg(strstr(imc_last_error(), needle) != NULL,
		      "message '%s' lacks '%s'", imc_last_error(), needle);
	ck_assert_ptr_null(sys_new(p, SYS_TLM, &rc));
	ck_assert_int_eq(rc, SYS_EARG);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), needle));
}

START_TEST(bad_params_rejected)
{
	sys_params_t p, d;
	sys_params_default(&d);
	ck_assert_int_eq(sys_params_check(&d), 0);
	p = d;
	p.layer_chip[2] = 1;
	expect_bad(&p, "layers 1 and 2 both mapped to chip 1");
	p = d;
	p.layer_chip[0] = 4;
	expect_bad(&p, "layer 0 mapped to chip 4, out of range");
	p = d;
	p.nchips = 2;
	expect_bad(&p, "system.nchips = 2 is outside [3, 8]");
	p = d;
	p.nchips = 9;
	expect_bad(&p, "system.nchips = 9 is outside [3, 8]");
	p = d;
	p.readout.nclass = 12;
	p.readout.cols_per_class = 11;
	expect_bad(&p, "132 columns");
	p = d;
	p.norm[1].hi[7] = 40;
	expect_bad(&p, "after layer 1: normalizer: neuron 7");
	p = d;
	p.bus.stall_prob = 1.5;
	expect_bad(&p, "stall_prob");
	p = d;
	p.chip.macro.ncol = 256;
	expect_bad(&p, "256 columns");
	p = d;
	p.chip.t_pre_ps = p.chip.period_ps;
	expect_bad(&p, "must be shorter than chip.period_ps");
	p = d;
	p.chip.macro.wldac.bits = 4;
	expect_bad(&p, "5-bit");
	int rc;
	ck_assert_ptr_null(sys_new(&d, (sys_level_t)7, &rc));
	ck_assert_int_eq(rc, SYS_EARG);
}
END_TEST

START_TEST(host_flow_errors)
{
	sys_params_t p;
	sys_net_t net;
	sys_result_t r;
	uint8_t x[96] = { 0 };
	sys_params_default(&p);
	sys_net_init(&net);
	for (int lv = 0; lv < 2; lv++) {
		sys_t *s = sys_new(&p, (sys_level_t)lv, NULL);
		ck_assert_ptr_nonnull(s);
		ck_assert_int_eq(sys_infer(s, x, &r), SYS_ESTATE);
		ck_assert_ptr_nonnull(strstr(sys_error(s), "no weights"));
		ck_assert_int_eq(sys_load_net(s, &net), 0);
		ck_assert_int_eq(sys_infer(s, x, &r), SYS_ESTATE);
		ck_assert_ptr_nonnull(strstr(sys_error(s), "not calibrated"));
		ck_assert_int_eq(sys_calibrate(s), 0);
		ck_assert_int_eq(sys_infer(s, x, &r), 0);
		x[3] = 32;
		ck_assert_int_lt(sys_infer(s, x, &r), 0);
		x[3] = 0;
		/* malformed nets */
		sys_net_t bad = net;
		bad.layer[1].n_in = 95;
		ck_assert_int_eq(sys_load_net(s, &bad), SYS_EARG);
		ck_assert_ptr_nonnull(strstr(sys_error(s), "layer 1 has 95"));
		bad = net;
		bad.layer[2].w[3][1] = UINT64_C(1) << 40; /* column 104 */
		ck_assert_int_eq(sys_load_net(s, &bad), SYS_EARG);
		bad = net;
		bad.layer[2].n_out = 96;
		bad.layer[2].n_in = 96;
		ck_assert_int_eq(sys_load_net(s, &bad), SYS_EARG);
		ck_assert_ptr_nonnull(strstr(sys_error(s), "readout"));
		if (lv == SYS_CYCLE_ACCURATE) {
			ck_assert_int_eq(sys_tlm_infer(s, x, &r), SYS_ESTATE);
			ck_assert_int_eq(sys_trace_open(s, "/tmp/x.vcd"),
					 SYS_ESTATE);
		}
		sys_free(s);
	}
}
END_TEST

/* A deployed bnn net converts bit for bit; the chip-in-the-loop evaluator
 * gives the decisions of sys_tlm_infer on the same codes. */
START_TEST(bnn_adapter)
{
	struct bnn_hw hw;
	struct bnn_preproc_params pre;
	memset(&pre, 0, sizeof pre);
	bnn_hw_defaults(&hw);
	static struct bnn_net bn;
	bnn_net_init(&bn, &hw, &pre);
	for (unsigned l = 0; l < 3; l++) {
		struct bnn_layer *L = &bn.layer[l];
		for (unsigned j = 0; j < L->n_out; j++) {
			for (unsigned i = 0; i < L->n_in; i++)
				L->w[j * L->n_in + i] =
					rng_u64(2, RNG_STREAM_TEST, l, i, j) & 1
						? 1
						: -1;
			L->bias_steps[j] = (int16_t)((int)(j % 7) - 3);
		}
		L->version++;
	}
	sys_net_t net;
	ck_assert_int_eq(sys_net_from_bnn(&bn, &net), 0);
	for (unsigned l = 0; l < 3; l++)
		for (unsigned j = 0; j < bn.layer[l].n_out; j++) {
			ck_assert_int_eq(net.layer[l].thr[j],
					 bn.layer[l].bias_steps[j]);
			for (unsigned i = 0; i < bn.layer[l].n_in; i += 7)
				ck_assert_int_eq(
					sys_net_weight(&net, l, i, j),
					bn.layer[l].w[j * bn.layer[l].n_in + i]);
		}
	sys_params_t p;
	sys_params_default(&p);
	sys_t *a = sys_new(&p, SYS_TLM, NULL);
	sys_t *b = sys_new(&p, SYS_TLM, NULL);
	ck_assert_int_eq(sys_load_net(a, &net), 0);
	ck_assert_int_eq(sys_calibrate(a), 0);
	ck_assert_int_eq(sys_calibrate(b), 0);
	struct bnn_evaluator ev;
	ck_assert_int_eq(sys_bnn_evaluator(b, &ev), 0);
	enum { N = 8 };
	uint8_t x[N * 96], codes[N * 96];
	int8_t out[N * 96];
	sys_result_t r[N];
	for (unsigned k = 0; k < N * 96; k++)
		x[k] = (uint8_t)(rng_u64(3, RNG_STREAM_TEST, k, 0, 0) & 31);
	for (unsigned k = 0; k < N; k++)
		ck_assert_int_eq(sys_tlm_infer(a, x + k * 96, &r[k]), 0);
	memcpy(codes, x, sizeof codes);
	for (unsigned l = 0; l < 3; l++) {
		const struct bnn_layer *L = &bn.layer[l];
		ck_assert_int_eq(ev.eval(ev.ctx, l, L, &hw, N, codes, out), 0);
		for (unsigned k = 0; k < N; k++)
			for (unsigned j = 0; j < L->n_out; j++)
				ck_assert_int_eq(out[k * L->n_out + j],
						 (r[k].dec[l][j / 64] >>
						  (j % 64)) & 1
							 ? 1
							 : -1);
		bnn_act_to_codes(&hw, (size_t)N * L->n_out, out, codes);
	}
	sys_free(a);
	sys_free(b);
}
END_TEST

static bool contains(const char *buf, long n, const char *needle)
{
	size_t k = strlen(needle);
	for (long i = 0; i + (long)k <= n; i++)
		if (memcmp(buf + i, needle, k) == 0)
			return true;
	return false;
}

static long file_bytes(const char *path, char **buf)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	*buf = malloc((size_t)n);
	ck_assert_int_eq((long)fread(*buf, 1, (size_t)n, f), n);
	fclose(f);
	return n;
}

/* sys_trace_one writes a VCD with the buses, chips and analog nodes, the
 * same bytes for the same seed, and the result of the untraced system. */
START_TEST(trace_one_inference)
{
	sys_params_t p;
	sys_net_t net;
	sys_result_t r, q;
	uint8_t x[96];
	char pa[64], pb[64];
	snprintf(pa, sizeof pa, "/tmp/test_system_%d_a.vcd", (int)getpid());
	snprintf(pb, sizeof pb, "/tmp/test_system_%d_b.vcd", (int)getpid());
	sys_params_default(&p);
	sys_net_init(&net);
	sys_net_random(&net, 5, 3);
	for (unsigned i = 0; i < 96; i++)
		x[i] = (uint8_t)(i * 7 % 32);
	ck_assert_int_eq(sys_trace_one(&p, &net, x, 2, pa, &r), 0);
	ck_assert_int_eq(sys_trace_one(&p, &net, x, 2, pb, NULL), 0);
	char *a, *b;
	long na = file_bytes(pa, &a), nb = file_bytes(pb, &b);
	ck_assert(na == nb && memcmp(a, b, (size_t)na) == 0);
	const char *want[] = { "bus0",	 "bus3", "eov",	 "chip2",
			       "analog", "bl_1", "calib" };
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
		ck_assert_msg(contains(a, na, want[k]), "%s missing", want[k]);
	free(a);
	free(b);
	remove(pa);
	remove(pb);
	sys_t *s = sys_new(&p, SYS_TLM, NULL);
	ck_assert_int_eq(sys_load_net(s, &net), 0);
	ck_assert_int_eq(sys_calibrate(s), 0);
	ck_assert_int_eq(sys_tlm_infer(s, x, &q), 0);
	ck_assert(memcmp(q.dec, r.dec, sizeof q.dec) == 0);
	ck_assert(q.energy_j == r.energy_j);
	sys_free(s);
	ck_assert_int_lt(
		sys_trace_one(&p, &net, x, 2, "/nonexistent/x.vcd", NULL), 0);
	ck_assert_int_lt(sys_trace_one(&p, &net, x, 99, pa, NULL), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("system_params");
	TCase *tc = tcase_create("params");
	tcase_add_test(tc, bad_params_rejected);
	tcase_add_test(tc, host_flow_errors);
	tcase_add_test(tc, bnn_adapter);
	tcase_add_test(tc, trace_one_inference);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
