/*
 * fifo.c - the bounded FIFO channel (see fifo.h).
 *
 * The update-phase semantics come from two hidden 64-bit signals: "wr"
 * counts the writes and "rd" the reads, each written by its side at every
 * access, so the kernel's own update phase commits them and notifies their
 * value-changed events, which are the data-written / data-read events.
 * The ring itself is indexed by the uncommitted counters:
 *
 *   num_available = wr.committed - reads      (reads include this delta)
 *   num_free      = depth - (writes - rd.committed)
 *
 * A write goes to slot writes % depth, which held element writes - depth,
 * already read (num_free > 0 means it is below rd.committed <= reads).
 * No kernel hook is needed, and the counters (64-bit) never wrap.
 */
#include "kernel/fifo.h"

#include "kernel/sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sim_fifo {
	sim_ext_t ext; /* first: freed with the kernel */
	sim_t *sim;
	char *name;
	unsigned char *ring;
	size_t elem;
	unsigned depth;
	uint64_t writes, reads; /* including this delta */
	sim_signal_t *wr, *rd;	/* committed counts */
};

static void fifo_free(void *obj)
{
	sim_fifo_t *f = obj;
	free(f->ring);
	free(f->name);
	free(f);
}

static sim_signal_t *counter(sim_t *sim, const char *name, const char *what)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s.%s", name, what);
	return sim_vec_new(sim, buf, 64, NULL);
}

sim_fifo_t *sim_fifo_new(sim_t *sim, const char *name, size_t elem_size,
			 unsigned depth)
{
	if (!name)
		name = "fifo";
	if (!elem_size || !depth || elem_size > SIZE_MAX / depth) {
		sim_set_error(sim, SIM_ERR_ARG,
			      "FIFO %s: element size %zu and depth %u must be "
			      ">= 1",
			      name, elem_size, depth);
		return NULL;
	}
	sim_fifo_t *f = calloc(1, sizeof(*f));
	if (f) {
		f->ext.free_fn = fifo_free;
		f->ring = malloc(elem_size * depth);
		f->name = sim_name_dup(name);
	}
	if (!f || !f->ring || !f->name ||
	    sim_ptrvec_push(&sim->all_ext, f) != SIM_OK) {
		if (f)
			fifo_free(f);
		sim_set_error(sim, SIM_ERR_NOMEM, "out of memory");
		return NULL;
	}
	f->sim = sim;
	f->elem = elem_size;
	f->depth = depth;
	f->wr = counter(sim, name, "written");
	f->rd = counter(sim, name, "read");
	if (!f->wr || !f->rd)
		return NULL; /* owned by the kernel already */
	return f;
}

unsigned sim_fifo_num_available(const sim_fifo_t *f)
{
	return (unsigned)(sim_vec_read_u64(f->wr) - f->reads);
}

unsigned sim_fifo_num_free(const sim_fifo_t *f)
{
	return f->depth - (unsigned)(f->writes - sim_vec_read_u64(f->rd));
}

unsigned sim_fifo_depth(const sim_fifo_t *f)
{
	return f->depth;
}

sim_event_t *sim_fifo_data_written_event(sim_fifo_t *f)
{
	return sim_sig_changed(f->wr);
}

sim_event_t *sim_fifo_data_read_event(sim_fifo_t *f)
{
	return sim_sig_changed(f->rd);
}

int sim_fifo_try_write(sim_fifo_t *f, const void *in)
{
	if (!f || !in)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	if (!sim_fifo_num_free(f))
		return 0;
	memcpy(f->ring + (f->writes % f->depth) * f->elem, in, f->elem);
	f->writes++;
	int rc = sim_vec_write_u64(f->wr, f->writes);
	return rc < 0 ? rc : 1;
}

int sim_fifo_try_read(sim_fifo_t *f, void *out)
{
	if (!f || !out)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	if (!sim_fifo_num_available(f))
		return 0;
	memcpy(out, f->ring + (f->reads % f->depth) * f->elem, f->elem);
	f->reads++;
	int rc = sim_vec_write_u64(f->rd, f->reads);
	return rc < 0 ? rc : 1;
}

int sim_fifo_write(sim_thread_t *t, sim_fifo_t *f, const void *in)
{
	if (!f || !in || !t)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	for (;;) {
		int rc = sim_fifo_try_write(f, in);
		if (rc != 0)
			return rc < 0 ? rc : SIM_OK;
		rc = sim_wait_event(t, sim_sig_changed(f->rd));
		if (rc < 0)
			return rc;
	}
}

int sim_fifo_read(sim_thread_t *t, sim_fifo_t *f, void *out)
{
	if (!f || !out || !t)
		return imc_fail(SIM_ERR_ARG, "%s: invalid argument", __func__);
	for (;;) {
		int rc = sim_fifo_try_read(f, out);
		if (rc != 0)
			return rc < 0 ? rc : SIM_OK;
		rc = sim_wait_event(t, sim_sig_changed(f->wr));
		if (rc < 0)
			return rc;
	}
}
