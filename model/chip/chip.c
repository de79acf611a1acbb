/* chip.c - the cycle-accurate chip top: signals, calibration and analog
 * processes, host API; see chip.h. */
#include "chip/chip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chip/chip_internal.h"
#include "chip/sram.h"

IMC_PARAM_BLOCK_DEFINE(chip_param_block, CHIP_SECTION, chip_params_t,
		       CHIP_PARAMS);

void chip_params_default(chip_params_t *p)
{
	memset(p, 0, sizeof(*p));
	macro_params_default(&p->macro);
	imc_param_defaults(&chip_param_block, p);
	p->ntrace = 0;
}

int chip_params_problem(const chip_params_t *p)
{
	if (macro_params_problem(&p->macro) ||
	    imc_param_check_msg(&chip_param_block, p))
		return IMC_EINVAL;
	if (p->t_pre_ps + p->macro.bl.t_wl_ps >= p->period_ps)
		return imc_fail(
			IMC_EINVAL,
			"chip.t_pre_ps + bitline.t_wl_ps = %llu ps must "
			"be shorter than chip.period_ps = %llu ps",
			(unsigned long long)(p->t_pre_ps + p->macro.bl.t_wl_ps),
			(unsigned long long)p->period_ps);
	if (p->ntrace > CHIP_MAX_TRACE)
		return imc_fail(IMC_EINVAL, "%u traced columns (at most %d)",
				p->ntrace, CHIP_MAX_TRACE);
	for (unsigned k = 0; k < p->ntrace; k++)
		if (p->trace_col[k] >= p->macro.ncol)
			return imc_fail(IMC_EINVAL,
					"traced column %u is outside the %u "
					"columns of macro.ncol",
					p->trace_col[k], p->macro.ncol);
	return 0;
}

int chip_params_check(const chip_params_t *p)
{
	return p && !chip_params_problem(p) ? 0 : -1;
}

unsigned chip_addr_bits(unsigned n)
{
	unsigned b = 1;
	while (b < 32 && (1u << b) < n)
		b++;
	return b;
}

void chip_pack_codes(struct chip *c, const uint8_t *codes)
{
	unsigned cb = c->code_bits, k = 0, sh = 0;
	uint64_t acc = 0, *w = c->in_words;
	for (unsigned r = 0; r < c->p.macro.ndata; r++) {
		acc |= (uint64_t)codes[r] << sh; /* codes[r] < 2^cb */
		sh += cb;
		if (sh >= 64) { /* word full: the code's high bits carry */
			w[k++] = acc;
			sh -= 64;
			acc = sh ? (uint64_t)codes[r] >> (cb - sh) : 0;
		}
	}
	if (sh)
		w[k] = acc;
}

void chip_drive_wl(struct chip *c, bool on)
{
	const uint8_t *codes = c->seq.cur_codes;
	/* in_words is followed by in_nwords zero words (chip_new) */
	sim_vec_write(c->wl, c->in_words + (on ? 0 : c->in_nwords));
	if (c->wl_code)
		for (unsigned r = 0; r < c->p.macro.ndata; r++)
			sim_vec_write_u64(c->wl_code[r], on ? codes[r] : 0);
}

/* ---- calibration FSM on signals (doc/calibration-contract.md) ---------- */

static void calib_edge(sim_proc_t *self, void *ctx)
{
	struct chip *c = ctx;
	calib_in_t in = { 0 };
	calib_out_t o;
	if (c->cal_asleep) { /* woken by the start request: from the next
			      * edge on, the clock again */
		c->cal_asleep = false;
		return;
	}
	in.start = sim_bit_read(c->cal_start);
	/* the host's operating point is loaded with the start (macro.h) */
	in.op_we = in.start;
	in.op_code = c->m.cal_pre;
	int before = calib_state(&c->cal);
	/* IDLE and DONE hold state and outputs until start: once the first
	 * edge has written the outputs, such an edge changes nothing, so the
	 * FSM sleeps until the sequencer raises start (ev_cal_wake). */
	if (!in.start && c->cal_outputs_set &&
	    (before == CALIB_IDLE || before == CALIB_DONE)) {
		c->cal_asleep = true;
		sim_next_trigger_event(self, c->ev_cal_wake);
		return;
	}
	in.cmp_valid = sim_bit_read(c->dec_valid);
	in.cmp_dec = sim_vec_read(c->dec);
	calib_clock(&c->cal, &in);
	int after = calib_state(&c->cal);
	if (in.start && (before == CALIB_IDLE || before == CALIB_DONE))
		c->cal_t_start = sim_time(c->sim);
	if (after == CALIB_DONE && before != CALIB_DONE)
		c->cal_cycles =
			(sim_time(c->sim) - c->cal_t_start) / c->p.period_ps;
	calib_outputs(&c->cal, NULL, &o);
	sim_bit_write(c->cmp_req, o.cmp_req);
	sim_bit_write(c->row_we, o.row_we);
	if (o.row_we) /* a compensation row for the SRAM port */
		sim_event_notify_delta(c->ev_sram_req);
	sim_vec_write_u64(c->row_addr, o.row_addr);
	sim_vec_write(c->row_data, o.row_data);
	sim_bit_write(c->cal_busy, o.busy);
	sim_bit_write(c->cal_done, o.done);
	sim_vec_write_u64(c->cal_pre, o.cmp_pre);
	c->cal_outputs_set = true;
	chip_trace_calib(c);
}

/* ---- bitlines: the wordline pulse, sampled for the waveform ------------- */

static void bitline_proc(sim_proc_t *self, void *ctx)
{
	struct chip *c = ctx;
	macro_t *m = &c->m;
	sim_time_t t;
	if (!c->in_pulse) { /* rising wl_en: the cells start conducting */
		unsigned nd = c->p.macro.ndata, cb = c->code_bits, k = 0,
			 sh = 0;
		const uint64_t *w = sim_vec_read(c->wl);
		uint64_t mask = (UINT64_C(1) << cb) - 1;
		for (unsigned r = 0; r < nd; r++) { /* row r: bits cb*r.. */
			uint64_t v = w[k] >> sh;
			sh += cb;
			if (sh >= 64) {
				k++;
				sh -= 64;
				if (sh)
					v |= w[k] << (cb - sh);
			}
			c->seq.cur_codes[r] = (uint8_t)(v & mask);
		}
		int rc = c->seq.cur_cal ? macro_drive_cal(m, c->seq.cur_pre)
					: macro_drive(m, c->seq.cur_codes,
						      sim_bit_read(c->comp_wl));
		if (rc) {
			sim_fail(c->sim, "%s: wordline code out of range",
				 c->name);
			return;
		}
		c->in_pulse = true;
		c->t_pulse = sim_time(c->sim);
		t = 0;
	} else {
		t = sim_time(c->sim) - c->t_pulse;
	}
	chip_trace_lines(c, t);
	if (t >= c->p.macro.bl.t_wl_ps) { /* pulse over: wordlines low */
		c->in_pulse = false;
		sim_bit_write(c->wl_en, false);
		sim_bit_write(c->comp_wl, false);
		chip_drive_wl(c, false);
		return;
	}
	sim_next_trigger_time(self, chip_trace_next(c, t));
}

/* ---- comparators: decide at the strobe ---------------------------------- */

static void comparator_proc(sim_proc_t *self, void *ctx)
{
	struct chip *c = ctx;
	(void)self;
	macro_strobe(&c->m, NULL);
	sim_vec_write(c->dec, c->m.dec);
	chip_trace_strobe(c);
	if (c->seq.strobe_classify && c->result_fn)
		c->result_fn(c->result_ctx, c, c->m.dec);
}

/* ---- construction ------------------------------------------------------- */

static sim_signal_t *mk_bit(struct chip *c, const char *n)
{
	char nm[256];
	snprintf(nm, sizeof nm, "%s.%s", c->name, n);
	return sim_bit_new(c->sim, nm, false);
}

static sim_signal_t *mk_vec(struct chip *c, const char *n, unsigned w)
{
	char nm[256];
	snprintf(nm, sizeof nm, "%s.%s", c->name, n);
	return sim_vec_new(c->sim, nm, w, NULL);
}

static int mk_proc(struct chip *c, const char *n, sim_method_fn fn,
		   sim_proc_t **out)
{
	char nm[256];
	snprintf(nm, sizeof nm, "%s.%s", c->name, n);
	*out = sim_method_new(c->sim, nm, fn, c);
	if (!*out)
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
	sim_proc_dont_initialize(*out);
	return 0;
}

static int build(struct chip *c, sim_signal_t *clk)
{
	const macro_params_t *mp = &c->p.macro;
	unsigned nd = mp->ndata, n = mp->ncol;
	int rc;

	c->clk = clk;
	if (!c->clk) {
		char cn[256];
		snprintf(cn, sizeof cn, "%s.clk", c->name);
		c->clk = sim_clock_new(c->sim, cn, c->p.period_ps, 50,
				       c->p.period_ps, true);
	}
	c->pre = mk_bit(c, "pre");
	c->wl_en = mk_bit(c, "wl_en");
	c->comp_wl = mk_bit(c, "comp_wl");
	c->strobe = mk_bit(c, "strobe");
	c->dec_valid = mk_bit(c, "dec_valid");
	c->busy = mk_bit(c, "busy");
	c->in_reg = mk_vec(c, "in_reg", nd * c->code_bits);
	c->dec = mk_vec(c, "dec", n);
	c->sram_we = mk_bit(c, "sram_we");
	c->sram_re = mk_bit(c, "sram_re");
	c->sram_addr = mk_vec(c, "sram_addr", chip_addr_bits(c->m.nrow));
	c->sram_wdata = mk_vec(c, "sram_wdata", n);
	c->sram_rdata = mk_vec(c, "sram_rdata", n);
	c->cal_start = mk_bit(c, "cal_start");
	c->cmp_req = mk_bit(c, "cmp_req");
	c->row_we = mk_bit(c, "row_we");
	c->row_addr = mk_vec(c, "row_addr", chip_addr_bits(mp->comp.nrow));
	c->row_data = mk_vec(c, "row_data", n);
	c->cal_busy = mk_bit(c, "cal_busy");
	c->cal_done = mk_bit(c, "cal_done");
	c->cal_pre = mk_vec(c, "cal_pre", CALIB_OP_BITS);
	c->wl = mk_vec(c, "wl", nd * c->code_bits);
	if (!c->clk || !c->pre || !c->wl_en || !c->comp_wl || !c->strobe ||
	    !c->dec_valid || !c->busy || !c->in_reg || !c->dec || !c->sram_we ||
	    !c->sram_re || !c->sram_addr || !c->sram_wdata || !c->sram_rdata ||
	    !c->cal_start || !c->cmp_req || !c->row_we || !c->row_addr ||
	    !c->row_data || !c->cal_busy || !c->cal_done || !c->cal_pre ||
	    !c->wl)
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
	if ((rc = chip_trace_signals_new(c)))
		return rc;
	/* The sequencer is three processes (clock edge, wordline on, strobe
	 * off) and the bitline process ends the pulse: they drive these
	 * lines in different deltas, as SystemC's SC_MANY_WRITERS signals. */
	sim_signal_t *shared[] = { c->pre, c->strobe, c->wl_en, c->comp_wl };
	for (unsigned i = 0; i < sizeof shared / sizeof shared[0]; i++)
		sim_sig_set_writers(shared[i], SIM_WRITERS_MANY);
	sim_sig_set_writers(c->wl, SIM_WRITERS_MANY);
	for (unsigned k = 0; k < c->p.ntrace; k++) {
		sim_sig_set_writers(c->bl[k], SIM_WRITERS_MANY);
		sim_sig_set_writers(c->blb[k], SIM_WRITERS_MANY);
		sim_sig_set_writers(c->vdiff[k], SIM_WRITERS_MANY);
	}
	c->ev_wl_on = sim_event_new(c->sim, "wl_on");
	c->ev_strobe_off = sim_event_new(c->sim, "strobe_off");
	c->ev_idle = sim_event_new(c->sim, "idle");
	c->ev_sram_req = sim_event_new(c->sim, "sram_req");
	c->ev_cal_wake = sim_event_new(c->sim, "cal_start");
	c->ev_seq_wake = sim_event_new(c->sim, "seq_cmd");
	if (!c->ev_wl_on || !c->ev_strobe_off || !c->ev_idle ||
	    !c->ev_sram_req || !c->ev_cal_wake || !c->ev_seq_wake)
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);

	sim_proc_t *pc, *pb, *pk;
	if ((rc = mk_proc(c, "calib", calib_edge, &pc)) ||
	    (rc = mk_proc(c, "bitline", bitline_proc, &pb)) ||
	    (rc = mk_proc(c, "comparator", comparator_proc, &pk)))
		return rc;
	if ((rc = sim_sensitive_pos(pc, c->clk)) ||
	    (rc = sim_sensitive_pos(pb, c->wl_en)) ||
	    (rc = sim_sensitive_pos(pk, c->strobe)))
		return rc;
	c->p_bitline = pb;
	if ((rc = sequencer_init(c)) || (rc = sram_init(c)))
		return rc;
	return 0;
}

chip_t *chip_new(sim_t *sim, const chip_params_t *p, uint64_t seed, unsigned id,
		 const char *name, sim_signal_t *clk, int *err)
{
	int rc = SIM_ERR_ARG;
	struct chip *c = NULL;
	calib_params_t cp;
	if (!sim || !name || chip_params_check(p))
		goto out;
	rc = SIM_ERR_NOMEM;
	c = calloc(1, sizeof(*c));
	if (!c)
		goto out;
	c->sim = sim;
	c->p = *p;
	c->id = id;
	c->code_bits = chip_addr_bits(wldac_code_max(&p->macro.wldac) + 1);
	c->name = malloc(strlen(name) + 1);
	if (!c->name)
		goto out;
	strcpy(c->name, name);
	if (macro_init(&c->m, &p->macro, seed, id))
		goto out;
	c->scratch = calloc(c->m.nword, sizeof(uint64_t));
	c->in_nwords = (p->macro.ndata * c->code_bits + 63) / 64;
	c->in_words = calloc(2 * (size_t)c->in_nwords, sizeof(uint64_t));
	cp.ncol = p->macro.ncol;
	cp.nrow = p->macro.comp.nrow;
	if (!c->scratch || !c->in_words || calib_init(&c->cal, &cp))
		goto out;
	rc = build(c, clk);
	if (rc)
		goto out;
	if (err)
		*err = 0;
	return c;
out:
	if (err)
		*err = rc;
	chip_free(c);
	return NULL;
}

void chip_free(chip_t *c)
{
	if (!c)
		return;
	macro_free(&c->m);
	sequencer_free(&c->seq);
	free(c->wl_code);
	free(c->in_words);
	free(c->scratch);
	free(c->name);
	free(c);
}

/* ---- host API ------------------------------------------------------------ */

int chip_write_row(chip_t *c, unsigned row, const uint64_t *data)
{
	if (!c || !data || row >= c->m.nrow)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	unsigned tail = c->m.p.ncol % 64;
	if (tail && (data[c->m.nword - 1] >> tail))
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	return sequencer_push(c, SEQ_WRITE, row, data, NULL, false);
}

int chip_read_row(chip_t *c, unsigned row)
{
	if (!c || row >= c->m.nrow)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	return sequencer_push(c, SEQ_READ, row, NULL, NULL, false);
}

int chip_classify(chip_t *c, const uint8_t *codes, bool comp_on)
{
	if (!c || !codes)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	for (unsigned r = 0; r < c->m.p.ndata; r++)
		if (codes[r] > wldac_code_max(&c->m.p.wldac))
			return imc_fail(SIM_ERR_ARG, "%s: invalid argument",
					__func__);
	return sequencer_push(c, SEQ_CLASSIFY, 0, NULL, codes, comp_on);
}

int chip_calibrate(chip_t *c)
{
	if (!c)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	return sequencer_push(c, SEQ_CALIBRATE, 0, NULL, NULL, false);
}

bool chip_idle(const chip_t *c)
{
	return c->seq.idle && c->seq.head == c->seq.tail;
}

sim_event_t *chip_idle_event(chip_t *c)
{
	return c->ev_idle;
}

int chip_run_until_idle(chip_t *c, uint64_t max_cycles)
{
	for (uint64_t k = 0; !chip_idle(c); k++) {
		if (k >= max_cycles)
			return -1;
		int rc = sim_run(c->sim, c->p.period_ps);
		if (rc)
			return rc;
	}
	return 0;
}

void chip_set_result_cb(chip_t *c, chip_result_fn fn, void *ctx)
{
	c->result_fn = fn;
	c->result_ctx = ctx;
}

const uint64_t *chip_decisions(const chip_t *c)
{
	return sim_vec_read(c->dec);
}

const uint64_t *chip_read_data(const chip_t *c)
{
	return sim_vec_read(c->sram_rdata);
}

unsigned chip_comp_count(const chip_t *c, unsigned col)
{
	return calib_count(&c->cal, col);
}

uint64_t chip_calib_cycles(const chip_t *c)
{
	return c->cal_cycles;
}

const chip_energy_t *chip_energy(const chip_t *c)
{
	return &c->m.energy;
}

macro_t *chip_macro(chip_t *c)
{
	return &c->m;
}

sim_signal_t *chip_clock(chip_t *c)
{
	return c->clk;
}

sim_time_t chip_calib_t_start(const chip_t *c)
{
	return c->cal_t_start;
}
