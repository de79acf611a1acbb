/*
 * params.h - named parameters for the imcsim command: one table maps
 * "section.key" to a field of a configuration struct, with its type, range,
 * unit and help text. Config files (INI, our own reader) and `--set
 * section.key=value` options both go through param_set(), so both reject
 * unknown names, malformed numbers, NaN/inf and out-of-range values with one
 * message naming the parameter.
 */
#ifndef IMCSIM_PARAMS_H
#define IMCSIM_PARAMS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "imc_err.h"
#include "provenance.h"

enum param_type { PARAM_DOUBLE, PARAM_UINT, PARAM_U64 };

typedef struct param_def {
	const char *section;
	const char *key;
	enum param_type type;
	size_t offset; /* into the configuration struct */
	double min, max;
	const char *unit;
	const char *help;
	const char *source; /* where the default comes from */
	double def;	    /* the declared default */
} param_def_t;

typedef struct param_table {
	const param_def_t *defs;
	size_t n;
} param_table_t;

/* Parse value into the field named section.key of base. 0 on success; -1
 * with a message (imc_last_error()). */
int param_set(const param_table_t *t, void *base, const char *section,
	      const char *key, const char *value);
/* "section.key=value" form of param_set. */
int param_set_assignment(const param_table_t *t, void *base,
			 const char *assignment);
/* Load an INI file: [section] then key = value lines. The file is read
 * once and, when inputs is not NULL, noted there (provenance.h). 0, or -1
 * with "file:line: ..." (imc_last_error()). */
int param_load_file(const param_table_t *t, void *base, const char *path,
		    prov_inputs_t *inputs);
/* Parse a whole decimal number (no octal, no hex, surrounding blanks
 * allowed, -0 is 0). NULL, or why not ("is negative", "is too large",
 * "is not a whole decimal number", "is empty"). */
const char *param_parse_u64(const char *s, uint64_t *out);
/* Print every parameter with its current value, range and help. */
void param_print(const param_table_t *t, const void *base, FILE *f);

#endif /* IMCSIM_PARAMS_H */
