/*
 * param.h - the parameter registry: every parameter of every block is
 * declared once, in an X-macro list beside its block's struct, and
 * everything else is generated from that one declaration.
 *
 * Contract
 * --------
 * A block's list has one row per parameter:
 *
 *   X(S, name, TYPE, unit, default, min, max, meaning, source)
 *
 * S is the block's params struct (passed through so one list can make both
 * the fields and the descriptors), TYPE one of DOUBLE, UINT, U64 (C types
 * double, unsigned, uint64_t), unit a string ("V", "A", "" for none), min
 * and max the inclusive range the model really supports, meaning a
 * one-line description and source where the default comes from
 * ("published: ...", "estimated: ...", "derived: ...", "choice: ...").
 *
 * From the list come
 *   - the struct's fields:        LIST(IMC_PARAM_FIELD, S)
 *   - its descriptor table:       IMC_PARAM_BLOCK_DEFINE(var, "sec", S, LIST)
 *   - the defaults:               imc_param_defaults()
 *   - the range check:            imc_param_check()
 *   - the CLI's INI/--set table, `imcsim params` (text, JSON, markdown),
 *     the JSON header of every result and the tables in doc/ (src/).
 *
 * Values derived from parameters (VDD for the energy model, the largest
 * WLDAC code from the DAC bits, the compensation step) are computed by the
 * block that owns the source, never stored as a second copy. Constraints
 * between parameters are checked by the block's *_params_problem()
 * function, which names the parameters involved (its message is in
 * imc_last_error(), as every failure's).
 */
#ifndef IMCSIM_PARAM_PARAM_H
#define IMCSIM_PARAM_PARAM_H

#include <stddef.h>
#include <stdint.h>

#include "imc_err.h"
#include "imc_export.h"

IMC_BEGIN_DECLS

typedef enum imc_param_type {
	IMC_PARAM_DOUBLE,
	IMC_PARAM_UINT,
	IMC_PARAM_U64
} imc_param_type_t;

/* One declared parameter; offset is into its block's struct. */
typedef struct imc_param {
	const char *name;
	imc_param_type_t type;
	size_t offset;
	double def, min, max;
	const char *unit;
	const char *help;
	const char *source;
} imc_param_t;

/* The parameters of one block, under their section name. */
typedef struct imc_param_block {
	const char *section;
	const imc_param_t *params;
	size_t n;
} imc_param_block_t;

#define IMC_PARAM_CTYPE_DOUBLE double
#define IMC_PARAM_CTYPE_UINT unsigned
#define IMC_PARAM_CTYPE_U64 uint64_t

/* Row -> struct field. */
#define IMC_PARAM_FIELD(S, name, TYPE, unit, def, min, max, help, src) \
	IMC_PARAM_CTYPE_##TYPE name;
/* Row -> descriptor. */
#define IMC_PARAM_ROW(S, name, TYPE, unit, def, min, max, help, src) \
	{ #name,                                                     \
	  IMC_PARAM_##TYPE,                                          \
	  offsetof(S, name),                                         \
	  (def),                                                     \
	  (min),                                                     \
	  (max),                                                     \
	  unit,                                                      \
	  help,                                                      \
	  src },

/* Define `const imc_param_block_t var` for the list LIST of struct S. */
#define IMC_PARAM_BLOCK_DEFINE(var, section, S, LIST)                       \
	static const imc_param_t var##_rows[] = { LIST(IMC_PARAM_ROW, S) }; \
	const imc_param_block_t var = { section, var##_rows,                \
					sizeof(var##_rows) /                \
						sizeof(var##_rows[0]) }

/* Write every parameter's default into the struct at base. */
IMC_API void imc_param_defaults(const imc_param_block_t *b, void *base);
/* The first parameter of b whose value at base is outside its range (or
 * not a number), or NULL when all are in range. */
IMC_API const imc_param_t *imc_param_check(const imc_param_block_t *b,
					   const void *base);
/* The value of parameter p of the struct at base, as a double. */
IMC_API double imc_param_get(const imc_param_t *p, const void *base);
/* Check b's ranges at base: 0, or IMC_EINVAL with "section.name = value
 * is outside [min, max] unit" in imc_last_error() (imc_err.h). */
IMC_API int imc_param_check_msg(const imc_param_block_t *b, const void *base);
/* The shortest decimal form (%.15g..%.17g) that reads back as v. */
IMC_API void imc_fmt_double(char *buf, size_t len, double v);

IMC_END_DECLS

#endif /* IMCSIM_PARAM_PARAM_H */
