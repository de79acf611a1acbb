/* test_params.c - the parameter registry: every declared parameter is
 * accepted at both ends of its range and refused just outside, by name;
 * derived values follow their sources (VDD -> energy); the chip's shape
 * (columns, data rows, compensation rows, DAC bits, chips) works at both
 * ends of its limits, and a network that does not fit is refused naming
 * the limit. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bnn/train.h"
#include "imc_err.h"
#include "chip/chip.h"
#include "chip/macro.h"
#include "system/system.h"

/* Every block with its own struct, as the CLI table composes them. */
typedef struct {
	const imc_param_block_t *b;
	size_t size;
} block_t;

static const block_t *blocks(size_t *n)
{
	static const block_t all[] = {
		{ &wldac_param_block, sizeof(wldac_params_t) },
		{ &array_param_block, sizeof(array_params_t) },
		{ &bitline_param_block, sizeof(bitline_params_t) },
		{ &comparator_param_block, sizeof(comparator_params_t) },
		{ &comprow_param_block, sizeof(comprow_params_t) },
		{ &energy_param_block, sizeof(energy_params_t) },
		{ &macro_param_block, sizeof(macro_params_t) },
		{ &chip_param_block, sizeof(chip_params_t) },
		{ &bus_param_block, sizeof(bus_params_t) },
		{ &sys_param_block, sizeof(sys_params_t) },
		{ &bnn_train_param_block, sizeof(struct bnn_train_params) },
	};
	*n = sizeof(all) / sizeof(all[0]);
	return all;
}

static void set(const imc_param_t *p, void *base, double v)
{
	char *f = (char *)base + p->offset;
	if (p->type == IMC_PARAM_DOUBLE)
		*(double *)f = v;
	else if (p->type == IMC_PARAM_UINT)
		*(unsigned *)f = (unsigned)v;
	else
		*(uint64_t *)f = (uint64_t)v;
}

START_TEST(every_parameter_at_both_ends)
{
	size_t nb;
	const block_t *bl = blocks(&nb);
	unsigned checked = 0;
	for (size_t k = 0; k < nb; k++) {
		const imc_param_block_t *b = bl[k].b;
		void *base = calloc(1, bl[k].size);
		imc_param_defaults(b, base);
		ck_assert_msg(imc_param_check(b, base) == NULL,
			      "%s: defaults out of range", b->section);
		for (size_t i = 0; i < b->n; i++) {
			const imc_param_t *p = &b->params[i];
			ck_assert_msg(p->min <= p->def && p->def <= p->max,
				      "%s.%s default", b->section, p->name);
			ck_assert_msg(*p->help && *p->source,
				      "%s.%s lacks meaning or source",
				      b->section, p->name);
			imc_param_defaults(b, base);
			set(p, base, p->min);
			ck_assert_ptr_null(imc_param_check(b, base));
			set(p, base, p->max);
			ck_assert_ptr_null(imc_param_check(b, base));
			/* just outside: the next representable step */
			double below =
				p->type == IMC_PARAM_DOUBLE
					? p->min - fmax(fabs(p->min), 1) * 1e-9
					: p->min - 1;
			if (below >= 0 || p->type == IMC_PARAM_DOUBLE) {
				imc_param_defaults(b, base);
				set(p, base, below);
				ck_assert_ptr_eq(imc_param_check(b, base), p);
				ck_assert_int_eq(imc_param_check_msg(b, base),
						 IMC_EINVAL);
				char want[96];
				snprintf(want, sizeof(want),
					 "%s.%s = ", b->section, p->name);
				ck_assert_msg(strstr(imc_last_error(), want),
					      "'%s'", imc_last_error());
			}
			double above = p->type == IMC_PARAM_DOUBLE
					       ? p->max + fabs(p->max) * 1e-9
					       : p->max + 1;
			if (p->type != IMC_PARAM_U64 ||
			    p->max < 18446744073709551615.0) {
				imc_param_defaults(b, base);
				set(p, base, above);
				ck_assert_ptr_eq(imc_param_check(b, base), p);
			}
			checked++;
		}
		if (b->n && b->params[0].type == IMC_PARAM_DOUBLE) {
			imc_param_defaults(b, base);
			set(&b->params[0], base, NAN);
			ck_assert_ptr_eq(imc_param_check(b, base),
					 &b->params[0]);
		}
		free(base);
	}
	ck_assert_uint_ge(checked, 40);
}
END_TEST

/* One compare of all-zero codes at the given supply: the energy follows
 * bitline.v_pre_v (the one VDD), write energy C_BL VDD^2 included (C_BL
 * = 128 rows x 1 fF + 25 fF, from the column height). */
static void energy_at(double vdd, double *restore, double *write)
{
	macro_params_t p;
	macro_t m;
	macro_params_default(&p);
	p.bl.v_pre_v = vdd;
	ck_assert_int_eq(macro_init(&m, &p, 1, 0), 0);
	uint8_t codes[96];
	memset(codes, 20, sizeof(codes));
	uint64_t dec[2], row[2] = { 0, 0 };
	ck_assert_int_eq(macro_compare(&m, codes, true, dec), 0);
	ck_assert_int_eq(macro_write_row(&m, 0, row), 0);
	*restore = m.energy.restore_j;
	*write = m.energy.write_j;
	macro_free(&m);
}

START_TEST(vdd_drives_the_energy)
{
	double r12, w12, r10, w10;
	energy_at(1.2, &r12, &w12);
	energy_at(1.0, &r10, &w10);
	ck_assert(r10 < r12 && r10 > 0);
	ck_assert(fabs(w12 - 128 * 153e-15 * 1.2 * 1.2) < 1e-18);
	ck_assert(fabs(w10 - 128 * 153e-15 * 1.0 * 1.0) < 1e-18);
}
END_TEST

START_TEST(comp_step_is_derived)
{
	sys_params_t p;
	sys_params_default(&p);
	ck_assert_uint_eq(sys_comp_step_codes(&p), 4);
	p.chip.macro.comp.i_comp_a = 3 * p.chip.macro.wldac.i_fs_a / 31;
	ck_assert_uint_eq(sys_comp_step_codes(&p), 6);
	p.chip.macro.wldac.bits = 6; /* LSB halves: the step doubles */
	ck_assert_uint_eq(sys_comp_step_codes(&p), 12);
}
END_TEST

/* A macro of the given shape compares and calibrates: every column's count
 * moves off the start and stays inside 0..nrow. */
static void shape_works(unsigned ncol, unsigned ndata, unsigned ncomp,
			unsigned bits)
{
	macro_params_t p;
	macro_t m;
	macro_params_default(&p);
	p.ncol = ncol;
	p.ndata = ndata;
	p.comp.nrow = ncomp;
	p.wldac.bits = bits;
	p.cmp.offset_sigma_v = 0.05; /* large: every column must move */
	ck_assert_int_eq(macro_params_check(&p), 0);
	ck_assert_int_eq(macro_init(&m, &p, 3, 0), 0);
	uint8_t *codes = calloc(ndata, 1);
	uint64_t *dec = calloc((ncol + 63) / 64, sizeof(uint64_t));
	for (unsigned r = 0; r < ndata; r++)
		codes[r] = (uint8_t)(r % (wldac_code_max(&p.wldac) + 1));
	ck_assert_int_eq(macro_compare(&m, codes, false, dec), 0);
	calib_t cal;
	uint64_t cycles = 0;
	ck_assert_int_eq(macro_calibrate(&m, 2, &cal, &cycles), 0);
	unsigned moved = 0;
	for (unsigned c = 0; c < ncol; c++) {
		ck_assert_uint_le(cal.n[c], ncomp);
		moved += cal.n[c] != ncomp / 2;
	}
	ck_assert_uint_gt(moved, 0);
	ck_assert_uint_gt(cycles, 0);
	free(codes);
	free(dec);
	macro_free(&m);
}

START_TEST(shape_limits_both_ends)
{
	shape_works(1, 96, 32, 5);
	shape_works(CALIB_MAX_COL, 96, 32, 5);
	shape_works(128, 1, 32, 5);
	shape_works(128, MACRO_MAX_DATA, 32, 5);
	shape_works(128, 96, 4, 5);
	shape_works(128, 96, CALIB_MAX_ROW, 5);
	shape_works(128, 96, 32, 1);
	shape_works(128, 96, 32, 8);
	/* just outside: refused, naming the parameter */
	macro_params_t p;
	macro_params_default(&p);
	p.ncol = CALIB_MAX_COL + 1;
	ck_assert_int_eq(macro_params_problem(&p), IMC_EINVAL);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "macro.ncol = 1025"));
	macro_params_default(&p);
	p.comp.nrow = 48;
	ck_assert_int_eq(macro_params_problem(&p), IMC_EINVAL);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "comp.nrow"));
	macro_params_default(&p);
	p.wldac.bits = 9;
	ck_assert_int_eq(macro_params_problem(&p), IMC_EINVAL);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "wldac.bits = 9"));
}
END_TEST

START_TEST(chips_both_ends)
{
	sys_params_t p;
	sys_params_default(&p);
	for (unsigned n = SYS_NLAYER; n <= SYS_MAX_CHIPS;
	     n += SYS_MAX_CHIPS - SYS_NLAYER) {
		p.nchips = n;
		int rc = 0;
		sys_t *s = sys_new(&p, SYS_TLM, &rc);
		ck_assert_msg(s != NULL, "%u chips: %s", n, imc_last_error());
		sys_free(s);
	}
	p.nchips = SYS_MAX_CHIPS + 1;
	ck_assert_int_eq(sys_params_check(&p), SYS_EARG);
	ck_assert_ptr_nonnull(strstr(imc_last_error(), "system.nchips = 9"));
}
END_TEST

/* The default 96-96-96-90 network on chips of 64 data rows: refused at
 * load, the message naming macro.ndata; on 128 rows it loads. */
START_TEST(network_must_fit)
{
	sys_params_t p;
	sys_net_t net;
	sys_params_default(&p);
	sys_net_init(&net);
	sys_net_random(&net, 5, 0);
	for (int k = 0; k < 2; k++) {
		p.chip.macro.ndata = k ? 128 : 64;
		int rc = 0;
		sys_t *s = sys_new(&p, SYS_TLM, &rc);
		ck_assert_ptr_nonnull(s);
		rc = sys_load_net(s, &net);
		if (k) {
			ck_assert_int_eq(rc, 0);
		} else {
			ck_assert_int_eq(rc, SYS_EARG);
			ck_assert_ptr_nonnull(
				strstr(sys_error(s), "macro.ndata = 64"));
		}
		sys_free(s);
	}
}
END_TEST

/* One error convention: every code is distinct, named, and each module's
 * names are aliases of it (-1 means one thing only). */
START_TEST(one_error_convention)
{
	const char *seen[32] = { 0 };
	for (int c = 0; c >= IMC_ELABEL; c--) {
		const char *s = imc_strerror(c);
		ck_assert_str_ne(s, "unknown error");
		for (int k = 0; k < -c; k++)
			ck_assert_str_ne(seen[k], s);
		seen[-c] = s;
	}
	ck_assert_str_eq(imc_strerror(IMC_ELABEL - 1), "unknown error");
	ck_assert_int_eq(SYS_EARG, IMC_EINVAL);
	ck_assert_int_eq(BNN_EARG, IMC_EINVAL);
	ck_assert_int_eq(SIM_ERR_ARG, IMC_EINVAL);
	ck_assert_int_ne(SYS_ETIME, SIM_ERR_TIME); /* timeout vs backwards */
	ck_assert_int_ne(SYS_ESIM, SIM_ERR_NOMEM);
	ck_assert_int_eq(SYS_ENOMEM, SIM_ERR_NOMEM);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("params");
	TCase *tc = tcase_create("registry");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_parameter_at_both_ends);
	tcase_add_test(tc, vdd_drives_the_energy);
	tcase_add_test(tc, comp_step_is_derived);
	tcase_add_test(tc, shape_limits_both_ends);
	tcase_add_test(tc, chips_both_ends);
	tcase_add_test(tc, network_must_fit);
	tcase_add_test(tc, one_error_convention);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
