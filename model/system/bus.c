/* bus.c - the 5-bit valid/ready bus; see bus.h for the contract. */
#include "system/bus.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imc_bits.h"
#include "kernel/rng.h"

struct bus {
	sim_t *sim;
	bus_params_t p;
	sim_signal_t *data, *valid, *ready, *eov;
	/* transmit queue: codes with the eov flag in bit 7 */
	uint8_t *q;
	size_t qhead, qlen, qcap;
	/* receive buffer */
	uint8_t rx[BUS_MAX_VECTOR];
	unsigned rxn;
	uint64_t cycle;
	bus_sink_fn sink;
	void *sink_ctx;
	bus_stats_t st;
	sim_event_t *ev_wake; /* bus_send to a sleeping bus */
	bool asleep;	      /* waiting for ev_wake, not the clock */
	unsigned last_lines;  /* data | valid << 5 | eov << 6 at last edge */
	char err[160];
};

IMC_PARAM_BLOCK_DEFINE(bus_param_block, BUS_SECTION, bus_params_t, BUS_PARAMS);

void bus_params_default(bus_params_t *p)
{
	imc_param_defaults(&bus_param_block, p);
	p->seed = 1;
	p->id = 0;
}

int bus_params_check(const bus_params_t *p)
{
	return imc_param_check_msg(&bus_param_block, p) ? -1 : 0;
}

unsigned bus_word_toggles(unsigned *last, uint8_t code, bool eov)
{
	unsigned lines = code | 1u << 5 | (unsigned)eov << 6;
	unsigned t = imc_popcount8((uint8_t)(lines ^ *last));
	*last = lines;
	return t;
}

uint64_t bus_vector_toggles(unsigned *last, const uint8_t *codes, unsigned n)
{
	uint64_t t = 0;
	for (unsigned i = 0; i < n; i++)
		t += bus_word_toggles(last, codes[i], i + 1 == n);
	return t;
}

/* The bus is the lines' only writer and writes each at most once per edge,
 * so a line's current value is what it last wrote: a write of that same
 * value would change nothing, and is skipped (no update-phase work). */
static inline __attribute__((always_inline)) void put_bit(sim_signal_t *s,
							  bool v)
{
	if (sim_bit_read(s) != v)
		sim_bit_write(s, v);
}

/* Transmitter and receiver share one posedge process: both sample the
 * lines as they were before the edge (writes land in the update phase), so
 * this is the same as two registered blocks. */
static void bus_edge(sim_proc_t *self, void *ctx)
{
	bus_t *b = ctx;
	if (b->asleep) { /* woken by bus_send: from the next edge on */
		b->asleep = false;
		return;
	}
	bool valid = sim_bit_read(b->valid), ready = sim_bit_read(b->ready);
	b->cycle++;
	if (valid && ready) {
		uint8_t code = (uint8_t)sim_vec_read_u64(b->data);
		bool eov = sim_bit_read(b->eov);
		b->st.toggles += bus_word_toggles(&b->last_lines, code, eov);
		b->st.energy_j = (double)b->st.toggles * b->p.e_bit_j;
		b->st.words++;
		b->rx[b->rxn++] = code;
		b->qhead++;
		b->qlen--;
		if (eov || b->rxn == BUS_MAX_VECTOR) {
			b->st.vectors++;
			if (b->sink)
				b->sink(b->sink_ctx, b->rx, b->rxn);
			b->rxn = 0;
		}
	} else if (valid) {
		b->st.stall_cycles++;
	}
	/* transmitter: present the head of the queue */
	if (b->qlen) {
		uint8_t w = b->q[b->qhead];
		if (sim_vec_read_u64(b->data) != (w & 0x1fu))
			sim_vec_write_u64(b->data, w & 0x1f);
		put_bit(b->eov, (w >> 7) & 1);
		put_bit(b->valid, true);
	} else {
		put_bit(b->valid, false);
		put_bit(b->eov, false);
	}
	/* receiver: back-pressure */
	if (b->p.stall_prob > 0.0)
		put_bit(b->ready,
			rng_uniform(b->p.seed, RNG_STREAM_BUS_STALL, b->p.id,
				    b->cycle, 0) >= b->p.stall_prob);
	else
		put_bit(b->ready, true);
	/* Nothing queued, the lines at rest (valid low, ready high without
	 * back-pressure): every further edge would write these same values,
	 * so sleep until bus_send. The cycle count only keys the stall
	 * draws, which a bus without back-pressure never makes. */
	if (!b->qlen && b->p.stall_prob <= 0.0) {
		b->asleep = true;
		sim_next_trigger_event(self, b->ev_wake);
	}
}

bus_t *bus_new(sim_t *sim, const char *name, sim_signal_t *clk,
	       const bus_params_t *p)
{
	char n[256];
	bus_t *b = calloc(1, sizeof(*b));
	if (!b) {
		imc_fail(SIM_ERR_NOMEM, "bus %s: out of memory", name);
		return NULL;
	}
	b->sim = sim;
	if (p)
		b->p = *p;
	else
		bus_params_default(&b->p);
	snprintf(n, sizeof(n), "%s.data", name);
	b->data = sim_vec_new(sim, n, BUS_DATA_BITS, NULL);
	snprintf(n, sizeof(n), "%s.valid", name);
	b->valid = sim_bit_new(sim, n, false);
	snprintf(n, sizeof(n), "%s.ready", name);
	b->ready = sim_bit_new(sim, n, false);
	snprintf(n, sizeof(n), "%s.eov", name);
	b->eov = sim_bit_new(sim, n, false);
	snprintf(n, sizeof(n), "%s.wake", name);
	b->ev_wake = sim_event_new(sim, n);
	sim_proc_t *proc = sim_method_new(sim, name, bus_edge, b);
	if (!b->data || !b->valid || !b->ready || !b->eov || !b->ev_wake ||
	    !proc || sim_sensitive_pos(proc, clk) != SIM_OK) {
		free(b);
		imc_fail(SIM_ERR_NOMEM, "bus %s: out of memory", name);
		return NULL;
	}
	sim_proc_dont_initialize(proc);
	return b;
}

void bus_free(bus_t *bus)
{
	if (!bus)
		return;
	free(bus->q);
	free(bus);
}

void bus_set_sink(bus_t *bus, bus_sink_fn fn, void *ctx)
{
	bus->sink = fn;
	bus->sink_ctx = ctx;
}

static int bus_fail(bus_t *bus, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bus_fail(bus_t *bus, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(bus->err, sizeof(bus->err), fmt, ap);
	va_end(ap);
	return imc_fail(code, "%s", bus->err);
}

const char *bus_error(const bus_t *bus)
{
	return bus->err;
}

int bus_send(bus_t *bus, const uint8_t *codes, unsigned n)
{
	if (n == 0 || n > BUS_MAX_VECTOR)
		return bus_fail(bus, SIM_ERR_ARG,
				"bus: vector of %u words (allowed 1..%d)", n,
				BUS_MAX_VECTOR);
	for (unsigned i = 0; i < n; i++)
		if (codes[i] > 31)
			return bus_fail(
				bus, SIM_ERR_ARG,
				"bus: code %u at word %u exceeds 5 bits",
				codes[i], i);
	if (bus->qhead && bus->qhead + bus->qlen + n > bus->qcap) {
		memmove(bus->q, bus->q + bus->qhead, bus->qlen);
		bus->qhead = 0;
	}
	if (bus->qlen + n > bus->qcap) {
		size_t cap = bus->qcap ? bus->qcap : 256;
		while (cap < bus->qlen + n)
			cap *= 2;
		uint8_t *q = realloc(bus->q, cap);
		if (!q)
			return bus_fail(bus, SIM_ERR_NOMEM,
					"bus: out of memory");
		bus->q = q;
		bus->qcap = cap;
	}
	uint8_t *dst = bus->q + bus->qhead + bus->qlen;
	for (unsigned i = 0; i < n; i++)
		dst[i] = (uint8_t)(codes[i] | (i == n - 1 ? 0x80 : 0));
	bus->qlen += n;
	if (bus->asleep)
		return sim_event_notify_delta(bus->ev_wake);
	return SIM_OK;
}

bool bus_idle(const bus_t *bus)
{
	return bus->qlen == 0 && !sim_bit_read(bus->valid);
}

const bus_stats_t *bus_stats(const bus_t *bus)
{
	return &bus->st;
}

int bus_trace_view(bus_t *bus, sim_trace_t *tr, sim_gtkw_t *g,
		   const char *prefix, const char *label)
{
	struct {
		sim_signal_t *s;
		const char *n;
		enum sim_gtkw_fmt f;
	} t[] = {
		{ bus->valid, "valid", SIM_GTKW_BIN },
		{ bus->ready, "ready", SIM_GTKW_BIN },
		{ bus->eov, "eov", SIM_GTKW_BIN },
		{ bus->data, "data", SIM_GTKW_DEC },
	};
	char n[256];
	if (sim_gtkw_group(g, label ? label : prefix, 0))
		return SIM_ERR_ARG;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(n, sizeof(n), "%s.%s", prefix, t[i].n);
		if (sim_gtkw_trace(g, tr, t[i].s, n, t[i].f, NULL))
			return SIM_ERR_ARG;
	}
	return sim_gtkw_group_end(g) ? SIM_ERR_ARG : SIM_OK;
}

int bus_trace(bus_t *bus, sim_trace_t *tr, const char *prefix)
{
	return bus_trace_view(bus, tr, NULL, prefix, NULL);
}
