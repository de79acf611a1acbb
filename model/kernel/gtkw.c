/*
 * gtkw.c - GTKWave save-file writer; see gtkw.h.
 *
 * The body is kept as the text GTKWave reads: per trace a flags line
 * ("@<hex>", only when the flags change) and the name. The flag bits are
 * GTKWave's trace flags (analyzer.h of GTKWave 3.3): hex 0x2, dec 0x4,
 * bin 0x8, right-justify 0x20, blank row 0x200, signed 0x400, translated
 * by a filter file 0x2000, analog step 0x8000, blank row stretching the
 * analog trace above it 0x20000, group begin 0x800000 / closed 0x400000 /
 * end 0x1000000.
 */
#include "kernel/gtkw.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GTKW_SIZE_X 1600 /* window, pixels */
#define GTKW_SIZE_Y 1000
#define GTKW_SIGNALS_W 440 /* signal-name pane: names and cursor values */
#define GTKW_WAVE_W SIM_GTKW_WAVE_PX
#define GTKW_MAX_FILTERS 8

enum {
	F_HEX = 0x2,
	F_DEC = 0x4,
	F_BIN = 0x8,
	F_RJUST = 0x20,
	F_BLANK = 0x200,
	F_SIGNED = 0x400,
	F_FTRANS = 0x2000,
	F_STEP = 0x8000,
	F_STRETCH = 0x20000,
	F_CLOSED = 0x400000,
	F_GBEGIN = 0x800000,
	F_GEND = 0x1000000,
};

typedef struct gtkw_filter {
	char *file;
	char **names;
	unsigned n;
} gtkw_filter_t;

typedef struct gtkw_buf {
	char *s;
	size_t len, cap;
	int err;
} gtkw_buf_t;

struct sim_gtkw {
	gtkw_buf_t head, body;
	unsigned long flags; /* flags of the last @ line, ~0 before any */
	int cur_filter;	     /* index into filters, -1 none */
	int used_filter;     /* filter announced by the last ^ line */
	gtkw_filter_t filters[GTKW_MAX_FILTERS];
	unsigned nfilters;
	char *groups[16];
	unsigned depth;
	sim_time_t t0, t1;
	long long cursor; /* primary marker, -1 none */
	sim_time_t marker[SIM_GTKW_MAX_MARKERS];
	char *mlabel[SIM_GTKW_MAX_MARKERS];
	unsigned nmarkers;
};

static void put(gtkw_buf_t *b, const char *fmt, ...)
{
	va_list ap;
	if (b->err)
		return;
	for (;;) {
		size_t room = b->cap - b->len;
		va_start(ap, fmt);
		int n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->err = SIM_ERR_ARG;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? 2 * b->cap : 4096;
		while (cap - b->len <= (size_t)n)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->err = SIM_ERR_NOMEM;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

sim_gtkw_t *sim_gtkw_new(const char *title)
{
	sim_gtkw_t *g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->flags = ~0ul;
	g->cursor = -1;
	g->cur_filter = -1;
	g->used_filter = -1;
	if (title)
		put(&g->head, "[*] %s\n", title);
	if (g->head.err) {
		sim_gtkw_free(g);
		return NULL;
	}
	return g;
}

void sim_gtkw_free(sim_gtkw_t *g)
{
	if (!g)
		return;
	free(g->head.s);
	free(g->body.s);
	for (unsigned i = 0; i < g->nfilters; i++) {
		for (unsigned k = 0; k < g->filters[i].n; k++)
			free(g->filters[i].names[k]);
		free(g->filters[i].names);
		free(g->filters[i].file);
	}
	for (unsigned i = 0; i < g->depth; i++)
		free(g->groups[i]);
	for (unsigned i = 0; i < g->nmarkers; i++)
		free(g->mlabel[i]);
	free(g);
}

static int status(const sim_gtkw_t *g)
{
	return g->head.err ? g->head.err : g->body.err;
}

int sim_gtkw_comment(sim_gtkw_t *g, const char *text)
{
	if (!g || !text || strchr(text, '\n'))
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	put(&g->head, "[*] %s\n", text);
	return status(g);
}

static void flags(sim_gtkw_t *g, unsigned long f)
{
	if (f != g->flags)
		put(&g->body, "@%lx\n", f);
	g->flags = f;
}

int sim_gtkw_show(sim_gtkw_t *g, const char *hier, unsigned width,
		  enum sim_gtkw_fmt fmt, const char *alias)
{
	if (!g)
		return 0;
	if (!hier || !*hier || strpbrk(hier, " \n") ||
	    (alias && strpbrk(alias, "{}\n")))
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	unsigned long f;
	switch (fmt) {
	case SIM_GTKW_BIN:
		f = F_BIN | F_RJUST;
		break;
	case SIM_GTKW_HEX:
		f = F_HEX | F_RJUST;
		break;
	case SIM_GTKW_DEC:
		f = F_DEC | F_RJUST;
		break;
	case SIM_GTKW_ANALOG:
		if (width)
			return imc_fail(SIM_ERR_ARG, "%s: invalid argument",
					__func__);
		f = F_STEP | F_SIGNED | F_RJUST;
		break;
	case SIM_GTKW_FILTER:
		if (g->cur_filter < 0)
			return imc_fail(SIM_ERR_ARG, "%s: invalid argument",
					__func__);
		f = F_FTRANS | F_DEC | F_RJUST;
		if (g->used_filter != g->cur_filter) {
			put(&g->body, "^%d %s\n", g->cur_filter + 1,
			    g->filters[g->cur_filter].file);
			g->used_filter = g->cur_filter;
		}
		break;
	default:
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	}
	flags(g, f);
	if (alias)
		put(&g->body, "+{%s} ", alias);
	if (width > 1)
		put(&g->body, "%s[%u:0]\n", hier, width - 1);
	else
		put(&g->body, "%s\n", hier);
	return status(g);
}

int sim_gtkw_trace(sim_gtkw_t *g, sim_trace_t *tr, sim_signal_t *s,
		   const char *hier, enum sim_gtkw_fmt fmt, const char *alias)
{
	int rc = sim_trace_add(tr, s, hier);
	if (rc || !g)
		return rc;
	unsigned w = sim_sig_kind(s) == SIM_SIG_REAL ? 0 : sim_sig_width(s);
	return sim_gtkw_show(g, hier, w, fmt, alias);
}

int sim_gtkw_filter(sim_gtkw_t *g, const char *file, const char *const *names,
		    unsigned n)
{
	if (!g || !file || !*file || strpbrk(file, "/ \n") || !names || !n)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	for (unsigned i = 0; i < g->nfilters; i++)
		if (!strcmp(g->filters[i].file, file)) {
			g->cur_filter = (int)i;
			return 0;
		}
	if (g->nfilters == GTKW_MAX_FILTERS)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	gtkw_filter_t *f = &g->filters[g->nfilters];
	f->file = dup_str(file);
	f->names = calloc(n, sizeof(*f->names));
	if (!f->file || !f->names) {
		free(f->file);
		free(f->names);
		f->file = NULL;
		f->names = NULL;
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
	}
	g->nfilters++;
	for (unsigned k = 0; k < n; k++) { /* a NULL name: value unnamed */
		if (names[k] && strpbrk(names[k], " \n"))
			return imc_fail(SIM_ERR_ARG, "%s: invalid argument",
					__func__);
		if (names[k] && !(f->names[k] = dup_str(names[k])))
			return imc_fail(SIM_ERR_NOMEM, "%s: out of memory",
					__func__);
		f->n = k + 1;
	}
	g->cur_filter = (int)(g->nfilters - 1);
	return 0;
}

int sim_gtkw_group(sim_gtkw_t *g, const char *name, int closed)
{
	if (!g)
		return 0;
	if (!name || !*name || strchr(name, '\n') ||
	    g->depth == sizeof g->groups / sizeof g->groups[0])
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	if (!(g->groups[g->depth] = dup_str(name)))
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
	g->depth++;
	flags(g, F_GBEGIN | F_BLANK | (closed ? F_CLOSED : 0));
	put(&g->body, "-%s\n", name);
	return status(g);
}

int sim_gtkw_group_end(sim_gtkw_t *g)
{
	if (!g)
		return 0;
	if (!g->depth)
		return imc_fail(SIM_ERR_STATE, "%s: not allowed in this state",
				__func__);
	char *name = g->groups[--g->depth];
	flags(g, F_GEND | F_BLANK);
	put(&g->body, "-%s\n", name);
	free(name);
	return status(g);
}

int sim_gtkw_blank(sim_gtkw_t *g, unsigned rows)
{
	if (!g)
		return 0;
	for (unsigned i = 0; i < rows; i++) {
		flags(g, F_STRETCH);
		put(&g->body, "-\n");
	}
	return status(g);
}

void sim_gtkw_window(sim_gtkw_t *g, sim_time_t t0, sim_time_t t1)
{
	if (g && t1 > t0) {
		g->t0 = t0;
		g->t1 = t1;
	}
}

sim_time_t sim_gtkw_visible_end(const sim_gtkw_t *g)
{
	if (!g || g->t1 <= g->t0)
		return 0;
	return g->t0 +
	       (g->t1 - g->t0) * SIM_GTKW_PANE_MAX_PX / SIM_GTKW_WAVE_PX + 1;
}

void sim_gtkw_cursor(sim_gtkw_t *g, sim_time_t t)
{
	if (g)
		g->cursor = (long long)t;
}

int sim_gtkw_marker(sim_gtkw_t *g, sim_time_t t, const char *label)
{
	if (!g)
		return 0;
	if (g->nmarkers == SIM_GTKW_MAX_MARKERS ||
	    (label && strchr(label, '\n')))
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	g->marker[g->nmarkers] = t;
	if (label && !(g->mlabel[g->nmarkers] = dup_str(label)))
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", __func__);
	g->nmarkers++;
	return 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

char *sim_gtkw_path_for(const char *dump_path)
{
	const char *b = base_name(dump_path), *dot = strrchr(b, '.');
	size_t keep = dot && dot != b ? (size_t)(dot - dump_path)
				      : strlen(dump_path);
	char *s = malloc(keep + sizeof ".gtkw");
	if (!s)
		return NULL;
	memcpy(s, dump_path, keep);
	memcpy(s + keep, ".gtkw", sizeof ".gtkw");
	return s;
}

/* dir of path (with its slash) + name. */
static char *beside(const char *path, const char *name)
{
	size_t dl = (size_t)(base_name(path) - path), nl = strlen(name);
	char *s = malloc(dl + nl + 1);
	if (!s)
		return NULL;
	memcpy(s, path, dl);
	memcpy(s + dl, name, nl + 1);
	return s;
}

/* Write len bytes to path through a temporary beside it and rename. */
static int write_atomic(const char *path, const char *data, size_t len)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 24);
	if (!tmp)
		return imc_fail(SIM_ERR_NOMEM, "%s: out of memory", path);
	/* O_EXCL on a name of our own: mode 0666 less the umask, as for any
	 * file the program writes (mkstemp would make it 0600) */
	int fd = -1;
	for (unsigned k = 0; k < 100 && fd < 0; k++) {
		snprintf(tmp, n + 24, "%s.tmp%ld.%u", path, (long)getpid(), k);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		int rc = imc_fail(SIM_ERR_IO, "cannot write %s: %s", path,
				  strerror(errno));
		free(tmp);
		return rc;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int e = off < len ? (errno ? errno : EIO) : 0;
	if (close(fd) && !e)
		e = errno;
	if (!e && rename(tmp, path))
		e = errno;
	if (e) {
		unlink(tmp);
		free(tmp);
		return imc_fail(SIM_ERR_IO, "cannot write %s: %s", path,
				strerror(e));
	}
	free(tmp);
	return 0;
}

int sim_gtkw_write(const sim_gtkw_t *g, const char *gtkw_path,
		   const char *dump_path)
{
	if (!g || !gtkw_path || !dump_path || g->depth)
		return imc_fail(SIM_ERR_ARG, "%s: unfinished save file",
				gtkw_path ? gtkw_path : "(null)");
	if (status(g))
		return imc_fail(status(g), "%s: out of memory", gtkw_path);
	size_t gd = (size_t)(base_name(gtkw_path) - gtkw_path);
	size_t dd = (size_t)(base_name(dump_path) - dump_path);
	if (gd != dd || strncmp(gtkw_path, dump_path, gd))
		return imc_fail(SIM_ERR_ARG,
				"%s: the save file must be beside its dump %s",
				gtkw_path, dump_path);
	gtkw_buf_t o = { 0 };
	put(&o, "%s", g->head.s ? g->head.s : "");
	put(&o, "[*] open with: gtkwave %s\n", base_name(gtkw_path));
	put(&o, "[dumpfile] \"%s\"\n", base_name(dump_path));
	put(&o, "[savefile] \"%s\"\n", base_name(gtkw_path));
	put(&o, "[timestart] %llu\n", (unsigned long long)g->t0);
	put(&o, "[size] %d %d\n", GTKW_SIZE_X, GTKW_SIZE_Y);
	put(&o, "[pos] -1 -1\n");
	/* zoom: 2^-z time units per 200 pixels, the span over the pane */
	double z = 0;
	if (g->t1 > g->t0)
		z = -log2(200.0 * (double)(g->t1 - g->t0) / GTKW_WAVE_W);
	put(&o, "*%.6f %lld", z, g->cursor);
	for (unsigned i = 0; i < SIM_GTKW_MAX_MARKERS; i++)
		put(&o, " %lld",
		    i < g->nmarkers ? (long long)g->marker[i] : -1LL);
	put(&o, "\n");
	for (unsigned i = 0; i < g->nmarkers; i++)
		if (g->mlabel[i])
			put(&o, "[markername] %c%s\n", 'A' + i, g->mlabel[i]);
	put(&o, "[sst_width] 1\n[signals_width] %d\n[sst_expanded] 0\n",
	    GTKW_SIGNALS_W);
	put(&o, "%s", g->body.s ? g->body.s : "");
	if (o.err) {
		free(o.s);
		return imc_fail(o.err, "%s: out of memory", gtkw_path);
	}
	int rc = 0;
	for (unsigned i = 0; i < g->nfilters && !rc; i++) {
		const gtkw_filter_t *f = &g->filters[i];
		gtkw_buf_t b = { 0 };
		put(&b, "# imcsim: GTKWave translate filter (value name)\n");
		for (unsigned k = 0; k < f->n; k++)
			if (f->names[k])
				put(&b, "%u %s\n", k, f->names[k]);
		char *fp = beside(gtkw_path, f->file);
		if (b.err || !fp) {
			rc = imc_fail(SIM_ERR_NOMEM, "%s: out of memory",
				      gtkw_path);
		} else {
			rc = write_atomic(fp, b.s, b.len);
		}
		free(fp);
		free(b.s);
	}
	if (!rc)
		rc = write_atomic(gtkw_path, o.s, o.len);
	free(o.s);
	return rc;
}
