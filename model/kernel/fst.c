/*
 * fst.c - FST output for the trace walk of vcd.c (see fst.h), and the
 * format-from-file-name dispatcher sim_trace_open().
 *
 * Bits and vectors are FST "wire" variables of their width, reals 64-bit
 * "real" variables, as the VCD writer declares them. fstapi stores every
 * value as its '0'/'1' digits (its Emit32/Emit64 only build those digits
 * with a loop per bit), so the digits come from digits.h's SSE2 expansion
 * and go to fstWriterEmitValueChange; wider vectors likewise, word by
 * word. Blocks are flushed every FST_BLOCK_BYTES, compressed with LZ4 in
 * fstapi's own thread (fstWriterSetParallelMode).
 */
#include "config.h"

#include "kernel/digits.h"
#include "kernel/fst_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool has_ext(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);
	return n > e && !strcasecmp(path + n - e, ext);
}

sim_trace_t *sim_trace_open(sim_t *sim, const char *path)
{
	if (!path || !*path) {
		sim_set_error(sim, SIM_ERR_ARG, "waveform path is empty");
		return NULL;
	}
	if (has_ext(path, ".fst"))
		return sim_trace_fst_open(sim, path);
	if (has_ext(path, ".vcd"))
		return sim_trace_vcd_open(sim, path);
	sim_set_error(sim, SIM_ERR_ARG,
		      "waveform file %s: unknown format (the name must end "
		      "in .vcd or .fst)",
		      path);
	return NULL;
}

#ifdef HAVE_FSTAPI

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include FSTAPI_H
#pragma GCC diagnostic pop

/* Value-change bytes (fstapi's: digits, a 4-byte link and a time delta)
 * after which a block is flushed. fstapi's own limit is 128 MB; its
 * flush walks each variable's changes as a linked list through the
 * block, a cache miss per change in a block that size. 16 MB cut the
 * CPU of the pipeline bench from 14.1 s to 10.4 s and also bounds
 * fstapi's touched memory (bench/README.md). */
#define FST_BLOCK_BYTES (16u << 20)

struct sim_fst {
	void *ctx;
	size_t vc_bytes; /* value change bytes since the last flush */
	char *scratch;	 /* digits of the widest vector, 64 bytes of slack */
	size_t cap;
	char name[256];
};

bool sim_trace_fst_available(void)
{
	return true;
}

sim_trace_t *sim_trace_fst_open(sim_t *sim, const char *path)
{
	return sim_trace_open_kind(sim, path, true);
}

sim_fst_t *sim_fst_create(sim_t *sim, const char *path)
{
	sim_fst_t *f = calloc(1, sizeof(*f));
	if (!f) {
		sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
		return NULL;
	}
	f->ctx = fstWriterCreate(path, 1);
	if (!f->ctx) {
		sim_set_error(sim, SIM_ERR_IO, "cannot create FST %s", path);
		free(f);
		return NULL;
	}
	fstWriterSetTimescale(f->ctx, -12);
	fstWriterSetVersion(f->ctx, "imcsim " PACKAGE_VERSION);
	fstWriterSetPackType(f->ctx, FST_WR_PT_LZ4);
	fstWriterSetParallelMode(f->ctx, 1);
	return f;
}

static const char *cstr(sim_fst_t *f, const char *s, size_t len)
{
	if (len >= sizeof(f->name))
		len = sizeof(f->name) - 1;
	memcpy(f->name, s, len);
	f->name[len] = '\0';
	return f->name;
}

void sim_fst_scope(sim_fst_t *f, const char *name, size_t len)
{
	fstWriterSetScope(f->ctx, FST_ST_VCD_MODULE, cstr(f, name, len), NULL);
}

void sim_fst_upscope(sim_fst_t *f)
{
	fstWriterSetUpscope(f->ctx);
}

uint32_t sim_fst_var(sim_fst_t *f, const sim_signal_t *s, const char *name)
{
	/* room for the widest vector's digits now, so emitting never
	 * allocates (digits64 writes up to 64 bytes past the last word) */
	if (s->width > 64 && s->width + 64 > f->cap) {
		char *b = realloc(f->scratch, s->width + 64);
		if (!b)
			return 0;
		f->scratch = b;
		f->cap = s->width + 64;
	}
	if (s->kind == SIM_SIG_REAL)
		return fstWriterCreateVar(f->ctx, FST_VT_VCD_REAL,
					  FST_VD_IMPLICIT, 64, name, 0);
	return fstWriterCreateVar(f->ctx, FST_VT_VCD_WIRE, FST_VD_IMPLICIT,
				  s->width, name, 0);
}

void sim_fst_time(sim_fst_t *f, sim_time_t t)
{
	if (f->vc_bytes >= FST_BLOCK_BYTES) {
		fstWriterFlushContext(f->ctx);
		f->vc_bytes = 0;
	}
	fstWriterEmitTimeChange(f->ctx, t);
}

/* Wider than 64: '0'/'1' digits, MSB first (fstapi's Vec64 emitter
 * orders the words differently from its documentation in this version,
 * which the FST-vs-VCD test caught). */
static void emit_wide(sim_fst_t *f, uint32_t h, const sim_signal_t *s)
{
	unsigned w = s->width, top = s->nwords - 1;
	unsigned tb = w - 64 * top; /* bits in the top word, 1..64 */
	char *p = f->scratch;	    /* sized by sim_fst_var */
	sim_digits64(p, s->cur_w[top] << (64 - tb), tb <= 32);
	p += tb;
	for (unsigned k = top; k-- > 0; p += 64)
		sim_digits64(p, s->cur_w[k], false);
	fstWriterEmitValueChange(f->ctx, h, f->scratch);
}

void sim_fst_emit(sim_fst_t *f, uint32_t h, const sim_signal_t *s)
{
	if (!h)
		return;
	if (s->kind == SIM_SIG_REAL) {
		double d = s->core.cur.r;
		fstWriterEmitValueChange(f->ctx, h, &d);
		return;
	}
	f->vc_bytes += s->width + 6;
	if (!s->core.wide) {
		/* the digits of the value shifted up to bit 63, first width */
		char d[64];
		sim_digits64(d, s->core.cur.u << (64 - s->width),
			     s->width <= 32);
		fstWriterEmitValueChange(f->ctx, h, d);
	} else {
		emit_wide(f, h, s);
	}
}

void sim_fst_flush(sim_fst_t *f)
{
	fstWriterFlushContext(f->ctx);
}

void sim_fst_close(sim_fst_t *f)
{
	if (!f)
		return;
	fstWriterClose(f->ctx);
	free(f->scratch);
	free(f);
}

#else /* no fstapi.c: the library has no FST */

bool sim_trace_fst_available(void)
{
	return false;
}

sim_trace_t *sim_trace_fst_open(sim_t *sim, const char *path)
{
	sim_set_error(sim, SIM_ERR_ARG,
		      "cannot write FST %s: this imcsim was built without "
		      "GTKWave's fstapi.c (install verilator or gtkwave and "
		      "re-run configure), use a .vcd name",
		      path ? path : "");
	return NULL;
}

sim_fst_t *sim_fst_create(sim_t *sim, const char *path)
{
	sim_trace_fst_open(sim, path);
	return NULL;
}

void sim_fst_scope(sim_fst_t *f, const char *name, size_t len)
{
	(void)f;
	(void)name;
	(void)len;
}

void sim_fst_upscope(sim_fst_t *f)
{
	(void)f;
}

uint32_t sim_fst_var(sim_fst_t *f, const sim_signal_t *s, const char *name)
{
	(void)f;
	(void)s;
	(void)name;
	return 0;
}

void sim_fst_time(sim_fst_t *f, sim_time_t t)
{
	(void)f;
	(void)t;
}

void sim_fst_emit(sim_fst_t *f, uint32_t h, const sim_signal_t *s)
{
	(void)f;
	(void)h;
	(void)s;
}

void sim_fst_flush(sim_fst_t *f)
{
	(void)f;
}

void sim_fst_close(sim_fst_t *f)
{
	(void)f;
}

#endif
