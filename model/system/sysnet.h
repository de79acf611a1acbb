/*
 * sysnet.h - the network the four-chip system runs, as the hardware stores
 * it.
 *
 * Contract
 * --------
 * Three layers (SYS_NLAYER). Layer l has n_in inputs (data rows, one 5-bit
 * code each) and n_out columns (neurons); the default shape is 96 -> 96 ->
 * 96 -> 90. Weights are stored exactly as the SRAM rows the host writes:
 * w[i] is data row i, bit j set means weight(i, j) = +1 (the cell discharges
 * BLB, pushing column j towards +1), clear means -1. Rows i >= n_in and bits
 * j >= n_out must be 0.
 *
 * thr[j] is column j's threshold shift t_c in compensation steps: after
 * calibration has found the column's count n_c, the host writes the
 * compensation rows with the thermometer code of n_c + t_c. A compensation
 * cell at 1 pushes the column towards +1, so t_c > 0 lowers the threshold
 * (one step = about 4 data-code units with the default 2-LSB compensation
 * current). This is bnn.h's bias_steps, with the same sign. The realizable
 * range is -n_c <= t_c <= nrow - n_c, per column, known only after
 * calibration (sys_thr_range() in system.h); outside it the system clamps
 * and counts the column as saturated.
 *
 * The converters take the BNN engineer's deployed network (bnn/bnn.h)
 * directly: w[j * n_in + i] = +1 sets bit j of row i, bias_steps -> thr.
 */
#ifndef IMCSIM_SYSTEM_SYSNET_H
#define IMCSIM_SYSTEM_SYSNET_H

#include <stddef.h>
#include <stdint.h>

#include "imc_export.h"

IMC_BEGIN_DECLS

struct bnn_net;
struct bnn_layer;

#define SYS_NLAYER 3
#define SYS_MAX_ROW 128 /* data rows per layer at most */
#define SYS_MAX_COL 128 /* columns per layer at most */
#define SYS_NWORD (SYS_MAX_COL / 64)

typedef struct sys_layer {
	unsigned n_in, n_out;
	uint64_t w[SYS_MAX_ROW][SYS_NWORD]; /* row i, bit j: weight +1 */
	int16_t thr[SYS_MAX_COL];	    /* t_c in compensation steps */
} sys_layer_t;

typedef struct sys_net {
	sys_layer_t layer[SYS_NLAYER];
} sys_net_t;

/* All weights -1, thresholds 0, shape 96-96-96-90. */
void sys_net_init(sys_net_t *net);
/* Shape and stray-bit check; -1 with a message if malformed. */
int sys_net_check(const sys_net_t *net);
/* Weight of (row i, column j) of layer l as +1 / -1. */
int sys_net_weight(const sys_net_t *net, unsigned l, unsigned i, unsigned j);
void sys_net_set_weight(sys_net_t *net, unsigned l, unsigned i, unsigned j,
			int w);
/* Random weights (keyed by seed, layer, row, column) and thresholds in
 * -thr_span..thr_span, for tests and benchmarks. */
void sys_net_random(sys_net_t *net, uint64_t seed, int thr_span);

/* One deployed bnn layer -> hardware layer. -1 with a message if its shape
 * exceeds SYS_MAX_ROW x SYS_MAX_COL or a weight is not +-1. */
int sys_layer_from_bnn(const struct bnn_layer *bl, sys_layer_t *out);
/* The whole deployed network. */
int sys_net_from_bnn(const struct bnn_net *bn, sys_net_t *out);

IMC_END_DECLS

#endif /* IMCSIM_SYSTEM_SYSNET_H */
