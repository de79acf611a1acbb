/* sequencer.c - chip sequencer and command queue; see sequencer.h. */
#include "chip/sequencer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chip/chip_internal.h"

void sequencer_free(sequencer_t *s)
{
	free(s->kind);
	free(s->row);
	free(s->comp_on);
	free(s->data);
	free(s->codes);
	free(s->cur_codes);
	memset(s, 0, sizeof(*s));
}

static int grow(struct chip *c)
{
	sequencer_t *s = &c->seq;
	unsigned nw = c->m.nword, nd = c->p.macro.ndata;
	if (s->head > 0) { /* compact before growing */
		unsigned n = s->tail - s->head;
		memmove(s->kind, s->kind + s->head, n);
		memmove(s->row, s->row + s->head, n * sizeof(unsigned));
		memmove(s->comp_on, s->comp_on + s->head, n * sizeof(bool));
		memmove(s->data, s->data + (size_t)s->head * nw,
			(size_t)n * nw * sizeof(uint64_t));
		memmove(s->codes, s->codes + (size_t)s->head * nd,
			(size_t)n * nd);
		s->head = 0;
		s->tail = n;
		if (n < s->cap)
			return 0;
	}
	unsigned cap = s->cap ? 2 * s->cap : 64;
	void *k = realloc(s->kind, cap);
	if (k)
		s->kind = k;
	void *r = realloc(s->row, cap * sizeof(unsigned));
	if (r)
		s->row = r;
	void *o = realloc(s->comp_on, cap * sizeof(bool));
	if (o)
		s->comp_on = o;
	void *d = realloc(s->data, (size_t)cap * nw * sizeof(uint64_t));
	if (d)
		s->data = d;
	void *x = realloc(s->codes, (size_t)cap * nd);
	if (x)
		s->codes = x;
	if (!k || !r || !o || !d || !x)
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
	s->cap = cap;
	return 0;
}

int sequencer_push(struct chip *c, enum seq_cmd_kind kind, unsigned row,
		   const uint64_t *data, const uint8_t *codes, bool comp_on)
{
	sequencer_t *s = &c->seq;
	unsigned nw = c->m.nword, nd = c->p.macro.ndata;
	if (s->tail == s->cap) {
		int rc = grow(c);
		if (rc)
			return rc;
	}
	unsigned i = s->tail++;
	s->kind[i] = (uint8_t)kind;
	s->row[i] = row;
	s->comp_on[i] = comp_on;
	if (data)
		memcpy(s->data + (size_t)i * nw, data, nw * sizeof(uint64_t));
	if (codes)
		memcpy(s->codes + (size_t)i * nd, codes, nd);
	s->idle = false;
	if (s->asleep) /* it runs from the next edge on */
		return sim_event_notify_delta(c->ev_seq_wake);
	return 0;
}

/* Begin a compare at this edge: precharge now, wordlines at t_pre. */
static void start_compare(struct chip *c, const uint8_t *codes, bool comp_on,
			  bool classify, bool cal)
{
	sequencer_t *s = &c->seq;
	unsigned nd = c->p.macro.ndata;
	if (codes) {
		memcpy(s->cur_codes, codes, nd);
		/* the input register as one vector: code r in bits cb*r.. */
		chip_pack_codes(c, codes);
		sim_vec_write(c->in_reg, c->in_words);
	} else {
		memset(s->cur_codes, 0, nd);
		memset(c->in_words, 0, c->in_nwords * sizeof(uint64_t));
	}
	s->cur_comp_on = comp_on;
	s->cur_classify = classify;
	s->cur_cal = cal;
	s->cur_pre = cal ? (unsigned)sim_vec_read_u64(c->cal_pre) : 0;
	sim_bit_write(c->pre, true);
	chip_trace_precharge(c);
	sim_event_notify_at(c->ev_wl_on, c->p.t_pre_ps);
}

static void seq_edge(sim_proc_t *self, void *ctx)
{
	struct chip *c = ctx;
	sequencer_t *s = &c->seq;
	if (s->asleep) { /* woken by a queued command (sequencer_push) */
		s->asleep = false;
		return;
	}

	/* 1. strobe the compare pulsed during the cycle that just ended */
	bool strobing = s->pulsed;
	sim_bit_write(c->dec_valid, s->pulsed);
	if (s->pulsed) {
		s->strobe_classify = s->cur_classify;
		sim_bit_write(c->strobe, true);
		sim_event_notify_at(c->ev_strobe_off, c->p.period_ps / 2);
		s->pulsed = false;
	}
	sim_bit_write(c->sram_we, false);
	sim_bit_write(c->sram_re, false);
	sim_bit_write(c->cal_start, false);
	s->sram_busy = false;

	/* 2. a running calibration owns the array */
	if (s->cal_phase == 1) {
		s->cal_phase = 2; /* done is still the old state's this edge */
	} else if (s->cal_phase == 2) {
		if (sim_bit_read(c->cmp_req)) {
			start_compare(c, NULL, true, false, true);
			s->pulsed = true;
		} else if (sim_bit_read(c->cal_done)) {
			s->cal_phase = 0;
		}
	}

	/* 3. next host command */
	if (s->cal_phase == 0 && s->head < s->tail) {
		unsigned i = s->head++;
		unsigned nw = c->m.nword, nd = c->p.macro.ndata;
		switch (s->kind[i]) {
		case SEQ_WRITE:
			sim_bit_write(c->sram_we, true);
			sim_vec_write_u64(c->sram_addr, s->row[i]);
			sim_vec_write(c->sram_wdata, s->data + (size_t)i * nw);
			s->sram_busy = true;
			sim_event_notify_delta(c->ev_sram_req);
			break;
		case SEQ_READ:
			sim_bit_write(c->sram_re, true);
			sim_vec_write_u64(c->sram_addr, s->row[i]);
			s->sram_busy = true;
			sim_event_notify_delta(c->ev_sram_req);
			break;
		case SEQ_CLASSIFY:
			start_compare(c, s->codes + (size_t)i * nd,
				      s->comp_on[i], true, false);
			s->pulsed = true;
			break;
		case SEQ_CALIBRATE:
			sim_bit_write(c->cal_start, true);
			sim_event_notify_delta(c->ev_cal_wake);
			s->cal_phase = 1;
			break;
		}
		if (s->head == s->tail)
			s->head = s->tail = 0;
	}

	/* idle one edge after the last strobe, so dec is settled by then */
	bool idle = s->head == s->tail && s->cal_phase == 0 && !s->pulsed &&
		    !s->sram_busy && !strobing;
	sim_bit_write(c->busy, !idle);
	if (idle && !s->idle)
		sim_event_notify_delta(c->ev_idle);
	s->idle = idle;
	/* Idle, every output is at rest (this edge wrote the values every
	 * further idle edge would write again): sleep until a command is
	 * queued instead of running at every edge. */
	if (idle) {
		s->asleep = true;
		sim_next_trigger_event(self, c->ev_seq_wake);
	}
}

/* E0 + t_pre: precharge off, wordlines on (the bitline process runs the
 * pulse from the rising edge of wl_en). */
static void seq_wl_on(sim_proc_t *self, void *ctx)
{
	struct chip *c = ctx;
	sequencer_t *s = &c->seq;
	(void)self;
	sim_bit_write(c->pre, false);
	sim_bit_write(c->comp_wl, s->cur_comp_on);
	chip_drive_wl(c, true);
	sim_bit_write(c->wl_en, true);
}

static void seq_strobe_off(sim_proc_t *self, void *ctx)
{
	struct chip *c = ctx;
	(void)self;
	sim_bit_write(c->strobe, false);
}

int sequencer_init(struct chip *c)
{
	sequencer_t *s = &c->seq;
	char nm[256];
	memset(s, 0, sizeof(*s));
	s->idle = true;
	s->cur_codes = calloc(c->p.macro.ndata, 1);
	if (!s->cur_codes)
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
	snprintf(nm, sizeof nm, "%s.seq", c->name);
	sim_proc_t *p = sim_method_new(c->sim, nm, seq_edge, c);
	snprintf(nm, sizeof nm, "%s.seq_wl_on", c->name);
	sim_proc_t *q = sim_method_new(c->sim, nm, seq_wl_on, c);
	snprintf(nm, sizeof nm, "%s.seq_strobe_off", c->name);
	sim_proc_t *r = sim_method_new(c->sim, nm, seq_strobe_off, c);
	if (!p || !q || !r)
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
	sim_proc_dont_initialize(p);
	sim_proc_dont_initialize(q);
	sim_proc_dont_initialize(r);
	int rc = sim_sensitive_pos(p, c->clk);
	if (!rc)
		rc = sim_sensitive(q, c->ev_wl_on);
	if (!rc)
		rc = sim_sensitive(r, c->ev_strobe_off);
	return rc;
}
