/*
 * bench_trace.c - the pipeline VCD check and the write(2) floor (see
 * bench_trace.h).
 */
#include "bench_trace.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Identifiers of up to 3 printable characters ('!'..'~'): 94^3 keys. */
#define ID_KEYS (94u * 94u * 94u)

/* The key of the identifier in [p, end), or -1 if it is not one. */
static long id_key(const char *p, const char *end)
{
	long key = 0, scale = 1;

	if (end <= p || end - p > 3)
		return -1;
	for (; p < end; p++, scale *= 94) {
		if (*p < '!' || *p > '~')
			return -1;
		key += (*p - '!') * scale;
	}
	return key;
}

static int bad(const char *path, long long line, const char *why)
{
	fprintf(stderr, "bench_kernel: %s: line %lld: %s\n", path, line, why);
	return 1;
}

/* Every register's last value must be what the ring holds after `edges`
 * posedges. */
static int check_step(const char *path, long long line, const uint32_t *last,
		      const unsigned char *seen, unsigned regs, unsigned edges)
{
	for (unsigned i = 0; i < regs; i++) {
		if (!seen[i] || last[i] != bench_pipe_expect(i, regs, edges)) {
			fprintf(stderr,
				"bench_kernel: %s: before line %lld: q%u = %u, "
				"expected %u after %u posedges\n",
				path, line, i, last[i],
				bench_pipe_expect(i, regs, edges), edges);
			return 1;
		}
	}
	return 0;
}

/* The checks of one body line (a time stamp, a value, $dumpvars, $end). */
typedef struct vcd_check {
	const char *path;
	const int32_t *reg_of; /* id key -> register, -1 if none */
	uint32_t *last;
	unsigned char *seen;
	unsigned regs, cycles;
	long long step;	   /* time steps begun, -1 before #0 */
	long long changes; /* value lines */
} vcd_check_t;

static int body_line(vcd_check_t *c, const char *p, const char *nl,
		     long long line)
{
	const unsigned long long period_ps = BENCH_PIPE_PERIOD_NS * 1000ull;

	if (*p == '#') {
		if (c->step >= 0 && check_step(c->path, line, c->last, c->seen,
					       c->regs, (unsigned)c->step + 1))
			return 1;
		c->step++;
		if ((unsigned long long)c->step >= c->cycles)
			return bad(c->path, line,
				   "more time steps than cycles");
		unsigned long long t = strtoull(p + 1, NULL, 10);
		if (t != (unsigned long long)c->step * period_ps)
			return bad(c->path, line, "unexpected time stamp");
		return 0;
	}
	if (*p == '$')
		return strncmp(p, "$dumpvars", 9) && strncmp(p, "$end", 4)
			       ? bad(c->path, line, "unexpected command")
			       : 0;
	if (*p != 'b' || c->step < 0)
		return bad(c->path, line, "not a vector value");
	uint64_t v = 0;
	const char *q = p + 1;
	for (; q < nl && (*q == '0' || *q == '1'); q++)
		v = v << 1 | (uint64_t)(*q - '0');
	if (q == p + 1 || q - p - 1 > 32 || q >= nl || *q != ' ')
		return bad(c->path, line, "bad 32-bit value");
	long key = id_key(q + 1, nl);
	if (key < 0 || c->reg_of[key] < 0)
		return bad(c->path, line, "unknown identifier");
	c->changes++;
	c->last[c->reg_of[key]] = (uint32_t)v;
	c->seen[c->reg_of[key]] = 1;
	return 0;
}

/* Header: "$var wire 32 <id> q<i> [31:0] $end" -> reg_of[id] = i. */
static int header_line(vcd_check_t *c, int32_t *reg_of, const char *p,
		       const char *nl, long long line)
{
	char id[8], text[128];
	unsigned w, i;

	if (strncmp(p, "$var ", 5))
		return 0;
	/* a copy: sscanf would take the length of the whole mapped file */
	size_t len = (size_t)(nl - p) < sizeof text ? (size_t)(nl - p)
						    : sizeof text - 1;
	memcpy(text, p, len);
	text[len] = '\0';
	if (sscanf(text, "$var wire %u %7s q%u", &w, id, &i) != 3 || w != 32 ||
	    i >= c->regs)
		return bad(c->path, line, "unexpected variable");
	long key = id_key(id, id + strlen(id));
	if (key < 0 || reg_of[key] >= 0)
		return bad(c->path, line, "bad or repeated identifier");
	reg_of[key] = (int32_t)i;
	return 0;
}

int bench_check_pipeline_vcd(const char *path, unsigned regs, unsigned cycles,
			     long long *changes)
{
	int rc = 1;
	int fd = open(path, O_RDONLY);
	struct stat st;
	void *map = MAP_FAILED;
	int32_t *reg_of = malloc(ID_KEYS * sizeof *reg_of);
	vcd_check_t c = { path,
			  reg_of,
			  calloc(regs, sizeof(uint32_t)),
			  calloc(regs, 1),
			  regs,
			  cycles,
			  -1,
			  0 };

	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0) {
		fprintf(stderr, "bench_kernel: %s: %s\n", path,
			fd < 0 ? strerror(errno) : "empty");
		goto out;
	}
	if (!reg_of || !c.last || !c.seen) {
		fprintf(stderr, "bench_kernel: check: out of memory\n");
		goto out;
	}
	for (unsigned k = 0; k < ID_KEYS; k++)
		reg_of[k] = -1;
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, "bench_kernel: %s: mmap: %s\n", path,
			strerror(errno));
		goto out;
	}
	posix_madvise(map, (size_t)st.st_size, POSIX_MADV_SEQUENTIAL);
	const char *p = map, *end = p + st.st_size;
	bool body = false;
	long long line = 1;
	for (; p < end; p++, line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			bad(path, line, "no newline at the end");
			goto out;
		}
		if (!body) {
			body = !strncmp(p, "$enddefinitions", 15);
			if (header_line(&c, reg_of, p, nl, line))
				goto out;
		} else if (body_line(&c, p, nl, line)) {
			goto out;
		}
		p = nl;
	}
	if (c.step + 1 != (long long)cycles) {
		bad(path, line, "fewer time steps than cycles");
		goto out;
	}
	rc = check_step(path, line, c.last, c.seen, regs, cycles);
	*changes = c.changes;
out:
	if (map != MAP_FAILED)
		munmap(map, (size_t)st.st_size);
	if (fd >= 0)
		close(fd);
	free(reg_of);
	free(c.last);
	free(c.seen);
	return rc;
}

int bench_write_floor(const char *path, long long bytes, bench_timer_t *tm)
{
	const size_t block = 1u << 20;
	char *buf = malloc(block);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int rc = 1;

	if (!buf || fd < 0) {
		fprintf(stderr, "bench_kernel: %s: %s\n", path,
			fd < 0 ? strerror(errno) : "out of memory");
		goto out;
	}
	/* text-like bytes, written once before timing so the buffer's pages
	 * exist, as a writer's buffer does after its first flush */
	for (size_t i = 0; i < block; i++)
		buf[i] = i % 37 == 36 ? '\n' : (char)('0' + (i & 1));
	bench_timer_start(tm);
	for (long long left = bytes; left > 0;) {
		size_t n = left < (long long)block ? (size_t)left : block;
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "bench_kernel: %s: write: %s\n", path,
				w < 0 ? strerror(errno) : "short write");
			goto out;
		}
		left -= w;
	}
	rc = close(fd) != 0;
	fd = -1;
	bench_timer_stop(tm);
	if (rc)
		fprintf(stderr, "bench_kernel: %s: close: %s\n", path,
			strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	unlink(path);
	free(buf);
	return rc;
}
