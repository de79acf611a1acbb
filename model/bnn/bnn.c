/* bnn.c - the deployed network and its forward pass; see bnn.h. */
#include "bnn/bnn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 256

void bnn_hw_defaults(struct bnn_hw *hw)
{
	hw->comp_step = 4;
	hw->comp_max_steps = 16;
	hw->code_lo = 0;
	hw->code_hi = BNN_CODE_MAX;
}

int bnn_hw_check(const struct bnn_hw *hw)
{
	if (!hw)
		return imc_fail(BNN_EARG, "bnn: no hardware parameters");
	if (hw->comp_step < 1 || hw->comp_step > 1024)
		return imc_fail(BNN_EARG,
				"bnn: comp_step %d outside 1..1024 code units",
				hw->comp_step);
	if (hw->comp_max_steps < 0 || hw->comp_max_steps > 1024)
		return imc_fail(BNN_EARG,
				"bnn: comp_max_steps %d outside 0..1024",
				hw->comp_max_steps);
	if (hw->code_lo >= hw->code_hi || hw->code_hi > BNN_CODE_MAX)
		return imc_fail(BNN_EARG,
				"bnn: activation codes lo %u / hi %u: need "
				"lo < hi <= 31",
				(unsigned)hw->code_lo, (unsigned)hw->code_hi);
	return BNN_OK;
}

int bnn_hw_equal(const struct bnn_hw *a, const struct bnn_hw *b)
{
	return a->comp_step == b->comp_step &&
	       a->comp_max_steps == b->comp_max_steps &&
	       a->code_lo == b->code_lo && a->code_hi == b->code_hi;
}

static const unsigned shape[BNN_N_LAYERS][2] = {
	{ BNN_N_INPUTS, BNN_HIDDEN },
	{ BNN_HIDDEN, BNN_HIDDEN },
	{ BNN_HIDDEN, BNN_N_OUT },
};

void bnn_net_init(struct bnn_net *net, const struct bnn_hw *hw,
		  const struct bnn_preproc_params *pre)
{
	memset(net, 0, sizeof(*net));
	if (hw)
		net->hw = *hw;
	else
		bnn_hw_defaults(&net->hw);
	if (pre)
		net->pre = *pre;
	else
		bnn_preproc_defaults(&net->pre);
	for (unsigned l = 0; l < BNN_N_LAYERS; l++) {
		struct bnn_layer *L = &net->layer[l];

		L->n_in = shape[l][0];
		L->n_out = shape[l][1];
		memset(L->w, 1, sizeof(L->w));
	}
}

int bnn_net_check(const struct bnn_net *net)
{
	int rc;

	if (!net)
		return imc_fail(BNN_EARG, "bnn: no network");
	rc = bnn_hw_check(&net->hw);
	if (rc)
		return rc;
	if (net->pre.norm_target > BNN_N_INPUTS * BNN_CODE_MAX)
		return imc_fail(BNN_EARG, "bnn: normalization target %u > %u",
				net->pre.norm_target,
				BNN_N_INPUTS * BNN_CODE_MAX);
	for (unsigned l = 0; l < BNN_N_LAYERS; l++) {
		const struct bnn_layer *L = &net->layer[l];

		if (L->n_in != shape[l][0] || L->n_out != shape[l][1])
			return imc_fail(
				BNN_EARG,
				"bnn: layer %u is %u -> %u, expected %u -> %u",
				l, L->n_in, L->n_out, shape[l][0], shape[l][1]);
		for (unsigned k = 0; k < L->n_in * L->n_out; k++)
			if (L->w[k] != 1 && L->w[k] != -1)
				return imc_fail(
					BNN_ERANGE,
					"bnn: layer %u column %u row %u: "
					"weight %d is not +1/-1",
					l, k / L->n_in, k % L->n_in,
					(int)L->w[k]);
		for (unsigned j = 0; j < L->n_out; j++)
			if (L->bias_steps[j] > net->hw.comp_max_steps ||
			    L->bias_steps[j] < -net->hw.comp_max_steps)
				return imc_fail(
					BNN_ERANGE,
					"bnn: layer %u column %u: bias %d "
					"steps outside +-%d",
					l, j, (int)L->bias_steps[j],
					net->hw.comp_max_steps);
	}
	return BNN_OK;
}

int32_t bnn_column_pre(const struct bnn_layer *layer, const struct bnn_hw *hw,
		       unsigned j, const uint8_t *x)
{
	const int8_t *w = layer->w + (size_t)j * layer->n_in;
	int32_t s = 0;

	/* Integer sums are exact in any order; the fixed length lets the
	 * compiler vectorise the common case. */
	if (layer->n_in == BNN_MAX_IN)
		for (unsigned i = 0; i < BNN_MAX_IN; i++)
			s += w[i] * (int32_t)x[i];
	else
		for (unsigned i = 0; i < layer->n_in; i++)
			s += w[i] * (int32_t)x[i];
	return s + hw->comp_step * (int32_t)layer->bias_steps[j];
}

int bnn_ideal_eval(void *ctx, unsigned index, const struct bnn_layer *layer,
		   const struct bnn_hw *hw, size_t n, const uint8_t *codes,
		   int8_t *out)
{
	(void)ctx;
	(void)index;
	for (size_t k = 0; k < n; k++) {
		const uint8_t *x = codes + k * layer->n_in;

		for (unsigned j = 0; j < layer->n_out; j++)
			out[k * layer->n_out + j] =
				bnn_column_pre(layer, hw, j, x) >= 0 ? 1 : -1;
	}
	return 0;
}

struct bnn_evaluator bnn_ideal_evaluator(void)
{
	struct bnn_evaluator ev = { bnn_ideal_eval, NULL };

	return ev;
}

void bnn_act_to_codes(const struct bnn_hw *hw, size_t n, const int8_t *act,
		      uint8_t *codes)
{
	for (size_t k = 0; k < n; k++)
		codes[k] = act[k] > 0 ? hw->code_hi : hw->code_lo;
}

unsigned bnn_readout(const int8_t out[BNN_N_OUT],
		     unsigned scores[BNN_N_CLASSES])
{
	unsigned best = 0, best_score = 0;

	for (unsigned c = 0; c < BNN_N_CLASSES; c++) {
		unsigned s = 0;

		for (unsigned v = 0; v < BNN_VOTERS; v++)
			s += out[c * BNN_VOTERS + v] > 0;
		if (scores)
			scores[c] = s;
		/* Strictly greater: a tie keeps the lower class index. */
		if (c == 0 || s > best_score) {
			best = c;
			best_score = s;
		}
	}
	return best;
}

/* Run one layer through ev and check what comes back. */
static int run_layer(const struct bnn_net *net, const struct bnn_evaluator *ev,
		     unsigned l, size_t n, const uint8_t *in, int8_t *out)
{
	const struct bnn_layer *L = &net->layer[l];
	int rc;

	imc_clear_error(); /* tells "(no message)" from a message */
	rc = ev->eval(ev->ctx, l, L, &net->hw, n, in, out);
	if (rc) {
		const char *why = imc_last_error();

		return imc_fail(BNN_EEVAL,
				"bnn: evaluator failed on layer %u: %s", l,
				why[0] ? why : "(no message)");
	}
	for (size_t k = 0; k < n * L->n_out; k++)
		if (out[k] != 1 && out[k] != -1)
			return imc_fail(
				BNN_EEVAL,
				"bnn: evaluator returned %d for layer %u "
				"column %u (not +1/-1)",
				(int)out[k], l, (unsigned)(k % L->n_out));
	return 0;
}

int bnn_forward(const struct bnn_net *net, const struct bnn_evaluator *ev,
		size_t n, const uint8_t *codes, int8_t *act[BNN_N_LAYERS],
		uint8_t *pred)
{
	struct bnn_evaluator ideal = bnn_ideal_evaluator();
	int8_t *out[BNN_N_LAYERS] = { NULL, NULL, NULL };
	uint8_t *in = NULL;
	int rc = BNN_OK;

	if (!net || (n && !codes))
		return imc_fail(BNN_EARG, "bnn: invalid argument to forward");
	if (!ev || !ev->eval)
		ev = &ideal;
	in = malloc(n * BNN_MAX_IN + 1);
	for (unsigned l = 0; l < BNN_N_LAYERS; l++)
		out[l] = (act && act[l]) ? act[l] : malloc(n * BNN_MAX_OUT + 1);
	if (!in || !out[0] || !out[1] || !out[2]) {
		rc = imc_fail(BNN_ENOMEM, "bnn: out of memory");
		goto done;
	}
	memcpy(in, codes, n * BNN_N_INPUTS);
	for (unsigned l = 0; l < BNN_N_LAYERS && rc == BNN_OK; l++) {
		const struct bnn_layer *L = &net->layer[l];

		rc = run_layer(net, ev, l, n, in, out[l]);
		if (rc == BNN_OK && l + 1 < BNN_N_LAYERS)
			bnn_act_to_codes(&net->hw, n * L->n_out, out[l], in);
	}
	if (rc == BNN_OK && pred)
		for (size_t k = 0; k < n; k++)
			pred[k] = (uint8_t)bnn_readout(out[2] + k * BNN_N_OUT,
						       NULL);
done:
	for (unsigned l = 0; l < BNN_N_LAYERS; l++)
		if (!(act && act[l]))
			free(out[l]);
	free(in);
	return rc;
}

int bnn_accuracy(const struct bnn_net *net, const struct bnn_evaluator *ev,
		 const struct bnn_dataset *ds, double *acc)
{
	uint8_t pred[BATCH];
	size_t correct = 0;

	if (!net || !ds || !acc || ds->n == 0)
		return imc_fail(BNN_EARG, "bnn: accuracy needs a net and data");
	for (size_t k0 = 0; k0 < ds->n; k0 += BATCH) {
		size_t m = ds->n - k0 < BATCH ? ds->n - k0 : BATCH;
		int rc = bnn_forward(net, ev, m, ds->codes + k0 * BNN_N_INPUTS,
				     NULL, pred);

		if (rc)
			return rc;
		for (size_t k = 0; k < m; k++)
			correct += pred[k] == ds->labels[k0 + k];
	}
	*acc = (double)correct / (double)ds->n;
	return BNN_OK;
}
