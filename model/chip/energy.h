/*
 * energy.h - energy accounting of one chip, per operation.
 *
 * Contract
 * --------
 * Counters accumulate joules by kind; every chip operation adds its share
 * when it happens (both the transaction-level and the cycle-accurate path
 * call the same functions, so their totals agree):
 *   - bitline restore: C_BL * VDD * (V_pre - V_end) per line per compare
 *     (the charge the precharge devices draw from VDD to restore the line);
 *   - WLDAC: e_wl_row_j per wordline driven at a nonzero code (data rows) or
 *     on (compensation rows) in a compare;
 *   - comparator: e_cmp_j per decision;
 *   - SRAM: C_BL * VDD^2 per column of a row write (one line of the pair
 *     swings rail to rail and is restored), C_BL * VDD * v_read_v per
 *     column of a row read (the read swing).
 * VDD is bitline.v_pre_v and C_BL the column's (bitline_c_f() of its
 * height): the energy model takes both from the bitline, never from a copy
 * of its own.
 * The inter-chip bus is not part of the chip: its energy is the bus model's
 * (bus.e_bit_j per line toggle, model/system/bus.h).
 * All constants are estimates for 130 nm (doc/model-reference.md).
 */
#ifndef IMCSIM_CHIP_ENERGY_H
#define IMCSIM_CHIP_ENERGY_H

#include <stdint.h>

#include "chip/bitline.h"
#include "param/param.h"

IMC_BEGIN_DECLS

/* The energy model's own constants, declared once (param.h). */
#define ENERGY_PARAMS(X, S)                                                     \
	X(S, e_wl_row_j, DOUBLE, "J", 0.1e-12, 0, 1e-9,                         \
	  "WLDAC energy per active wordline per compare",                       \
	  "estimated: ~50 fF wordline swing + replica bias for the 5 ns pulse") \
	X(S, e_cmp_j, DOUBLE, "J", 30e-15, 0, 1e-9,                             \
	  "comparator energy per decision",                                     \
	  "estimated: 130 nm StrongARM latch")                                  \
	X(S, v_read_v, DOUBLE, "V", 0.2, 0, 5,                                  \
	  "bitline swing of an SRAM row read",                                  \
	  "estimated: sense-amplifier input swing")                             \
	X(S, e_mac_digital_j, DOUBLE, "J", 0.26e-12, 0, 1e-9,                   \
	  "digital baseline (reporting only): one binary-weight accumulate",    \
	  "Horowitz ISSCC 2014: 16-bit add 0.05 pJ at 45 nm 0.9 V, x C 130/45 " \
	  "x V^2 (1.2/0.9)^2 = x5.1")

typedef struct energy_params {
	ENERGY_PARAMS(IMC_PARAM_FIELD, _)
} energy_params_t;

typedef struct energy {
	double restore_j, wldac_j, cmp_j, write_j, read_j;
	uint64_t n_compare, n_write, n_read;
} chip_energy_t;

#define ENERGY_SECTION "energy"
extern IMC_API const imc_param_block_t energy_param_block;

/* Fill *p with the defaults. */
void energy_params_default(energy_params_t *p);
/* 0 if every parameter of *p is in its declared range, -1 otherwise. */
int energy_params_check(const energy_params_t *p);
/* Zero all counters. */
void energy_reset(chip_energy_t *e);
/* One compare: total line droop sum_lines (v_pre - V_end) in volts, the
 * number of active wordlines and of decisions. */
void energy_add_compare(chip_energy_t *e, const energy_params_t *p,
			const bitline_params_t *bl, double c_bl_f,
			double droop_sum_v, unsigned n_wl, unsigned n_dec);
/* One SRAM row write / read of ncol columns; c_bl_f is the line
 * capacitance of the column (bitline_c_f()). */
void energy_add_write(chip_energy_t *e, const bitline_params_t *bl,
		      double c_bl_f, unsigned ncol);
void energy_add_read(chip_energy_t *e, const energy_params_t *p,
		     const bitline_params_t *bl, double c_bl_f, unsigned ncol);
/* Sum of all kinds, in joules. */
double energy_total_j(const chip_energy_t *e);

/* Reporting: a digital implementation of the same binary-weight network,
 * built from this model's own SRAM read energy. Each of n_mac
 * multiply-accumulates reads its weight bit from SRAM (one column of a row
 * read, as energy_add_read books it) and does one accumulate of
 * p->e_mac_digital_j (a +-x add into the neuron's running sum); each of
 * n_neuron neurons adds one more accumulate for its threshold. Inputs,
 * control and I/O are not counted, which favours the digital side.
 * Joules per classification; *sram_j (may be NULL) gets the SRAM part. */
double energy_digital_baseline_j(const energy_params_t *p,
				 const bitline_params_t *bl, double c_bl_f,
				 double n_mac, double n_neuron, double *sram_j);

IMC_END_DECLS

#endif /* IMCSIM_CHIP_ENERGY_H */
