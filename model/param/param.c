/* param.c - the parameter registry's generic operations; see param.h. */
#include "param/param.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *field(void *base, const imc_param_t *p)
{
	return (char *)base + p->offset;
}

static const void *cfield(const void *base, const imc_param_t *p)
{
	return (const char *)base + p->offset;
}

void imc_param_defaults(const imc_param_block_t *b, void *base)
{
	for (size_t i = 0; i < b->n; i++) {
		const imc_param_t *p = &b->params[i];
		void *f = field(base, p);
		switch (p->type) {
		case IMC_PARAM_DOUBLE:
			*(double *)f = p->def;
			break;
		case IMC_PARAM_UINT:
			*(unsigned *)f = (unsigned)p->def;
			break;
		case IMC_PARAM_U64:
			*(uint64_t *)f = (uint64_t)p->def;
			break;
		}
	}
}

double imc_param_get(const imc_param_t *p, const void *base)
{
	const void *f = cfield(base, p);
	switch (p->type) {
	case IMC_PARAM_DOUBLE:
		return *(const double *)f;
	case IMC_PARAM_UINT:
		return (double)*(const unsigned *)f;
	case IMC_PARAM_U64:
		return (double)*(const uint64_t *)f;
	}
	return NAN;
}

static int in_range(const imc_param_t *p, const void *base)
{
	const void *f = cfield(base, p);
	switch (p->type) {
	case IMC_PARAM_DOUBLE: {
		double v = *(const double *)f;
		return isfinite(v) && v >= p->min && v <= p->max;
	}
	case IMC_PARAM_UINT: {
		unsigned v = *(const unsigned *)f;
		return (double)v >= p->min && (double)v <= p->max;
	}
	case IMC_PARAM_U64: {
		/* Compare in integers where the bound is exact. */
		uint64_t v = *(const uint64_t *)f;
		if (p->max >= 18446744073709551615.0)
			return (double)v >= p->min;
		return (double)v >= p->min && v <= (uint64_t)p->max;
	}
	}
	return 0;
}

const imc_param_t *imc_param_check(const imc_param_block_t *b, const void *base)
{
	for (size_t i = 0; i < b->n; i++)
		if (!in_range(&b->params[i], base))
			return &b->params[i];
	return NULL;
}

void imc_fmt_double(char *buf, size_t len, double v)
{
	/* The shortest of %.15g..%.17g that reads back as v. */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v || !isfinite(v))
			return;
	}
}

int imc_param_check_msg(const imc_param_block_t *b, const void *base)
{
	const imc_param_t *p = imc_param_check(b, base);
	if (!p)
		return 0;
	char v[32], lo[32], hi[32];
	imc_fmt_double(v, sizeof(v), imc_param_get(p, base));
	imc_fmt_double(lo, sizeof(lo), p->min);
	imc_fmt_double(hi, sizeof(hi), p->max);
	return imc_fail(IMC_EINVAL, "%s.%s = %s is outside [%s, %s]%s%s",
			b->section, p->name, v, lo, hi, *p->unit ? " " : "",
			p->unit);
}
