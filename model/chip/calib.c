/*
 * calib.c - golden model of the compensation calibration FSM.
 *
 * Written to be read beside doc/calibration-contract.md: calib_outputs() is
 * its "Output decode" table and calib_clock() its "Next state" list, in the
 * same order. Speed matters only as far as co-simulation goes (a few hundred
 * thousand cycles per second is plenty), so clarity wins over bit tricks.
 */
#include "chip/calib.h"

#include <string.h>

/* Rows 0..k-1 as a mask; k may be 64 (nrow 64 has n up to 64). */
static uint64_t rows_below(unsigned k)
{
	return k >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << k) - 1;
}

static unsigned lowest_set(uint64_t x)
{
	unsigned i = 0;

	if (x == 0)
		return 0;
	while (!(x & 1)) {
		x >>= 1;
		i++;
	}
	return i;
}

static bool bit_of(const uint64_t *v, unsigned i)
{
	return v != NULL && ((v[i / 64] >> (i % 64)) & 1);
}

static void reset_counts(calib_t *c)
{
	memset(c->n, 0, sizeof c->n);
	memset(c->n, (int)(c->p.nrow / 2), c->p.ncol);
}

void calib_params_default(calib_params_t *p)
{
	p->ncol = 128;
	p->nrow = 32;
}

int calib_init(calib_t *c, const calib_params_t *p)
{
	if (p->ncol < 1 || p->ncol > CALIB_MAX_COL)
		return -1;
	if (p->nrow < 4 || p->nrow > CALIB_MAX_ROW || (p->nrow & (p->nrow - 1)))
		return -1;
	c->p = *p;
	c->state = CALIB_IDLE;
	reset_counts(c);
	c->dirty = 0;
	c->step = 0;
	c->op = 0;
	return 0;
}

void calib_outputs(const calib_t *c, const calib_in_t *in, calib_out_t *out)
{
	unsigned col;
	unsigned sel = in != NULL ? in->cnt_sel : 0;

	out->busy = c->state == CALIB_WRITE || c->state == CALIB_REQ ||
		    c->state == CALIB_WAIT;
	out->done = c->state == CALIB_DONE;
	out->cmp_req = c->state == CALIB_REQ;
	out->row_we = c->state == CALIB_WRITE;
	out->row_addr = lowest_set(c->dirty);
	memset(out->row_data, 0, sizeof out->row_data);
	for (col = 0; col < c->p.ncol; col++)
		if (out->row_addr < c->n[col])
			out->row_data[col / 64] |= (uint64_t)1 << (col % 64);
	out->cnt_out = calib_count(c, sel);
	out->cmp_pre = c->op;
}

/* WAIT with cmp_valid: move every count against its decision (down by
 * floor(step/2), up by ceil(step/2): equal halves except for the final
 * half step, 0 or +1) and collect the rows whose thermometer bit changed in
 * any column; with none, skip the write phase. */
static void apply_decisions(calib_t *c, const uint64_t *dec)
{
	uint64_t dirty = 0;
	unsigned col;
	unsigned down = c->step >> 1, up = (c->step + 1) >> 1;

	for (col = 0; col < c->p.ncol; col++) {
		unsigned old = c->n[col];
		/* Before the step-s move n >= s/2 + 1 (16 - 8 - 4 - 2 - 1 = 1
		 * before the last), so neither direction leaves 0..nrow. */
		unsigned neu = bit_of(dec, col) ? old - down : old + up;

		if (neu < old)
			dirty |= rows_below(old) & ~rows_below(neu);
		else
			dirty |= rows_below(neu) & ~rows_below(old);
		c->n[col] = (uint8_t)neu;
	}
	c->dirty = dirty;
	c->step >>= 1;
	if (dirty != 0)
		c->state = CALIB_WRITE;
	else
		c->state = c->step == 0 ? CALIB_DONE : CALIB_REQ;
}

void calib_clock(calib_t *c, const calib_in_t *in)
{
	if (in->rst) {
		c->state = CALIB_IDLE;
		reset_counts(c);
		c->dirty = 0;
		c->step = 0;
		c->op = 0;
		return;
	}
	switch (c->state) {
	case CALIB_IDLE:
	case CALIB_DONE:
		if (in->op_we)
			c->op = in->op_code & ((1u << CALIB_OP_BITS) - 1);
		if (in->start) {
			reset_counts(c);
			c->dirty = rows_below(c->p.nrow);
			c->step = c->p.nrow / 2;
			c->state = CALIB_WRITE;
		}
		break;
	case CALIB_WRITE:
		c->dirty &= c->dirty - 1; /* clear the lowest set bit */
		if (c->dirty == 0)
			c->state = c->step == 0 ? CALIB_DONE : CALIB_REQ;
		break;
	case CALIB_REQ:
		c->state = CALIB_WAIT;
		break;
	case CALIB_WAIT:
		if (in->cmp_valid)
			apply_decisions(c, in->cmp_dec);
		break;
	}
}

unsigned calib_count(const calib_t *c, unsigned col)
{
	return col < c->p.ncol ? c->n[col] : 0;
}

int calib_state(const calib_t *c)
{
	return (int)c->state;
}
