/* settings.c - defaults, the parameter table and validation of a job. */
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef IMCSIM_DATA_DIR
#define IMCSIM_DATA_DIR "data/cache"
#endif

void config_defaults(imcsim_config_t *c)
{
	memset(c, 0, sizeof(*c));
	sys_params_default(&c->sys);
	bnn_hw_defaults(&c->hw);
	bnn_train_defaults(&c->train);
	c->norm_target = BNN_NORM_TARGET_DEFAULT;
	c->chip_seeds = 3;
	c->cil_epochs = 4;
	c->cil_lr = 0.002;
	c->analog_cols = 4;
	const char *env = getenv("IMCSIM_MNIST_DIR");
	snprintf(c->data_dir, sizeof(c->data_dir), "%s",
		 env && *env ? env : IMCSIM_DATA_DIR);
}

#define F(path) offsetof(imcsim_config_t, path)
#define D PARAM_DOUBLE
#define U PARAM_UINT
#define Q PARAM_U64

static const param_def_t defs[] = {
	/* analog blocks (doc/model-reference.md) */
	{ "wldac", "i_fs_a", D, F(sys.chip.macro.wldac.i_fs_a), 1e-9, 1e-3, "A",
	  "full-scale bitcell current" },
	{ "wldac", "gain_sigma", D, F(sys.chip.macro.wldac.gain_sigma), 0, 0.5,
	  "", "row gain error sigma" },
	{ "wldac", "compress", D, F(sys.chip.macro.wldac.compress), 0, 0.5, "",
	  "WLDAC compression a of g(x)" },
	{ "array", "sig_vt_v", D, F(sys.chip.macro.array.sig_vt_v), 0, 0.2, "V",
	  "bitcell threshold-voltage mismatch sigma" },
	{ "array", "v_ov_fs_v", D, F(sys.chip.macro.array.v_ov_fs_v), 0.01, 2,
	  "V", "wordline overdrive at full scale" },
	{ "bitline", "c_bl_f", D, F(sys.chip.macro.bl.c_bl_f), 1e-15, 1e-11,
	  "F", "bitline capacitance" },
	{ "bitline", "v_pre_v", D, F(sys.chip.macro.bl.v_pre_v), 0.3, 5, "V",
	  "precharge level (VDD)" },
	{ "bitline", "v_k_v", D, F(sys.chip.macro.bl.v_k_v), 0.01, 5, "V",
	  "discharge knee V_k of h(V)" },
	{ "bitline", "t_wl_ps", Q, F(sys.chip.macro.bl.t_wl_ps), 1, 1e9, "ps",
	  "wordline pulse width" },
	{ "comparator", "offset_sigma_v", D,
	  F(sys.chip.macro.cmp.offset_sigma_v), 0, 0.5, "V",
	  "static offset sigma" },
	{ "comparator", "bc_sigma", D, F(sys.chip.macro.cmp.bc_sigma), 0, 1, "",
	  "common-mode coefficient sigma" },
	{ "comparator", "v_cm_ref_v", D, F(sys.chip.macro.cmp.v_cm_ref_v), 0, 5,
	  "V", "common mode without common-mode error" },
	{ "comparator", "noise_sigma_v", D, F(sys.chip.macro.cmp.noise_sigma_v),
	  0, 0.5, "V", "per-decision noise sigma" },
	{ "comp", "i_comp_a", D, F(sys.chip.macro.comp.i_comp_a), 0, 1e-3, "A",
	  "compensation cell current" },
	{ "comp", "mismatch_scale", D, F(sys.chip.macro.comp.mismatch_scale), 0,
	  10, "", "compensation cells' mismatch relative to data cells" },
	{ "energy", "e_wl_row_j", D, F(sys.chip.macro.energy.e_wl_row_j), 0,
	  1e-9, "J", "per active wordline per compare" },
	{ "energy", "e_cmp_j", D, F(sys.chip.macro.energy.e_cmp_j), 0, 1e-9,
	  "J", "per comparator decision" },
	{ "energy", "e_write_col_j", D, F(sys.chip.macro.energy.e_write_col_j),
	  0, 1e-9, "J", "per column of a row write" },
	{ "energy", "e_read_col_j", D, F(sys.chip.macro.energy.e_read_col_j), 0,
	  1e-9, "J", "per column of a row read" },
	/* clocked chip and system */
	{ "chip", "period_ps", Q, F(sys.chip.period_ps), 1000, 1e9, "ps",
	  "chip clock period" },
	{ "chip", "t_pre_ps", Q, F(sys.chip.t_pre_ps), 1, 1e9, "ps",
	  "precharge phase after the clock edge" },
	{ "chip", "t_sample_ps", Q, F(sys.chip.t_sample_ps), 10, 1e9, "ps",
	  "analog sampling period when tracing" },
	{ "bus", "stall_prob", D, F(sys.bus.stall_prob), 0, 0.99, "",
	  "receiver back-pressure probability per cycle" },
	{ "bus", "e_bit_j", D, F(sys.bus.e_bit_j), 0, 1e-9, "J",
	  "per bus line toggle" },
	{ "system", "seed", Q, F(sys.seed), 0, 1.8e19, "",
	  "first chip seed (chips' random draws)" },
	{ "system", "layer0_chip", U, F(sys.layer_chip[0]), 0,
	  SYS_MAX_CHIPS - 1, "", "chip of layer 0" },
	{ "system", "layer1_chip", U, F(sys.layer_chip[1]), 0,
	  SYS_MAX_CHIPS - 1, "", "chip of layer 1" },
	{ "system", "layer2_chip", U, F(sys.layer_chip[2]), 0,
	  SYS_MAX_CHIPS - 1, "", "chip of the output layer" },
	{ "system", "chip_seeds", U, F(chip_seeds), 1, 64, "",
	  "chip seeds each chip result is averaged over" },
	/* training */
	{ "train", "seed", Q, F(train.seed), 0, 1.8e19, "",
	  "weight initialization and shuffling seed" },
	{ "train", "epochs", U, F(train.epochs), 1, 1000, "",
	  "software epochs" },
	{ "train", "batch", U, F(train.batch), 1, 10000, "",
	  "images per step" },
	{ "train", "lr_start", D, F(train.lr_start), 1e-6, 1, "",
	  "ADAM step size, first epoch" },
	{ "train", "lr_end", D, F(train.lr_end), 1e-7, 1, "",
	  "ADAM step size, last epoch" },
	{ "train", "norm_target", U, F(norm_target), 1, 96 * 31, "",
	  "input normalization: code sum per image" },
	{ "train", "cil_epochs", U, F(cil_epochs), 0, 100, "",
	  "chip-in-the-loop epochs" },
	{ "train", "cil_lr", D, F(cil_lr), 1e-6, 1, "",
	  "chip-in-the-loop ADAM step size" },
	{ "train", "comp_step", U, F(hw.comp_step), 1, 64, "codes",
	  "code units per compensation step (2 x comp current / LSB)" },
	{ "data", "train_images", U, F(train_images), 0, 100000000, "",
	  "train images used (0 = all)" },
	{ "data", "test_images", U, F(test_images), 0, 100000000, "",
	  "test images used (0 = all)" },
	{ "trace", "analog_cols", U, F(analog_cols), 0, CHIP_MAX_TRACE, "",
	  "columns per chip traced as analog BL/BLB" },
};

static const param_table_t table = { defs, sizeof(defs) / sizeof(defs[0]) };

const param_table_t *config_table(void)
{
	return &table;
}

int config_check(const imcsim_config_t *c, char *err, size_t errlen)
{
	char msg[256];
	if (sys_params_check(&c->sys, msg, sizeof(msg))) {
		snprintf(err, errlen, "invalid parameters: %s", msg);
		return -1;
	}
	if (bnn_hw_check(&c->hw, msg, sizeof(msg))) {
		snprintf(err, errlen, "invalid parameters: %s", msg);
		return -1;
	}
	if (c->train.lr_end > c->train.lr_start) {
		snprintf(err, errlen,
			 "invalid parameters: train.lr_end %g exceeds "
			 "train.lr_start %g",
			 c->train.lr_end, c->train.lr_start);
		return -1;
	}
	return 0;
}
