/*
 * chip_internal.h - the layout of chip_t, shared by the chip's block files
 * (chip.c, sequencer.c, sram.c) and nobody else.
 */
#ifndef IMCSIM_CHIP_INTERNAL_H
#define IMCSIM_CHIP_INTERNAL_H

#include "chip/calib.h"
#include "chip/chip.h"
#include "chip/sequencer.h"

struct chip {
	sim_t *sim;
	chip_params_t p;
	macro_t m;
	unsigned id;
	unsigned code_bits; /* width of one wordline code */
	char *name;
	/* clock and sequencer outputs */
	sim_signal_t *clk, *pre, *wl_en, *comp_wl, *strobe, *dec_valid, *busy;
	sim_signal_t *in_reg; /* ndata codes, code r in bits cb*r.. */
	sim_signal_t *wl;     /* the wordline codes, in_reg's layout (0
			       * outside pulses): one write per edge of a
			       * pulse instead of ndata */
	uint64_t *in_words;   /* the codes being packed (in_reg's words) */
	unsigned in_nwords;
	/* comparator outputs */
	sim_signal_t *dec;
	/* SRAM port */
	sim_signal_t *sram_we, *sram_re, *sram_addr, *sram_wdata, *sram_rdata;
	/* calibration FSM ports */
	sim_signal_t *cal_start, *cmp_req, *row_we, *row_addr, *row_data;
	sim_signal_t *cal_busy, *cal_done;
	sim_signal_t *cal_pre; /* the FSM's cmp_pre: operating-point code */
	/* trace-only signals (chip_trace.c): analog nodes of traced columns,
	 * the calibration FSM's state, step and counts */
	sim_signal_t *bl[CHIP_MAX_TRACE], *blb[CHIP_MAX_TRACE];
	sim_signal_t *vdiff[CHIP_MAX_TRACE], *cal_n[CHIP_MAX_TRACE];
	sim_signal_t *cal_state, *cal_step;
	sim_signal_t **wl_code; /* per-row copies of wl for the waveform
				 * (chip_trace_view), NULL untraced */
	chip_strobe_fn strobe_fn;
	void *strobe_ctx;
	sim_event_t *ev_wl_on, *ev_strobe_off, *ev_idle;
	/* Blocks with nothing to do sleep (next_trigger on their request
	 * event) instead of running at every edge: the SRAM port until a
	 * row request, the calibration FSM in IDLE / DONE until start. The
	 * wake-up activation only returns, so the block's static
	 * sensitivity (the clock edge) and its place in an edge's order are
	 * back from the next edge on. */
	sim_event_t *ev_sram_req, *ev_cal_wake, *ev_seq_wake;
	bool sram_asleep, cal_asleep;
	sim_proc_t *p_bitline;
	calib_t cal;
	sim_time_t cal_t_start;
	uint64_t cal_cycles;
	bool cal_outputs_set; /* calib_edge has written the FSM outputs once */
	sequencer_t seq;
	/* bitline process state */
	bool in_pulse;
	sim_time_t t_pulse;
	chip_result_fn result_fn;
	void *result_ctx;
	uint64_t *scratch; /* nword words */
};

/* Bits needed to address n things (at least 1). */
unsigned chip_addr_bits(unsigned n);
/* Pack ndata codes into c->in_words (in_reg's and wl's layout). */
void chip_pack_codes(struct chip *c, const uint8_t *codes);
/* Wordlines at the codes in c->in_words (on) or all low (0): one write
 * of wl, plus the per-row waveform copies when traced. */
void chip_drive_wl(struct chip *c, bool on);

/* ---- trace-only signals (chip_trace.c); they never feed the model ---- */
/* Create them (from build()). */
int chip_trace_signals_new(struct chip *c);
/* After each FSM edge: state, step and the traced columns' counts. */
void chip_trace_calib(struct chip *c);
/* Precharge starts: traced lines back at V_pre. */
void chip_trace_precharge(struct chip *c);
/* Traced lines at time t_ps into the pulse (macro_drive has run). */
void chip_trace_lines(struct chip *c, sim_time_t t_ps);
/* The strobe: traced lines at the values the comparators decided on. */
void chip_trace_strobe(struct chip *c);
/* Delay from pulse time t_ps to the next sample (or to the pulse end). */
sim_time_t chip_trace_next(const struct chip *c, sim_time_t t_ps);

#endif /* IMCSIM_CHIP_INTERNAL_H */
