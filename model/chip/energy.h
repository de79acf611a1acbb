/*
 * energy.h - energy accounting of one chip, per operation.
 *
 * Contract
 * --------
 * Counters accumulate joules by kind; every chip operation adds its share
 * when it happens (both the transaction-level and the cycle-accurate path
 * call the same functions, so their totals agree):
 *   - bitline restore: c_bl_f * vdd_v * (v_pre - V_end) per line per compare
 *     (the charge the precharge devices draw from VDD to restore the line);
 *   - WLDAC: e_wl_row_j per wordline driven at a nonzero code (data rows) or
 *     on (compensation rows) in a compare;
 *   - comparator: e_cmp_j per decision;
 *   - SRAM: e_write_col_j per column of a row write (one line of the pair
 *     swings rail to rail and is restored), e_read_col_j per column of a row
 *     read.
 * The inter-chip bus is not part of the chip: its energy is the bus model's
 * (bus.e_bit_j per line toggle, model/system/bus.h).
 * All constants are estimates for 130 nm (doc/model-reference.md).
 */
#ifndef IMCSIM_CHIP_ENERGY_H
#define IMCSIM_CHIP_ENERGY_H

#include <stdint.h>

typedef struct energy_params {
	double vdd_v; /* supply (default 1.2 V) */
	double e_wl_row_j; /* per active wordline per compare (default 0.1e-12 J, est.) */
	double e_cmp_j; /* per comparator decision (default 30e-15 J, est.) */
	double e_write_col_j; /* per column of a row write (default 288e-15 J = C_BL VDD^2) */
	double e_read_col_j; /* per column of a row read (default 48e-15 J = C_BL VDD 0.2 V) */
} energy_params_t;

typedef struct energy {
	double restore_j, wldac_j, cmp_j, write_j, read_j;
	uint64_t n_compare, n_write, n_read;
} energy_t;

/* Fill *p with the defaults above. */
void energy_params_default(energy_params_t *p);
/* 0 if usable (all >= 0, vdd_v > 0), -1 otherwise. */
int energy_params_check(const energy_params_t *p);
/* Zero all counters. */
void energy_reset(energy_t *e);
/* One compare: total line droop sum_lines (v_pre - V_end) in volts, the
 * number of active wordlines and of decisions. */
void energy_add_compare(energy_t *e, const energy_params_t *p, double c_bl_f,
			double droop_sum_v, unsigned n_wl, unsigned n_dec);
/* One SRAM row write / read of ncol columns. */
void energy_add_write(energy_t *e, const energy_params_t *p, unsigned ncol);
void energy_add_read(energy_t *e, const energy_params_t *p, unsigned ncol);
/* Sum of all kinds, in joules. */
double energy_total_j(const energy_t *e);

#endif /* IMCSIM_CHIP_ENERGY_H */
