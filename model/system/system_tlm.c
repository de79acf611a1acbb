/* system_tlm.c - the transaction-level system: the cycle-accurate
 * pipeline's operations, in the same order per chip, without the kernel;
 * see system.h. */
#include <stdio.h>
#include <string.h>

#include "bnn/bnn.h"
#include "system/system_internal.h"

/* The toggles bus b would count moving codes[0..n-1] as one vector (the
 * bus counts data, valid and eov lines against the previous transfer). */
static uint64_t bus_toggles(struct sys *s, unsigned b, const uint8_t *codes,
			    unsigned n)
{
	uint64_t t = 0;
	unsigned last = s->bus_lines[b];
	for (unsigned i = 0; i < n; i++) {
		unsigned lines = codes[i] | 1u << 5 | (i + 1 == n) << 6;
		t += (unsigned)__builtin_popcount(lines ^ last);
		last = lines;
	}
	s->bus_lines[b] = last;
	return t;
}

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
		return SYS_EARG;
	if (s->level != SYS_TLM)
		return sys_fail(s, SYS_ESTATE,
				"system: sys_tlm_infer needs a SYS_TLM system");
	int rc = sys_ready(s);
	if (rc)
		return rc;
	uint8_t buf[SYS_MAX_COL];
	const uint8_t *in = codes;
	memset(r, 0, sizeof(*r));
	r->bus_toggles = 0;
	for (unsigned l = 0; l < SYS_NLAYER; l++) {
		unsigned n_in = s->net[l].n_in, n_out = s->net[l].n_out;
		r->bus_toggles += bus_toggles(s, l, in, n_in);
		if ((rc = layer_compare(s, l, in, r->dec[l], &r->e_chip_j[l])))
			return rc;
		if (l + 1 < SYS_NLAYER) {
			normalizer_apply(&s->p.norm[l], r->dec[l], n_out, buf);
			in = buf;
		}
	}
	readout_scores(&s->p.readout, r->dec[SYS_NLAYER - 1], r->score);
	unsigned nc = s->p.readout.nclass;
	for (unsigned i = 0; i < nc; i++)
		buf[i] = (uint8_t)r->score[i];
	r->bus_toggles += bus_toggles(s, SYS_NLAYER, buf, nc);
	r->pred = readout_argmax(&s->p.readout, r->score);
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
		    int8_t *out, char *msg, size_t msg_len)
{
	struct sys *s = ctx;
	(void)hw;
	if (index >= SYS_NLAYER) {
		snprintf(msg, msg_len, "system: no layer %u", index);
		return -1;
	}
	if (!s->bnn_loaded[index] || s->bnn_version[index] != layer->version) {
		sys_layer_t L;
		if (sys_layer_from_bnn(layer, &L, msg, msg_len))
			return -1;
		if (sys_load_layer(s, index, &L) < 0) {
			snprintf(msg, msg_len, "%s", s->err);
			return -1;
		}
		s->bnn_loaded[index] = true;
		s->bnn_version[index] = layer->version;
	}
	unsigned n_in = layer->n_in, n_out = layer->n_out;
	for (size_t k = 0; k < n; k++) {
		uint64_t dec[SYS_NWORD];
		if (sys_tlm_layer(s, index, codes + k * n_in, dec, NULL)) {
			snprintf(msg, msg_len, "%s", s->err);
			return -1;
		}
		for (unsigned j = 0; j < n_out; j++)
			out[k * n_out + j] = (dec[j / 64] >> (j % 64)) & 1 ? 1
									   : -1;
	}
	return 0;
}

int sys_bnn_evaluator(sys_t *s, struct bnn_evaluator *ev)
{
	if (!s || !ev)
		return SYS_EARG;
	if (s->level != SYS_TLM)
		return sys_fail(s, SYS_ESTATE,
				"system: the bnn evaluator needs a SYS_TLM "
				"system");
	ev->eval = bnn_eval;
	ev->ctx = s;
	return SYS_OK;
}
