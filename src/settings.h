/*
 * settings.h - everything a user can set for an imcsim job, in one struct,
 * with the table of named parameters (params.h) that config files and
 * `--set section.key=value` write into. config_check() runs every block's
 * own validation afterwards, so cross-field limits (e.g. precharge plus
 * pulse longer than a clock period) are caught before anything runs.
 */
#ifndef IMCSIM_SETTINGS_H
#define IMCSIM_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "bnn/bnn.h"
#include "bnn/train.h"
#include "params.h"
#include "system/system.h"

typedef struct imcsim_config {
	sys_params_t sys; /* chips, buses, mapping, chip seed */
	struct bnn_hw hw; /* what training may use of the hardware */
	struct bnn_train_params train; /* software training */
	unsigned norm_target;	       /* input normalization target code sum */
	unsigned chip_seeds;	       /* chip seeds averaged over (3) */
	unsigned cil_epochs;	       /* chip-in-the-loop epochs (4) */
	double cil_lr;		       /* chip-in-the-loop step size (0.002) */
	unsigned train_images;	       /* 0 = all of the train split */
	unsigned test_images;	       /* 0 = all of the test split */
	unsigned analog_cols;	       /* columns traced as analog by `trace` */
	char data_dir[512];	       /* IDX files (train-*, t10k-*) */
} imcsim_config_t;

void config_defaults(imcsim_config_t *c);
const param_table_t *config_table(void);
/* Cross-field validation; 0, or -1 with a message. */
int config_check(const imcsim_config_t *c, char *err, size_t errlen);

#endif /* IMCSIM_SETTINGS_H */
