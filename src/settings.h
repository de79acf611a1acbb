/*
 * settings.h - everything a user can set for an imcsim job, in one struct,
 * with the table of named parameters (params.h) that config files and
 * `--set section.key=value` write into. config_finish() runs every block's
 * own validation afterwards, so cross-field limits (e.g. precharge plus
 * pulse longer than a clock period) are caught before anything runs.
 */
#ifndef IMCSIM_SETTINGS_H
#define IMCSIM_SETTINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bnn/bnn.h"
#include "bnn/train.h"
#include "params.h"
#include "system/system.h"

/* The job's own parameters (param.h), by section. */
#define CONFIG_SYSTEM_PARAMS(X, S)                        \
	X(S, chip_seeds, UINT, "", 10, 1, 64,             \
	  "chip seeds each chip result is averaged over", \
	  "choice: >= 10 for a 95% interval (issue 10)")
#define CONFIG_TRAIN_PARAMS(X, S)                                         \
	X(S, norm_target, UINT, "", BNN_NORM_TARGET_DEFAULT, 1, 96 * 31,  \
	  "input normalization: code sum per image", "choice")            \
	X(S, cil_epochs, UINT, "", 4, 0, 100, "chip-in-the-loop epochs",  \
	  "choice")                                                       \
	X(S, cil_lr, DOUBLE, "", 0.002, 1e-6, 1,                          \
	  "chip-in-the-loop ADAM step size", "choice")                    \
	X(S, seeds, UINT, "", 3, 1, 16,                                   \
	  "training seeds of the demo (train.seed, +1, ...)",             \
	  "choice: >= 3 for a 95% interval (issue 10)")                   \
	X(S, converge_tol, DOUBLE, "", 0.03, 0, 1,                        \
	  "train on at lr_end while the mean loss of the last 10 epochs " \
	  "is more than this fraction below the 10 before",               \
	  "measured: met at 100 epochs, not at 60 (doc/bnn.md)")
#define CONFIG_DATA_PARAMS(X, S)                      \
	X(S, train_images, UINT, "", 0, 0, 100000000, \
	  "train images used (0 = all)", "choice")    \
	X(S, test_images, UINT, "", 0, 0, 100000000,  \
	  "test images used (0 = all)", "choice")
#define CONFIG_TRACE_PARAMS(X, S)                         \
	X(S, analog_cols, UINT, "", 4, 0, CHIP_MAX_TRACE, \
	  "columns per chip traced as analog BL/BLB", "choice")
#define CONFIG_PARAMS(X, S)        \
	CONFIG_SYSTEM_PARAMS(X, S) \
	CONFIG_TRAIN_PARAMS(X, S)  \
	CONFIG_DATA_PARAMS(X, S) CONFIG_TRACE_PARAMS(X, S)

typedef struct imcsim_config {
	sys_params_t sys;	       /* chips, buses, mapping, chip seed */
	struct bnn_hw hw;	       /* derived from sys (config_finish) */
	struct bnn_train_params train; /* software training */
	CONFIG_PARAMS(IMC_PARAM_FIELD, _)
	char data_dir[512]; /* IDX files (train-*, t10k-*) */
	int data_from;	    /* where data_dir came from (config_data_from) */
} imcsim_config_t;

/* Where the MNIST digits are looked for, in this order (doc/user-guide.md,
 * "The data"): --data DIR; $IMCSIM_MNIST_DIR; the user's cache
 * $XDG_CACHE_HOME/imcsim/mnist (~/.cache/imcsim/mnist), where `imcsim
 * fetch-data` puts them; the directory the build was configured with
 * (--with-mnist-dir, by default data/cache of the source tree). The first
 * two are taken as given; the last two only when they hold the digits, and
 * when neither does, data_dir is the user cache (for the message and for
 * fetch-data). */
enum config_data_from {
	CONFIG_DATA_OPTION,  /* --data DIR */
	CONFIG_DATA_ENV,     /* $IMCSIM_MNIST_DIR */
	CONFIG_DATA_CACHE,   /* the user cache, holding the digits */
	CONFIG_DATA_BUILTIN, /* the build's directory, holding them */
	CONFIG_DATA_NONE,    /* nothing found: data_dir is the user cache */
};

void config_defaults(imcsim_config_t *c);
/* The user cache directory what ("mnist": the digits, "nets": netcache.h)
 * into buf: $XDG_CACHE_HOME/imcsim/what, else ~/.cache/imcsim/what; 0, or
 * -1 when neither $XDG_CACHE_HOME (absolute) nor $HOME is set or the path
 * does not fit. */
int config_user_cache(char *buf, size_t n, const char *what);
/* The build's data directory (configure --with-mnist-dir). */
const char *config_builtin_data_dir(void);
const param_table_t *config_table(void);
/* Fill the derived values (hw.comp_step from the compensation and WLDAC
 * currents) and validate everything, cross-field limits included; 0, or -1
 * with a message naming the parameters. */
int config_finish(imcsim_config_t *c);
/* Markdown tables of every parameter (name, default, range, unit, meaning,
 * source), one per section: the tables of doc/parameters.md. */
void config_print_markdown(FILE *f);

#endif /* IMCSIM_SETTINGS_H */
