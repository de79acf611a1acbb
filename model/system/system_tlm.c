/* system_tlm.c - the transaction-level system: the cycle-accurate
 * pipeline's operations, in the same order per chip, without the kernel;
 * see system.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bnn/bnn.h"
#include "system/system_internal.h"

/* One compare of layer l on its chip's macro. */
static int layer_compare(struct sys *s, unsigned l, const uint8_t *codes,
			 uint64_t *dec, double *e_j)
{
	macro_t *m = &s->m[s->p.layer_chip[l]];
	unsigned n_in = s->net[l].n_in;
	uint64_t raw[SYS_NWORD];
	for (unsigned i = 0; i < n_in; i++)
		if (codes[i] > NORMALIZER_CODE_MAX)
			return sys_fail(s, SYS_EARG,
					"system: layer %u input %u is code %u "
					"(5-bit codes only)",
					l, i, codes[i]);
	memcpy(s->pad, codes, n_in);
	memset(s->pad + n_in, 0, s->ndata - n_in);
	double e0 = energy_total_j(&m->energy);
	if (macro_compare(m, s->pad, true, raw))
		return sys_fail(s, SYS_EARG, "system: layer %u codes rejected",
				l);
	if (e_j)
		*e_j = energy_total_j(&m->energy) - e0;
	sys_mask(raw, s->net[l].n_out, dec);
	return SYS_OK;
}

int sys_tlm_infer(sys_t *s, const uint8_t *codes, sys_result_t *r)
{
	if (!s || !codes || !r)
		return imc_fail(SYS_EARG, "%s: invalid argument", __func__);
	if (s->level != SYS_TLM)
		return sys_fail(s, SYS_ESTATE,
				"system: sys_tlm_infer needs a SYS_TLM system");
	int rc = sys_ready(s);
	if (rc)
		return rc;
	uint8_t buf[SYS_MAX_COL];
	const uint8_t *in = codes;
	unsigned n = s->net[0].n_in;
	memset(r, 0, sizeof(*r));
	for (unsigned l = 0; l < SYS_NLAYER; l++) {
		uint64_t raw[SYS_NWORD];
		r->bus_toggles += bus_vector_toggles(&s->bus_lines[l], in, n);
		if ((rc = layer_compare(s, l, in, raw, &r->e_chip_j[l])))
			return rc;
		n = sys_layer_output(s, l, raw, r, buf);
		in = buf;
	}
	r->bus_toggles += bus_vector_toggles(&s->bus_lines[SYS_NLAYER], in, n);
	sys_host_receive(s, in, n, r);
	sys_finish_result(s, r);
	s->st.images++;
	s->st.energy_j += r->energy_j;
	return SYS_OK;
}

int sys_tlm_layer(sys_t *s, unsigned layer, const uint8_t *codes, uint64_t *dec,
		  double *energy_j)
{
	if (!s || !codes || !dec || layer >= SYS_NLAYER)
		return s ? sys_fail(s, SYS_EARG, "system: bad layer call")
			 : SYS_EARG;
	if (s->level != SYS_TLM)
		return sys_fail(s, SYS_ESTATE,
				"system: sys_tlm_layer needs a SYS_TLM system");
	if (!s->loaded[layer] || !s->calibrated)
		return sys_fail(s, SYS_ESTATE,
				"system: layer %u not loaded or system not "
				"calibrated",
				layer);
	return layer_compare(s, layer, codes, dec, energy_j);
}

/* ---- chip in the loop: the bnn column evaluator ------------------------ */

static int bnn_eval(void *ctx, unsigned index, const struct bnn_layer *layer,
		    const struct bnn_hw *hw, size_t n, const uint8_t *codes,
		    int8_t *out)
{
	struct sys *s = ctx;
	(void)hw;
	if (index >= SYS_NLAYER)
		return imc_fail(-1, "system: no layer %u", index);
	if (!s->bnn_loaded[index] || s->bnn_version[index] != layer->version) {
		sys_layer_t L;
		if (sys_layer_from_bnn(layer, &L))
			return -1;
		if (sys_load_layer(s, index, &L) < 0)
			return imc_fail(-1, "%s", s->err);
		s->bnn_loaded[index] = true;
		s->bnn_version[index] = layer->version;
	}
	unsigned n_in = layer->n_in, n_out = layer->n_out;
	for (size_t k = 0; k < n; k++) {
		uint64_t dec[SYS_NWORD];
		if (sys_tlm_layer(s, index, codes + k * n_in, dec, NULL))
			return imc_fail(-1, "%s", s->err);
		for (unsigned j = 0; j < n_out; j++)
			out[k * n_out + j] = (dec[j / 64] >> (j % 64)) & 1 ? 1
									   : -1;
	}
	return 0;
}

int sys_bnn_evaluator(sys_t *s, struct bnn_evaluator *ev)
{
	if (!s || !ev)
		return imc_fail(SYS_EARG, "%s: invalid argument", __func__);
	if (s->level != SYS_TLM)
		return sys_fail(s, SYS_ESTATE,
				"system: the bnn evaluator needs a SYS_TLM "
				"system");
	ev->eval = bnn_eval;
	ev->ctx = s;
	return SYS_OK;
}

/* ---- the transaction-level back-end ------------------------------------ */

static int tlm_build(struct sys *s)
{
	s->m = calloc(s->p.nchips, sizeof(macro_t));
	if (!s->m)
		return sys_fail(s, SYS_ENOMEM, "system: out of memory");
	for (unsigned i = 0; i < s->p.nchips; i++)
		if (macro_init(&s->m[i], &s->p.chip.macro, s->p.seed, i))
			return sys_fail(s, SYS_ENOMEM,
					"system: chip %u could not be built",
					i);
	return SYS_OK;
}

static void tlm_destroy(struct sys *s)
{
	if (s->m)
		for (unsigned i = 0; i < s->p.nchips; i++)
			macro_free(&s->m[i]);
	free(s->m);
	s->m = NULL;
}

static int tlm_write_row(struct sys *s, unsigned chip, unsigned row,
			 const uint64_t *data)
{
	if (macro_write_row(&s->m[chip], row, data))
		return sys_fail(s, SYS_EARG, "system: chip %u rejected row %u",
				chip, row);
	return SYS_OK;
}

static int tlm_sync(struct sys *s)
{
	(void)s; /* every write took effect at once */
	return SYS_OK;
}

static int tlm_calibrate(struct sys *s)
{
	calib_t *cal = malloc(sizeof(*cal));
	if (!cal)
		return sys_fail(s, SYS_ENOMEM, "system: out of memory");
	for (unsigned i = 0; i < s->p.nchips; i++) {
		uint64_t cyc = 0;
		if (macro_calibrate(&s->m[i], CHIP_CMP_LATENCY, cal, &cyc)) {
			free(cal);
			return sys_fail(s, SYS_ESIM,
					"system: calibration of chip %u failed",
					i);
		}
		for (unsigned c = 0; c < s->ncol; c++)
			s->ncnt[i][c] = (uint8_t)calib_count(cal, c);
		s->st.calib_cycles[i] = cyc;
	}
	free(cal);
	return SYS_OK;
}

static int tlm_infer_batch(struct sys *s, size_t n, const uint8_t *codes,
			   sys_result_t *res)
{
	unsigned n_in = s->net[0].n_in;
	for (size_t k = 0; k < n; k++) {
		int rc = sys_tlm_infer(s, codes + k * n_in, &res[k]);
		if (rc)
			return rc;
	}
	return SYS_OK;
}

static macro_t *tlm_macro(struct sys *s, unsigned chip)
{
	return &s->m[chip];
}

const sys_backend_t sys_tlm_backend = {
	.build = tlm_build,
	.destroy = tlm_destroy,
	.write_row = tlm_write_row,
	.sync = tlm_sync,
	.calibrate = tlm_calibrate,
	.infer_batch = tlm_infer_batch,
	.macro = tlm_macro,
};
