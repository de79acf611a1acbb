/*
 * bus.h - the inter-chip 5-bit bus: data[4:0], valid, ready and an
 * end-of-vector marker, cycle-accurate with back-pressure.
 *
 * Contract (all signals sampled on the rising edge of the bus clock):
 * - The transmitter drives valid, data and eov from registers. A word is
 *   transferred on an edge where valid and ready are both 1; the
 *   transmitter then presents the next word (or drops valid) after that
 *   edge. eov is 1 with the last word of a vector.
 * - The receiver drives ready from a register. With stall_prob > 0 it
 *   lowers ready on a cycle with that probability, drawn from the keyed
 *   generator by (seed, bus id, cycle), to exercise back-pressure.
 * - A vector is handed to the sink callback on the edge that transfers its
 *   eov word, in order, nothing dropped. Codes are 0..31; anything else is
 *   refused when queued.
 * Energy: e_bit_j per bit line that toggles (data, valid, eov), counted at
 * each transfer edge.
 * An idle bus without back-pressure (nothing queued, valid low, ready
 * high, stall_prob 0) sleeps instead of running at every edge: bus_send
 * wakes it, and it presents the vector from the next edge on, exactly as
 * a bus that ran at every edge. With stall_prob > 0 it runs every edge
 * (ready changes and each cycle's draw is keyed by the cycle count).
 */
#ifndef IMCSIM_BUS_H
#define IMCSIM_BUS_H

#include <stdint.h>

#include "kernel/gtkw.h"
#include "kernel/sim.h"
#include "param/param.h"

IMC_BEGIN_DECLS

#define BUS_DATA_BITS 5
#define BUS_MAX_VECTOR 4096

/* The bus's parameters, declared once (param.h). */
#define BUS_PARAMS(X, S)                                                   \
	X(S, stall_prob, DOUBLE, "", 0, 0, 0.99,                           \
	  "receiver back-pressure probability per cycle", "choice: none")  \
	X(S, e_bit_j, DOUBLE, "J", 0.5 * 3e-12 * 1.8 * 1.8, 0, 1e-9,       \
	  "energy per bus line toggle",                                    \
	  "estimated: chip-to-chip I/O, 1/2 C V^2 with 3 pF (pad + ESD + " \
	  "short board trace + receiver pad) at a 1.8 V I/O supply")

typedef struct bus_params {
	BUS_PARAMS(IMC_PARAM_FIELD, _)
	uint64_t seed; /* stall pattern seed (set by the system) */
	unsigned id;   /* bus index in the system (keys the stalls) */
} bus_params_t;

#define BUS_SECTION "bus"
extern IMC_API const imc_param_block_t bus_param_block;

typedef struct bus bus_t;

/* Called when a whole vector has arrived. */
typedef void (*bus_sink_fn)(void *ctx, const uint8_t *codes, unsigned n);

typedef struct bus_stats {
	uint64_t words;	       /* words transferred */
	uint64_t vectors;      /* vectors delivered */
	uint64_t stall_cycles; /* valid high, ready low */
	uint64_t toggles;      /* line toggles counted for energy */
	double energy_j;
} bus_stats_t;

/* The lines one word drives (data[4:0], valid, eov) and the toggles moving
 * to them from *last (updated): the one toggle rule, shared by the bus
 * process and the transaction-level system. */
unsigned bus_word_toggles(unsigned *last, uint8_t code, bool eov);
/* The toggles of sending codes[0..n-1] as one vector after *last. */
uint64_t bus_vector_toggles(unsigned *last, const uint8_t *codes, unsigned n);

void bus_params_default(bus_params_t *p);
/* Validate parameters; 0 or -1 with a message (imc_last_error()). */
int bus_params_check(const bus_params_t *p);

/* Create a bus clocked by clk; signals are named "<name>.data" etc. */
bus_t *bus_new(sim_t *sim, const char *name, sim_signal_t *clk,
	       const bus_params_t *p);
void bus_free(bus_t *bus);
/* Where delivered vectors go. */
void bus_set_sink(bus_t *bus, bus_sink_fn fn, void *ctx);
/* Queue a vector of n codes (1..BUS_MAX_VECTOR, each 0..31) for sending.
 * Several vectors may be queued; they go out back to back. */
int bus_send(bus_t *bus, const uint8_t *codes, unsigned n);
/* Why the last bus_send failed. */
const char *bus_error(const bus_t *bus);
/* True when nothing is queued or in flight. */
bool bus_idle(const bus_t *bus);
const bus_stats_t *bus_stats(const bus_t *bus);
/* Add the bus's signals to a VCD under prefix (e.g. "top.bus01"). */
int bus_trace(bus_t *bus, sim_trace_t *tr, const char *prefix);
/* The same, and into the save file g (may be NULL) as a group titled
 * label (NULL: prefix). */
int bus_trace_view(bus_t *bus, sim_trace_t *tr, sim_gtkw_t *g,
		   const char *prefix, const char *label);

IMC_END_DECLS

#endif /* IMCSIM_BUS_H */
