/*
 * chip_trace.c - what a chip's waveform shows: the trace-only signals (BL,
 * BLB and their difference of the traced columns, the calibration FSM's
 * state, step and counts), their sampling, and the chip's part of a trace
 * and of a GTKWave save file (chip.h: chip_trace, chip_trace_view).
 *
 * Nothing here feeds the model: the decisions, the energy and the
 * transaction-level path are the same with or without tracing; these
 * signals only copy values the model has computed (macro_line_v for the
 * lines during the pulse, the comparator's own inputs at the strobe, the
 * FSM's registered state after each edge).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chip/chip_internal.h"

static sim_signal_t *sig(struct chip *c, const char *n, unsigned width)
{
	char nm[256];
	snprintf(nm, sizeof nm, "%s.%s", c->name, n);
	return width ? sim_vec_new(c->sim, nm, width, NULL)
		     : sim_real_new(c->sim, nm, c->p.macro.bl.v_pre_v);
}

int chip_trace_signals_new(struct chip *c)
{
	char nm[64];
	unsigned nrow = c->p.macro.comp.nrow, cw = chip_addr_bits(nrow + 1);
	c->cal_state = sig(c, "cal_state", 3);
	c->cal_step = sig(c, "cal_step", cw);
	if (!c->cal_state || !c->cal_step)
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
	for (unsigned k = 0; k < c->p.ntrace; k++) {
		unsigned col = c->p.trace_col[k];
		snprintf(nm, sizeof nm, "bl_%u", col);
		c->bl[k] = sig(c, nm, 0);
		snprintf(nm, sizeof nm, "blb_%u", col);
		c->blb[k] = sig(c, nm, 0);
		snprintf(nm, sizeof nm, "vdiff_%u", col);
		c->vdiff[k] = sig(c, nm, 0);
		snprintf(nm, sizeof nm, "cal_n_%u", col);
		c->cal_n[k] = sig(c, nm, cw);
		if (!c->bl[k] || !c->blb[k] || !c->vdiff[k] || !c->cal_n[k])
			return imc_fail(SIM_ERR_NOMEM, "%s: out of memory",
					__func__);
		sim_real_write(c->vdiff[k], 0);
		sim_vec_write_u64(c->cal_n[k], calib_count(&c->cal, col));
	}
	sim_vec_write_u64(c->cal_step, c->cal.step);
	return 0;
}

void chip_trace_calib(struct chip *c)
{
	sim_vec_write_u64(c->cal_state, (uint64_t)calib_state(&c->cal));
	sim_vec_write_u64(c->cal_step, c->cal.step);
	for (unsigned k = 0; k < c->p.ntrace; k++)
		sim_vec_write_u64(c->cal_n[k],
				  calib_count(&c->cal, c->p.trace_col[k]));
}

static void lines(struct chip *c, unsigned k, double vb, double vbb)
{
	sim_real_write(c->bl[k], vb);
	sim_real_write(c->blb[k], vbb);
	sim_real_write(c->vdiff[k], vb - vbb);
}

void chip_trace_precharge(struct chip *c)
{
	double v = macro_pre_v(&c->m, c->seq.cur_pre); /* VDD but in calib */
	for (unsigned k = 0; k < c->p.ntrace; k++)
		lines(c, k, v, v);
}

void chip_trace_lines(struct chip *c, sim_time_t t_ps)
{
	for (unsigned k = 0; k < c->p.ntrace; k++) {
		double vb, vbb;
		macro_line_v(&c->m, c->p.trace_col[k], (double)t_ps * 1e-12,
			     &vb, &vbb);
		lines(c, k, vb, vbb);
	}
}

void chip_trace_strobe(struct chip *c)
{
	for (unsigned k = 0; k < c->p.ntrace; k++) {
		unsigned col = c->p.trace_col[k];
		lines(c, k, c->m.v_bl_v[col], c->m.v_blb_v[col]);
	}
	if (c->strobe_fn)
		c->strobe_fn(c->strobe_ctx, c, sim_time(c->sim),
			     c->seq.strobe_classify);
}

void chip_set_strobe_cb(chip_t *c, chip_strobe_fn fn, void *ctx)
{
	c->strobe_fn = fn;
	c->strobe_ctx = ctx;
}

/* Samples at t_wl * j / (n + 1), j = 1..n, then the pulse end; without
 * traced columns the pulse is one step. */
sim_time_t chip_trace_next(const struct chip *c, sim_time_t t_ps)
{
	sim_time_t t_wl = c->p.macro.bl.t_wl_ps;
	if (!c->p.ntrace || t_ps >= t_wl)
		return t_wl > t_ps ? t_wl - t_ps : 1;
	sim_time_t n1 = c->p.trace_samples + 1;
	sim_time_t j = t_ps * n1 / t_wl + 1, t = j * t_wl / n1;
	while (t <= t_ps)
		t = ++j * t_wl / n1;
	return (t < t_wl ? t : t_wl) - t_ps;
}

/* ---- the chip's part of a trace and a save file ------------------------ */

/* The FSM's state names, by the RTL's encoding (calib.h). */
static const char *const state_names[] = {
	[CALIB_IDLE] = "IDLE", [CALIB_WRITE] = "WRITE", [CALIB_REQ] = "REQ",
	[CALIB_WAIT] = "WAIT", [CALIB_DONE] = "DONE",
};

typedef struct ent {
	sim_signal_t *s;
	const char *n;
	enum sim_gtkw_fmt f;
} ent_t;

typedef struct view {
	sim_trace_t *tr;
	sim_gtkw_t *g; /* NULL: trace only */
	const char *scope, *label;
	int closed;
} view_t;

static int add(const view_t *v, sim_gtkw_t *g, sim_signal_t *s, const char *n,
	       enum sim_gtkw_fmt f)
{
	char nm[512];
	int len = snprintf(nm, sizeof nm, "%s.%s", v->scope, n);
	if (len < 0 || (size_t)len >= sizeof nm)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	return sim_gtkw_trace(g, v->tr, s, nm, f, NULL);
}

/* A block: a group in the save file (when shown) with entries e. */
static int block(const view_t *v, bool shown, const char *what, const ent_t *e,
		 size_t n)
{
	sim_gtkw_t *g = shown ? v->g : NULL;
	char title[256];
	int rc;
	snprintf(title, sizeof title, "%s %s", v->label, what);
	if ((rc = sim_gtkw_group(g, title, v->closed)))
		return rc;
	for (size_t i = 0; i < n; i++)
		if ((rc = add(v, g, e[i].s, e[i].n, e[i].f)))
			return rc;
	return 0;
}

static int calib_block(chip_t *c, const view_t *v, bool shown)
{
	sim_gtkw_t *g = shown ? v->g : NULL;
	char nm[512];
	int rc;
	const ent_t e[] = {
		{ c->cal_start, "calib.start", SIM_GTKW_BIN },
		{ c->cal_busy, "calib.busy", SIM_GTKW_BIN },
		{ c->cal_done, "calib.done", SIM_GTKW_BIN },
	};
	if ((rc = block(v, shown, "calibration FSM", e, 3)) ||
	    (g && (rc = sim_gtkw_filter(g, "calib_state.filter", state_names,
					sizeof state_names /
						sizeof state_names[0]))) ||
	    (rc = add(v, g, c->cal_state, "calib.state", SIM_GTKW_FILTER)) ||
	    (rc = add(v, g, c->cal_step, "calib.step", SIM_GTKW_DEC)) ||
	    (rc = add(v, g, c->cal_pre, "calib.cmp_pre", SIM_GTKW_DEC)) ||
	    (rc = add(v, g, c->cmp_req, "calib.cmp_req", SIM_GTKW_BIN)))
		return rc;
	/* the FSM's cmp_valid / cmp_dec are the sequencer's dec_valid / dec */
	snprintf(nm, sizeof nm, "%s.dec_valid", v->scope);
	if ((rc = sim_gtkw_show(g, nm, 1, SIM_GTKW_BIN, "cmp_valid")))
		return rc;
	snprintf(nm, sizeof nm, "%s.dec", v->scope);
	if ((rc = sim_gtkw_show(g, nm, sim_sig_width(c->dec), SIM_GTKW_HEX,
				"cmp_dec")) ||
	    (rc = add(v, g, c->row_we, "calib.row_we", SIM_GTKW_BIN)) ||
	    (rc = add(v, g, c->row_addr, "calib.row_addr", SIM_GTKW_DEC)) ||
	    (rc = add(v, g, c->row_data, "calib.row_data", SIM_GTKW_HEX)))
		return rc;
	for (unsigned k = 0; k < c->p.ntrace; k++) {
		snprintf(nm, sizeof nm, "calib.n_%u", c->p.trace_col[k]);
		if ((rc = add(v, g, c->cal_n[k], nm, SIM_GTKW_DEC)))
			return rc;
	}
	return sim_gtkw_group_end(g);
}

static int analog_block(chip_t *c, const view_t *v, bool shown)
{
	sim_gtkw_t *g = shown ? v->g : NULL;
	char nm[64], title[256];
	int rc;
	for (unsigned k = 0; k < c->p.ntrace; k++) {
		unsigned col = c->p.trace_col[k];
		snprintf(title, sizeof title, "%s column %u analog", v->label,
			 col);
		if ((rc = sim_gtkw_group(g, title, v->closed)))
			return rc;
		sim_signal_t *s[3] = { c->vdiff[k], c->bl[k], c->blb[k] };
		const char *n[3] = { "vdiff", "bl", "blb" };
		for (unsigned i = 0; i < 3; i++) {
			snprintf(nm, sizeof nm, "analog.%s_%u", n[i], col);
			if ((rc = add(v, g, s[i], nm, SIM_GTKW_ANALOG)) ||
			    (rc = sim_gtkw_blank(g, i ? 2 : 3)))
				return rc;
		}
		if ((rc = sim_gtkw_group_end(g)))
			return rc;
	}
	return 0;
}

/* The per-row copies of the wordline vector, for a waveform that shows
 * each row's code (wl.code_NN): created on the first trace, written with
 * wl from then on (chip_drive_wl). */
static int wl_copies_new(struct chip *c)
{
	char nm[256];
	unsigned nd = c->p.macro.ndata;
	if (c->wl_code)
		return 0;
	c->wl_code = calloc(nd, sizeof(*c->wl_code));
	if (!c->wl_code)
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
	for (unsigned r = 0; r < nd; r++) {
		snprintf(nm, sizeof nm, "%s.wl_code_%02u", c->name, r);
		c->wl_code[r] = sim_vec_new(c->sim, nm, c->code_bits, NULL);
		if (!c->wl_code[r])
			return imc_fail(SIM_ERR_NOMEM, "%s: out of memory",
					__func__);
		sim_sig_set_writers(c->wl_code[r], SIM_WRITERS_MANY);
	}
	return 0;
}

int chip_trace_view(chip_t *c, sim_trace_t *tr, sim_gtkw_t *g,
		    const char *scope, const char *label, unsigned show)
{
	view_t v = { tr, g, scope, label ? label : c->name,
		     (show & CHIP_SHOW_CLOSED) != 0 };
	const ent_t seq[] = {
		{ c->clk, "clk", SIM_GTKW_BIN },
		{ c->busy, "busy", SIM_GTKW_BIN },
		{ c->pre, "pre", SIM_GTKW_BIN },
		{ c->wl_en, "wl_en", SIM_GTKW_BIN },
		{ c->comp_wl, "comp_wl", SIM_GTKW_BIN },
		{ c->strobe, "strobe", SIM_GTKW_BIN },
		{ c->dec_valid, "dec_valid", SIM_GTKW_BIN },
		{ c->dec, "dec", SIM_GTKW_HEX },
	};
	const ent_t sram[] = {
		{ c->sram_we, "sram.we", SIM_GTKW_BIN },
		{ c->sram_re, "sram.re", SIM_GTKW_BIN },
		{ c->sram_addr, "sram.addr", SIM_GTKW_DEC },
		{ c->sram_wdata, "sram.wdata", SIM_GTKW_HEX },
		{ c->sram_rdata, "sram.rdata", SIM_GTKW_HEX },
	};
	char nm[64];
	int rc;
	bool wl = show & CHIP_SHOW_WL;
	if ((rc = wl_copies_new(c)) ||
	    (rc = block(&v, show & CHIP_SHOW_SEQ, "sequencer", seq, 8)) ||
	    (rc = sim_gtkw_group_end((show & CHIP_SHOW_SEQ) ? g : NULL)) ||
	    (rc = block(&v, wl, "input register and wordlines", NULL, 0)) ||
	    (rc = add(&v, wl ? g : NULL, c->in_reg, "in_reg", SIM_GTKW_HEX)))
		return rc;
	for (unsigned r = 0; r < c->m.p.ndata; r++) {
		snprintf(nm, sizeof nm, "wl.code_%02u", r);
		if ((rc = add(&v, wl && r < 8 ? g : NULL, c->wl_code[r], nm,
			      SIM_GTKW_DEC)))
			return rc;
	}
	if ((rc = sim_gtkw_group_end(wl ? g : NULL)) ||
	    (rc = block(&v, show & CHIP_SHOW_SRAM, "SRAM port", sram, 5)) ||
	    (rc = sim_gtkw_group_end((show & CHIP_SHOW_SRAM) ? g : NULL)) ||
	    (rc = calib_block(c, &v, show & CHIP_SHOW_CALIB)))
		return rc;
	return analog_block(c, &v, show & CHIP_SHOW_ANALOG);
}

int chip_trace(chip_t *c, sim_trace_t *tr, const char *scope)
{
	return chip_trace_view(c, tr, NULL, scope, NULL, 0);
}
