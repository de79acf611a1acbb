/* settings.c - defaults, the parameter table and validation of a job. */
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef IMCSIM_DATA_DIR
#define IMCSIM_DATA_DIR "data/cache"
#endif

/* The job's own parameters as registry blocks, for their defaults. */
#define CONFIG_SECTION_BLOCK(var, sec, LIST)                                \
	static const imc_param_t var##_rows[] = { LIST(IMC_PARAM_ROW,       \
						       imcsim_config_t) };  \
	static const imc_param_block_t var = {                              \
		sec, var##_rows, sizeof(var##_rows) / sizeof(var##_rows[0]) \
	}
CONFIG_SECTION_BLOCK(config_system_block, SYS_SECTION, CONFIG_SYSTEM_PARAMS);
CONFIG_SECTION_BLOCK(config_train_block, BNN_TRAIN_SECTION,
		     CONFIG_TRAIN_PARAMS);
CONFIG_SECTION_BLOCK(config_data_block, "data", CONFIG_DATA_PARAMS);
CONFIG_SECTION_BLOCK(config_trace_block, "trace", CONFIG_TRACE_PARAMS);

int config_user_cache(char *buf, size_t n, const char *what)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int k;
	/* the XDG base directory spec: a relative value is ignored */
	if (xdg && xdg[0] == '/')
		k = snprintf(buf, n, "%s/imcsim/%s", xdg, what);
	else if (home && *home)
		k = snprintf(buf, n, "%s/.cache/imcsim/%s", home, what);
	else
		return -1;
	return k < 0 || (size_t)k >= n ? -1 : 0;
}

const char *config_builtin_data_dir(void)
{
	return IMCSIM_DATA_DIR;
}

/* dir holds the digits: the training images are there (the reader checks
 * the rest and says what is wrong). */
static int holds_digits(const char *dir)
{
	char f[600];
	struct stat st;
	snprintf(f, sizeof(f), "%s/train-images-idx3-ubyte", dir);
	return stat(f, &st) == 0 && S_ISREG(st.st_mode);
}

/* The search order of settings.h. */
static void config_find_data(imcsim_config_t *c)
{
	const char *env = getenv("IMCSIM_MNIST_DIR");
	char cache[sizeof(c->data_dir)];
	int have_cache = !config_user_cache(cache, sizeof(cache), "mnist");
	const char *dir;
	if (env && *env) {
		dir = env;
		c->data_from = CONFIG_DATA_ENV;
	} else if (have_cache && holds_digits(cache)) {
		dir = cache;
		c->data_from = CONFIG_DATA_CACHE;
	} else if (holds_digits(IMCSIM_DATA_DIR) || !have_cache) {
		dir = IMCSIM_DATA_DIR;
		c->data_from = CONFIG_DATA_BUILTIN;
	} else {
		dir = cache;
		c->data_from = CONFIG_DATA_NONE;
	}
	snprintf(c->data_dir, sizeof(c->data_dir), "%s", dir);
}

void config_defaults(imcsim_config_t *c)
{
	memset(c, 0, sizeof(*c));
	sys_params_default(&c->sys);
	bnn_hw_defaults(&c->hw);
	bnn_train_defaults(&c->train);
	imc_param_defaults(&config_system_block, c);
	imc_param_defaults(&config_train_block, c);
	imc_param_defaults(&config_data_block, c);
	imc_param_defaults(&config_trace_block, c);
	config_find_data(c);
}

/* The INI / --set table: every block's declaration list, expanded once
 * more with the block's place in imcsim_config_t. */
#define ROW(PATH, name, TYPE, unit, def, lo, hi, help, src)                   \
	{ SECTION, #name, PARAM_##TYPE, offsetof(imcsim_config_t, PATH.name), \
	  lo,	   hi,	  unit,		help,                                 \
	  src,	   def },
#define CROW(S, name, TYPE, unit, def, lo, hi, help, src)                \
	{ SECTION, #name, PARAM_##TYPE, offsetof(imcsim_config_t, name), \
	  lo,	   hi,	  unit,		help,                            \
	  src,	   def },

static const param_def_t defs[] = {
#define SECTION WLDAC_SECTION
	WLDAC_PARAMS(ROW, sys.chip.macro.wldac)
#undef SECTION
#define SECTION ARRAY_SECTION
		ARRAY_PARAMS(ROW, sys.chip.macro.array)
#undef SECTION
#define SECTION BITLINE_SECTION
			BITLINE_PARAMS(ROW, sys.chip.macro.bl)
#undef SECTION
#define SECTION COMPARATOR_SECTION
				COMPARATOR_PARAMS(ROW, sys.chip.macro.cmp)
#undef SECTION
#define SECTION COMPROW_SECTION
					COMPROW_PARAMS(ROW, sys.chip.macro.comp)
#undef SECTION
#define SECTION ENERGY_SECTION
						ENERGY_PARAMS(
							ROW,
							sys.chip.macro.energy)
#undef SECTION
#define SECTION MACRO_SECTION
							MACRO_PARAMS(
								ROW,
								sys.chip.macro)
#undef SECTION
#define SECTION CHIP_SECTION
								CHIP_PARAMS(
									ROW,
									sys.chip)
#undef SECTION
#define SECTION BUS_SECTION
									BUS_PARAMS(
										ROW,
										sys.bus)
#undef SECTION
#define SECTION SYS_SECTION
										SYS_PARAMS(ROW, sys) SYS_MAP_PARAMS(
											ROW,
											sys) CONFIG_SYSTEM_PARAMS(CROW,
														  _)
#undef SECTION
#define SECTION BNN_TRAIN_SECTION
											BNN_TRAIN_PARAMS(ROW, train) CONFIG_TRAIN_PARAMS(
												CROW,
												_)
#undef SECTION
#define SECTION "data"
												CONFIG_DATA_PARAMS(
													CROW,
													_)
#undef SECTION
#define SECTION "trace"
													CONFIG_TRACE_PARAMS(
														CROW,
														_)
#undef SECTION
};

static const param_table_t table = { defs, sizeof(defs) / sizeof(defs[0]) };

const param_table_t *config_table(void)
{
	return &table;
}

int config_finish(imcsim_config_t *c)
{
	c->hw.comp_step = (int)sys_comp_step_codes(&c->sys);
	if (sys_params_check(&c->sys) || bnn_hw_check(&c->hw))
		return imc_fail(-1, "invalid parameters: %s", imc_last_error());
	const imc_param_block_t *own[] = {
		&bnn_train_param_block, &config_system_block,
		&config_train_block, &config_data_block, &config_trace_block
	};
	const void *base[] = { &c->train, c, c, c, c };
	for (size_t k = 0; k < sizeof(own) / sizeof(own[0]); k++)
		if (imc_param_check_msg(own[k], base[k]))
			return imc_fail(-1, "invalid parameters: %s",
					imc_last_error());
	if (c->train.lr_end > c->train.lr_start)
		return imc_fail(-1,
				"invalid parameters: train.lr_end %g exceeds "
				"train.lr_start %g",
				c->train.lr_end, c->train.lr_start);
	return 0;
}

/* A markdown cell: '|' would end the cell. */
static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
}

void config_print_markdown(FILE *f)
{
	const char *sec = NULL;
	for (size_t i = 0; i < table.n; i++) {
		const param_def_t *d = &defs[i];
		char v[32], lo[32], hi[32];
		if (!sec || strcmp(sec, d->section)) {
			sec = d->section;
			fprintf(f, "%s### `%s`\n\n", i ? "\n" : "", sec);
			fprintf(f, "| parameter | default | range | unit | "
				   "meaning | source |\n");
			fprintf(f, "|---|---|---|---|---|---|\n");
		}
		imc_fmt_double(v, sizeof(v), d->def);
		imc_fmt_double(lo, sizeof(lo), d->min);
		imc_fmt_double(hi, sizeof(hi), d->max);
		fprintf(f, "| `%s.%s` | %s | %s .. %s | %s | ", d->section,
			d->key, v, lo, hi, *d->unit ? d->unit : "-");
		md_cell(f, d->help);
		fputs(" | ", f);
		md_cell(f, d->source);
		fputs(" |\n", f);
	}
}
