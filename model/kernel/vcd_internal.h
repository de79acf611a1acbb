/*
 * vcd_internal.h - the trace object shared by vcd.c (opening, the signal
 * walk of each time step, value text, buffered output) and vcd_header.c
 * (the header). Not installed.
 */
#ifndef IMCSIM_VCD_INTERNAL_H
#define IMCSIM_VCD_INTERNAL_H

#include "kernel/fst_internal.h"

#define VCD_BUF_BYTES (1u << 20)
/* Room one value change of a bit, a vector up to 64 bits or a real may
 * take, with the slack of the word-sized copies: 'b', 64 digits, " id\n"
 * copied as 8 bytes (the id has at most 5 characters, n < 2^32). */
#define VCD_LINE_SMALL 96

/* How a variable's value is written. */
enum vcd_fmt {
	VCD_BIT,  /* '0'/'1' */
	VCD_VEC,  /* 'b' and the digits, width <= 64 */
	VCD_REAL, /* 'r' and %.16g */
	VCD_WIDE, /* 'b' and the digits of several words */
};

/* What the per-change path touches, 32 bytes, in one dense array: the
 * dirty walk of a time step stays in cache however the signals lie. */
typedef struct vcd_hot {
	const sim_signal_t *sig;
	uint64_t last; /* last dumped value (width <= 64, reals as bits) */
	/* the line's end after the value: " id\n" (just "id\n" after a
	 * bit), zero-padded so it can be copied as 8 bytes */
	char tail[8];
	uint8_t taillen;
	uint8_t fmt; /* enum vcd_fmt */
} vcd_hot_t;

/* The rest of a variable: header, wide values, FST. */
typedef struct vcd_var {
	char *hier;	  /* full dotted name */
	size_t scope_len; /* bytes of hier before the variable name */
	char id[8];
	uint8_t idlen;
	uint64_t *last_w; /* width > 64 */
	uint32_t fst_h;	  /* FST variable handle */
} vcd_var_t;

struct sim_trace {
	sim_t *sim;
	char *path;
	int fd;
	sim_fst_t *fst; /* FST output instead of text */
	bool closed;
	bool header_done;
	bool io_error;
	bool time_written;
	sim_time_t last_time;
	vcd_hot_t *hot;
	vcd_var_t *vars;
	uint32_t nvars, capvars;
	/* variables changed in this time step, in the order of their
	 * changes, repeats included (the first appearance writes the value,
	 * a repeat finds it dumped already); dcap >= 2 * capvars, so
	 * squeezing a full queue frees at least half of it */
	uint32_t *dirty;
	uint32_t ndirty, dcap;
	uint8_t *seen; /* all zero outside squeeze() */
	char *buf;
	size_t len, cap;
};

/* The buffer with room for need more bytes (flushed, or grown for a huge
 * line), or NULL after an error (recorded on the trace). */
char *vcd_reserve_slow(sim_trace_t *tr, size_t need);

static inline char *vcd_reserve(sim_trace_t *tr, size_t need)
{
	if (tr->len + need <= tr->cap)
		return tr->buf + tr->len;
	return vcd_reserve_slow(tr, need);
}

void vcd_put(sim_trace_t *tr, const char *s, size_t n);
void vcd_puts(sim_trace_t *tr, const char *s);
/* One value line of variable i at p (vcd_line_max(tr, i) bytes
 * reserved); returns its end. */
char *vcd_put_value(sim_trace_t *tr, char *p, uint32_t i);
/* Bytes the value line of variable i may take, slack included. */
size_t vcd_line_max(const sim_trace_t *tr, uint32_t i);
/* The current value of variable i becomes its last dumped one. */
void vcd_remember(sim_trace_t *tr, uint32_t i);
/* The header and the initial values, at the end of the first time step;
 * the trace is then started (header_done). */
void vcd_write_header(sim_trace_t *tr, sim_time_t now);

#endif /* IMCSIM_VCD_INTERNAL_H */
