/*
 * cosim.h - lock-step co-simulation of rtl/comp_ctrl.v (Verilated) and the
 * C golden model model/chip/calib.c.
 *
 * Contract
 * --------
 * A cosim_t holds one fresh Verilated controller and one calib_t, both in
 * their power-up state; nothing is shared between two cosim_t, so a run can
 * be replayed exactly by building a new one and feeding the same inputs.
 * Cycle k is two calls:
 *   cosim_eval()  - clock low: drive the inputs into both, evaluate the RTL
 *                   and, if asked, compare every output and every register
 *                   (state, dirty rows, step, all NCOL counts). Each
 *                   difference is printed as
 *                     cosim: MISMATCH cycle K (t=T ps) SIGNAL: rtl=A gold=B
 *                   (the first 8 of a run); returns how many there were.
 *   cosim_edge()  - the rising edge on both.
 * Between the two the caller may read the RTL's outputs (a chip model
 * reacting to row_we / cmp_req does). With a trace prefix P, both sides are
 * dumped every half cycle (50 MHz, 1 ps resolution) into P_rtl.vcd
 * (Verilator) and P_gold.vcd under the same signal names, for
 * waves/cosim.gtkw. The RTL's registers mean nothing before the first edge
 * with rst high: do not compare in cycle 0.
 *
 * The shape is fixed at compile time (COSIM_NCOL, COSIM_NROW) and must
 * match the -G parameters the model was Verilated with.
 */
#ifndef IMCSIM_COSIM_H
#define IMCSIM_COSIM_H

#include <stdbool.h>
#include <stdint.h>

#include "chip/calib.h"

#ifndef COSIM_NCOL
#define COSIM_NCOL 128
#endif
#ifndef COSIM_NROW
#define COSIM_NROW 32
#endif

#define COSIM_HALF_PS 10000ull /* half of the 20 ns (50 MHz) cycle */

typedef struct cosim cosim_t;

/* New controller pair; trace: VCD path prefix, or NULL. NULL on error (a
 * message on stderr: this is a test program, not the library). */
cosim_t *cosim_new(const char *trace);
/* Close the traces (if any) and free; -1 if a trace write failed. */
int cosim_free(cosim_t *s);

/* First half of cycle k (see above); returns the number of differences. */
int cosim_eval(cosim_t *s, unsigned long k, const calib_in_t *in, bool check);
/* Second half: the rising edge. */
void cosim_edge(cosim_t *s, unsigned long k, const calib_in_t *in);

/* The RTL's outputs this cycle, in golden-model form (after cosim_eval). */
void cosim_rtl_outputs(const cosim_t *s, calib_out_t *o);
/* The RTL's count register of column col. */
unsigned cosim_rtl_count(const cosim_t *s, unsigned col);
/* The golden model. */
const calib_t *cosim_gold(const cosim_t *s);

/* Closed loop (cosim_closed.cpp): nseeds chips calibrated by the RTL and by
 * the golden model; 0 all equal, 1 a difference, 2 an error. */
int cosim_closed(unsigned nseeds, uint64_t seed, const char *waves, bool quiet);

#endif /* IMCSIM_COSIM_H */
