/* system_ca.c - the cycle-accurate system: chips and buses on one kernel,
 * the pipeline callbacks, setup synchronisation, batches and tracing; see
 * system.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "system/system_internal.h"

/* Chip of layer l strobed a classify: normalize (or read out) and send the
 * result over the next bus. */
static void on_result(void *ctx, chip_t *chip, const uint64_t *dec)
{
	struct sys_ctx *x = ctx;
	struct sys *s = x->s;
	unsigned l = x->k;
	size_t k = s->lcnt[l]++;
	if (k >= s->nres) {
		sim_fail(s->sim,
			 "system: chip of layer %u produced a result "
			 "no image asked for",
			 l);
		return;
	}
	sys_result_t *r = &s->res[k];
	uint8_t out[SYS_MAX_COL];
	double e = energy_total_j(chip_energy(chip));
	r->e_chip_j[l] = e - s->e_last[l];
	s->e_last[l] = e;
	unsigned n = sys_layer_output(s, l, dec, r, out);
	if (bus_send(s->bus[l + 1], out, n))
		sim_fail(s->sim, "system: %s", bus_error(s->bus[l + 1]));
}

/* A vector arrived on bus b: to layer b's chip, or (last bus) the host. */
static void on_vector(void *ctx, const uint8_t *codes, unsigned n)
{
	struct sys_ctx *x = ctx;
	struct sys *s = x->s;
	unsigned b = x->k;
	size_t k = s->bcnt[b]++;
	if (k >= s->nres) {
		sim_fail(s->sim,
			 "system: bus %u delivered a vector no image "
			 "sent",
			 b);
		return;
	}
	sys_result_t *r = &s->res[k];
	uint64_t t = bus_stats(s->bus[b])->toggles;
	r->bus_toggles += t - s->tog_last[b];
	s->tog_last[b] = t;
	if (b < SYS_NLAYER) {
		if (n != s->net[b].n_in) {
			sim_fail(s->sim,
				 "system: bus %u delivered %u codes, "
				 "layer %u has %u inputs",
				 b, n, b, s->net[b].n_in);
			return;
		}
		memset(s->pad, 0, s->ndata);
		memcpy(s->pad, codes, n);
		int rc = chip_classify(s->chip[s->p.layer_chip[b]], s->pad,
				       true);
		if (rc)
			sim_fail(s->sim,
				 "system: classify on layer %u "
				 "failed (%d)",
				 b, rc);
		return;
	}
	sys_host_receive(s, codes, n, r);
	r->cycles = (sim_time(s->sim) - s->t_start[k]) / s->p.chip.period_ps;
	if (++s->done == s->nres)
		sim_stop(s->sim);
}

static int ca_build(struct sys *s)
{
	const sys_params_t *p = &s->p;
	char nm[64];
	int rc;
	s->sim = sim_new(NULL);
	if (!s->sim)
		return sys_fail(s, SYS_ENOMEM, "system: out of memory");
	s->clk = sim_clock_new(s->sim, "clk", p->chip.period_ps, 50,
			       p->chip.period_ps, true);
	if (!s->clk)
		return sys_fail(s, SYS_ENOMEM, "system: clock: %s",
				sim_error(s->sim));
	/* chips first: their sequencers sample the command queue before
	 * a bus delivers on the same edge (registered hand-off) */
	for (unsigned i = 0; i < p->nchips; i++) {
		snprintf(nm, sizeof nm, "chip%u", i);
		s->chip[i] =
			chip_new(s->sim, &p->chip, p->seed, i, nm, s->clk, &rc);
		if (!s->chip[i])
			return sys_fail(s, SYS_ESIM,
					"system: chip %u could not be built "
					"(%d)",
					i, rc);
	}
	for (unsigned b = 0; b < SYS_NBUS; b++) {
		bus_params_t bp = p->bus;
		bp.id = b;
		snprintf(nm, sizeof nm, "bus%u", b);
		s->bus[b] = bus_new(s->sim, nm, s->clk, &bp);
		if (!s->bus[b])
			return sys_fail(s, SYS_ENOMEM,
					"system: bus %u could not be built", b);
		s->bctx[b] = (struct sys_ctx){ s, b };
		bus_set_sink(s->bus[b], on_vector, &s->bctx[b]);
	}
	for (unsigned l = 0; l < SYS_NLAYER; l++) {
		s->lctx[l] = (struct sys_ctx){ s, l };
		chip_set_result_cb(s->chip[p->layer_chip[l]], on_result,
				   &s->lctx[l]);
	}
	return SYS_OK;
}

static bool all_idle(const struct sys *s)
{
	for (unsigned i = 0; i < s->p.nchips; i++)
		if (!chip_idle(s->chip[i]))
			return false;
	return true;
}

static int ca_sync(struct sys *s)
{
	/* a setup (1000 cycles of writes and calibration) is far below this */
	const uint64_t limit = 1000000;
	s->ran = true;
	for (uint64_t k = 0; !all_idle(s); k++) {
		if (k >= limit)
			return sys_fail(s, SYS_ETIME,
					"system: setup not done after %llu "
					"cycles",
					(unsigned long long)limit);
		int rc = sim_run(s->sim, s->p.chip.period_ps);
		if (rc)
			return sys_fail(s, SYS_ESIM, "system: %s",
					sim_error(s->sim));
		s->st.setup_cycles++;
	}
	return SYS_OK;
}

static int ca_infer_batch(struct sys *s, size_t n, const uint8_t *codes,
			  sys_result_t *res)
{
	int rc = sys_ready(s);
	if (rc || n == 0)
		return rc;
	if (n > s->t_cap) {
		sim_time_t *t = realloc(s->t_start, n * sizeof(*t));
		if (!t)
			return sys_fail(s, SYS_ENOMEM, "system: out of memory");
		s->t_start = t;
		s->t_cap = n;
	}
	memset(res, 0, n * sizeof(*res));
	s->res = res;
	s->nres = n;
	s->done = 0;
	memset(s->lcnt, 0, sizeof s->lcnt);
	memset(s->bcnt, 0, sizeof s->bcnt);
	for (unsigned l = 0; l < SYS_NLAYER; l++)
		s->e_last[l] = energy_total_j(
			chip_energy(s->chip[s->p.layer_chip[l]]));
	for (unsigned b = 0; b < SYS_NBUS; b++)
		s->tog_last[b] = bus_stats(s->bus[b])->toggles;
	sim_time_t t0 = sim_time(s->sim);
	unsigned n_in = s->net[0].n_in;
	for (size_t k = 0; k < n; k++) {
		s->t_start[k] = t0;
		if (bus_send(s->bus[0], codes + k * n_in, n_in)) {
			rc = sys_fail(s, SYS_EARG, "system: image %zu: %s", k,
				      bus_error(s->bus[0]));
			goto out;
		}
	}
	s->ran = true;
	uint64_t budget = s->p.max_cycles_per_image * (uint64_t)n;
	rc = sim_run(s->sim, budget * s->p.chip.period_ps);
	if (rc) {
		rc = sys_fail(s, SYS_ESIM, "system: %s", sim_error(s->sim));
		goto out;
	}
	if (s->done < n) {
		rc = sys_fail(s, SYS_ETIME,
			      "system: %zu of %zu images done after %llu "
			      "cycles",
			      s->done, n, (unsigned long long)budget);
		goto out;
	}
	for (size_t k = 0; k < n; k++) {
		sys_finish_result(s, &res[k]);
		s->st.energy_j += res[k].energy_j;
	}
	s->st.images += n;
	s->st.infer_cycles += (sim_time(s->sim) - t0) / s->p.chip.period_ps;
	s->st.stall_cycles = 0;
	for (unsigned b = 0; b < SYS_NBUS; b++)
		s->st.stall_cycles += bus_stats(s->bus[b])->stall_cycles;
out:
	s->res = NULL;
	s->nres = 0;
	return rc;
}

int sys_trace_open_view(sys_t *s, const char *vcd_path, sim_gtkw_t *g)
{
	static const char *const bus_label[SYS_NBUS] = {
		"bus0 host -> first layer", "bus1 layer 0 -> layer 1",
		"bus2 layer 1 -> layer 2", "bus3 scores -> host"
	};
	char nm[64], label[64];
	int rc;
	if (!s || !vcd_path)
		return imc_fail(SYS_EARG, "%s: invalid argument", __func__);
	if (s->level != SYS_CYCLE_ACCURATE)
		return sys_fail(s, SYS_ESTATE,
				"system: only a cycle-accurate system traces");
	if (s->ran || s->tr)
		return sys_fail(s, SYS_ESTATE,
				"system: trace must be opened once, before "
				"the first run");
	s->tr = sim_trace_vcd_open(s->sim, vcd_path);
	if (!s->tr)
		return sys_fail(s, SYS_ESIM, "system: %s", sim_error(s->sim));
	for (unsigned b = 0; b < SYS_NBUS; b++) {
		snprintf(nm, sizeof nm, "top.bus%u", b);
		if ((rc = bus_trace_view(s->bus[b], s->tr, g, nm,
					 b < 4 ? bus_label[b] : nm)))
			return sys_fail(s, SYS_ESIM, "system: trace bus %u: %s",
					b, sim_error(s->sim));
	}
	for (unsigned i = 0; i < s->p.nchips; i++) {
		/* the layer chips show their compares, the idle ones their
		 * calibration, closed */
		unsigned show = CHIP_SHOW_SEQ | CHIP_SHOW_CALIB |
				CHIP_SHOW_CLOSED;
		snprintf(label, sizeof label, "chip%u idle", i);
		for (unsigned l = 0; l < SYS_NLAYER; l++)
			if (s->p.layer_chip[l] == i) {
				snprintf(label, sizeof label, "chip%u layer %u",
					 i, l);
				show = CHIP_SHOW_SEQ | CHIP_SHOW_ANALOG;
			}
		snprintf(nm, sizeof nm, "top.chip%u", i);
		if ((rc = chip_trace_view(s->chip[i], s->tr, g, nm, label,
					  show)))
			return sys_fail(s, SYS_ESIM,
					"system: trace chip %u: %s", i,
					sim_error(s->sim));
	}
	return SYS_OK;
}

int sys_trace_open(sys_t *s, const char *vcd_path)
{
	return sys_trace_open_view(s, vcd_path, NULL);
}

/* Strobe times of the layer chips' classifies, for markers. */
typedef struct trace_marks {
	sim_time_t t[SIM_GTKW_MAX_MARKERS];
	unsigned layer[SIM_GTKW_MAX_MARKERS];
	unsigned n;
	const sys_params_t *p;
	chip_t *const *chip;
} trace_marks_t;

static void on_strobe(void *ctx, chip_t *c, sim_time_t t, bool classify)
{
	trace_marks_t *m = ctx;
	for (unsigned l = 0; l < SYS_NLAYER && classify; l++)
		if (m->chip[m->p->layer_chip[l]] == c &&
		    m->n < SIM_GTKW_MAX_MARKERS - 4) {
			m->layer[m->n] = l;
			m->t[m->n++] = t;
		}
}

/* The traced run of sys_trace_one_view / sys_trace_deployed: with bnet,
 * each layer's chip calibrates at the operating point of the n_op images
 * codes_op (sys_set_operating_points), else at idle. */
static int trace_run(const sys_params_t *p, const sys_net_t *net,
		     const struct bnn_net *bnet, size_t n_op,
		     const uint8_t *codes_op, const uint8_t *codes,
		     unsigned ntrace_cols, const char *vcd_path, sim_gtkw_t *g,
		     sys_result_t *res);

int sys_trace_one_view(const sys_params_t *p, const sys_net_t *net,
		       const uint8_t *codes, unsigned ntrace_cols,
		       const char *vcd_path, sim_gtkw_t *g, sys_result_t *res)
{
	return trace_run(p, net, NULL, 0, NULL, codes, ntrace_cols, vcd_path, g,
			 res);
}

int sys_trace_deployed(const sys_params_t *p, const struct bnn_net *net,
		       size_t n_op, const uint8_t *codes_op,
		       const uint8_t *codes, unsigned ntrace_cols,
		       const char *vcd_path, sim_gtkw_t *g, sys_result_t *res)
{
	if (!p || !net)
		return imc_fail(SYS_EARG,
				"sys_trace_deployed: invalid argument");
	sys_params_t q = *p;
	sys_params_fit_net(&q, net);
	sys_net_t sn;
	if (sys_net_from_bnn(net, &sn))
		return SYS_EARG;
	return trace_run(&q, &sn, net, n_op, codes_op, codes, ntrace_cols,
			 vcd_path, g, res);
}

static int trace_run(const sys_params_t *p, const sys_net_t *net,
		     const struct bnn_net *bnet, size_t n_op,
		     const uint8_t *codes_op, const uint8_t *codes,
		     unsigned ntrace_cols, const char *vcd_path, sim_gtkw_t *g,
		     sys_result_t *res)
{
	sys_params_t q = *p;
	sys_result_t tmp;
	int rc;
	if (ntrace_cols > CHIP_MAX_TRACE || ntrace_cols > q.chip.macro.ncol)
		return imc_fail(SYS_EARG,
				"trace: %u analog columns (at most %d)",
				ntrace_cols, CHIP_MAX_TRACE);
	q.chip.ntrace = ntrace_cols;
	for (unsigned k = 0; k < ntrace_cols; k++)
		q.chip.trace_col[k] = k;
	sys_t *s = sys_new(&q, SYS_CYCLE_ACCURATE, &rc);
	if (!s)
		return rc;
	trace_marks_t mk = { .n = 0, .p = &s->p, .chip = s->chip };
	for (unsigned i = 0; i < s->p.nchips; i++)
		chip_set_strobe_cb(s->chip[i], on_strobe, &mk);
	sim_time_t t_inf = 0;
	if ((rc = sys_trace_open_view(s, vcd_path, g)) < 0 ||
	    (rc = sys_load_net(s, net)) < 0 ||
	    (bnet &&
	     (rc = sys_set_operating_points(s, bnet, n_op, codes_op)) < 0) ||
	    (rc = sys_calibrate(s)) < 0 ||
	    (t_inf = sim_time(s->sim),
	     (rc = sys_infer(s, codes, res ? res : &tmp)) < 0)) {
		imc_fail(rc, "%s", s->err);
		sys_free(s);
		return rc;
	}
	if (g) {
		/* open on the inference; markers at the calibration (before
		 * it), at each layer's strobe and when the scores are in */
		sim_time_t per = s->p.chip.period_ps, t_end = sim_time(s->sim);
		sim_time_t c0 = chip_calib_t_start(s->chip[0]), c1 = c0;
		for (unsigned i = 0; i < s->p.nchips; i++) {
			sim_time_t e = chip_calib_t_start(s->chip[i]) +
				       chip_calib_cycles(s->chip[i]) * per;
			c1 = e > c1 ? e : c1;
		}
		sim_gtkw_marker(g, c0, "calibration start");
		sim_gtkw_marker(g, c1, "calibration done");
		sim_gtkw_marker(g, t_inf, "image in");
		for (unsigned k = 0; k < mk.n; k++) {
			char label[32];
			snprintf(label, sizeof label, "layer %u strobe",
				 mk.layer[k]);
			sim_gtkw_marker(g, mk.t[k], label);
		}
		sim_gtkw_marker(g, t_end, "scores in");
		sim_gtkw_window(g, t_inf > per ? t_inf - per : 0, t_end + per);
		/* a quiet tail: the dump covers all GTKWave shows */
		sim_time_t need = sim_gtkw_visible_end(g) + per,
			   now = sim_time(s->sim);
		if (need > now && sim_run(s->sim, need - now)) {
			rc = imc_fail(SYS_ESIM, "trace: %s", sim_error(s->sim));
			sys_free(s);
			return rc;
		}
	}
	if (sim_trace_close(s->tr)) /* the kernel's message names the file */
		rc = imc_fail(SYS_ESIM, "trace: %s", sim_error(s->sim));
	s->tr = NULL;
	sys_free(s);
	return rc < 0 ? rc : SYS_OK;
}

int sys_trace_one(const sys_params_t *p, const sys_net_t *net,
		  const uint8_t *codes, unsigned ntrace_cols,
		  const char *vcd_path, sys_result_t *res)
{
	return sys_trace_one_view(p, net, codes, ntrace_cols, vcd_path, NULL,
				  res);
}

/* ---- the cycle-accurate back-end --------------------------------------- */

static void ca_destroy(struct sys *s)
{
	if (s->sim)
		sim_free(s->sim); /* closes the trace */
	s->sim = NULL;
	for (unsigned i = 0; i < SYS_MAX_CHIPS; i++) {
		chip_free(s->chip[i]);
		s->chip[i] = NULL;
	}
	for (unsigned b = 0; b < SYS_NBUS; b++) {
		bus_free(s->bus[b]);
		s->bus[b] = NULL;
	}
	free(s->t_start);
	s->t_start = NULL;
}

static int ca_write_row(struct sys *s, unsigned chip, unsigned row,
			const uint64_t *data)
{
	int rc = chip_write_row(s->chip[chip], row, data);
	if (rc)
		return sys_fail(s, SYS_ESIM,
				"system: chip %u write of row %u failed (%d)",
				chip, row, rc);
	return SYS_OK;
}

static int ca_calibrate(struct sys *s)
{
	int rc;
	for (unsigned i = 0; i < s->p.nchips; i++)
		if ((rc = chip_calibrate(s->chip[i])))
			return sys_fail(s, SYS_ESIM,
					"system: chip %u calibrate failed (%d)",
					i, rc);
	if ((rc = ca_sync(s)))
		return rc;
	for (unsigned i = 0; i < s->p.nchips; i++) {
		for (unsigned c = 0; c < s->ncol; c++)
			s->ncnt[i][c] = (uint8_t)chip_comp_count(s->chip[i], c);
		s->st.calib_cycles[i] = chip_calib_cycles(s->chip[i]);
	}
	return SYS_OK;
}

static macro_t *ca_macro(struct sys *s, unsigned chip)
{
	return chip_macro(s->chip[chip]);
}

const sys_backend_t sys_ca_backend = {
	.build = ca_build,
	.destroy = ca_destroy,
	.write_row = ca_write_row,
	.sync = ca_sync,
	.calibrate = ca_calibrate,
	.infer_batch = ca_infer_batch,
	.macro = ca_macro,
};
