/*
 * sequencer.h - the chip sequencer: host command queue and the cycle-level
 * control of compare operations.
 *
 * Contract
 * --------
 * At every rising edge the sequencer (one method process):
 *   1. strobes the comparators if a wordline pulse ran in the cycle that
 *      just ended (strobe high for half a cycle, dec_valid for the cycle);
 *   2. if a calibration is running, starts a calibration compare (data
 *      codes 0, compensation rows on but row nrow-1, lines precharged to
 *      the level of the FSM's cmp_pre: macro_drive_cal()) when it samples
 *      cmp_req, and ends the calibration when it samples done;
 *   3. otherwise takes the next host command: a row write or read drives the
 *      SRAM port for this cycle (the port acts on the next edge); a classify
 *      loads the input register and starts a compare; a calibrate pulses
 *      the FSM's start for one cycle.
 * A compare started at edge E0 raises pre at E0, the wordlines (codes from
 * the input register, or 0) at E0 + t_pre_ps; the bitline process ends the
 * pulse after t_wl_ps; the strobe follows at E0 + one period. The chip is
 * idle when the queue is empty and nothing is in flight.
 *
 * An idle sequencer costs nothing: after the edge that finds the chip idle
 * (whose writes leave every output at rest) it sleeps until
 * sequencer_push() notifies ev_seq_wake; the wake-up activation only
 * returns, so the sequencer is back on the clock edge, at its place among
 * the processes of an edge, from the next edge on. A command queued
 * between runs, or at an edge by a process that runs after the sequencer
 * (the system's bus sinks: chips are built before buses), is taken at the
 * next edge, asleep or not, as when the sequencer ran at every edge; one
 * queued at an edge by a process that runs before it is taken at that
 * same edge only if the sequencer was awake.
 */
#ifndef IMCSIM_CHIP_SEQUENCER_H
#define IMCSIM_CHIP_SEQUENCER_H

#include <stdbool.h>
#include <stdint.h>

struct chip;

enum seq_cmd_kind { SEQ_WRITE, SEQ_READ, SEQ_CLASSIFY, SEQ_CALIBRATE };

typedef struct sequencer {
	/* the command queue: [head, tail) of cap slots */
	unsigned head, tail, cap;
	uint8_t *kind;	/* enum seq_cmd_kind per slot */
	unsigned *row;	/* row of a write / read */
	bool *comp_on;	/* compensation wordline of a classify */
	uint64_t *data; /* nword words per slot */
	uint8_t *codes; /* ndata codes per slot */
	/* control state */
	int cal_phase;	/* 0 none, 1 start issued, 2 running */
	bool pulsed;	/* a wordline pulse ran in the current cycle */
	bool sram_busy; /* an SRAM command acts at the next edge */
	bool idle;
	bool asleep;	      /* idle, waiting for ev_seq_wake, not the clock */
	bool cur_classify;    /* the compare being pulsed is a classify */
	bool strobe_classify; /* the compare being strobed is a classify */
	bool cur_comp_on;     /* compensation wordline of the current compare */
	bool cur_cal;	      /* the current compare is a calibration compare */
	unsigned cur_pre;     /* its operating-point (precharge) code */
	uint8_t *cur_codes;   /* codes of the current compare (ndata) */
} sequencer_t;

/* Set up the queue and the processes of c's sequencer. 0 or sim_err. */
int sequencer_init(struct chip *c);
void sequencer_free(sequencer_t *s);
/* Queue a command (data / codes copied; may be NULL when unused). 0 or
 * SIM_ERR_NOMEM. */
int sequencer_push(struct chip *c, enum seq_cmd_kind kind, unsigned row,
		   const uint64_t *data, const uint8_t *codes, bool comp_on);

#endif /* IMCSIM_CHIP_SEQUENCER_H */
