/* sysnet.c - the hardware network and its conversion from bnn; see
 * sysnet.h. */
#include "system/sysnet.h"

#include <stdio.h>
#include <string.h>

#include "bnn/bnn.h"
#include "kernel/rng.h"

void sys_net_init(sys_net_t *net)
{
	static const unsigned shape[SYS_NLAYER + 1] = { 96, 96, 96, 90 };
	memset(net, 0, sizeof(*net));
	for (unsigned l = 0; l < SYS_NLAYER; l++) {
		net->layer[l].n_in = shape[l];
		net->layer[l].n_out = shape[l + 1];
	}
}

int sys_net_check(const sys_net_t *net)
{
	for (unsigned l = 0; l < SYS_NLAYER; l++) {
		const sys_layer_t *L = &net->layer[l];
		if (L->n_in < 1 || L->n_in > SYS_MAX_ROW || L->n_out < 1 ||
		    L->n_out > SYS_MAX_COL)
			return imc_fail(
				-1,
				"net: layer %u shape %u x %u (allowed 1..%d "
				"inputs, 1..%d columns)",
				l, L->n_in, L->n_out, SYS_MAX_ROW, SYS_MAX_COL);
		if (l > 0 && L->n_in != net->layer[l - 1].n_out)
			return imc_fail(
				-1,
				"net: layer %u has %u inputs but layer %u "
				"has %u columns",
				l, L->n_in, l - 1, net->layer[l - 1].n_out);
		for (unsigned i = 0; i < SYS_MAX_ROW; i++)
			for (unsigned j = 0; j < SYS_MAX_COL; j++)
				if ((i >= L->n_in || j >= L->n_out) &&
				    ((L->w[i][j / 64] >> (j % 64)) & 1))
					return imc_fail(
						-1,
						"net: layer %u has a weight "
						"bit at row %u column %u "
						"outside its %u x %u shape",
						l, i, j, L->n_in, L->n_out);
	}
	return 0;
}

int sys_net_weight(const sys_net_t *net, unsigned l, unsigned i, unsigned j)
{
	return (net->layer[l].w[i][j / 64] >> (j % 64)) & 1 ? 1 : -1;
}

void sys_net_set_weight(sys_net_t *net, unsigned l, unsigned i, unsigned j,
			int w)
{
	uint64_t b = UINT64_C(1) << (j % 64);
	if (w > 0)
		net->layer[l].w[i][j / 64] |= b;
	else
		net->layer[l].w[i][j / 64] &= ~b;
}

void sys_net_random(sys_net_t *net, uint64_t seed, int thr_span)
{
	for (unsigned l = 0; l < SYS_NLAYER; l++) {
		sys_layer_t *L = &net->layer[l];
		memset(L->w, 0, sizeof(L->w));
		for (unsigned i = 0; i < L->n_in; i++)
			for (unsigned j = 0; j < L->n_out; j++)
				sys_net_set_weight(net, l, i, j,
						   rng_u64(seed,
							   RNG_STREAM_TEST, l,
							   i, j) & 1
							   ? 1
							   : -1);
		for (unsigned j = 0; j < SYS_MAX_COL; j++) {
			int t = 0;
			if (thr_span > 0 && j < L->n_out)
				t = (int)(rng_u64(seed, RNG_STREAM_TEST, l,
						  1000, j) %
					  (uint64_t)(2 * thr_span + 1)) -
				    thr_span;
			L->thr[j] = (int16_t)t;
		}
	}
}

int sys_layer_from_bnn(const struct bnn_layer *bl, sys_layer_t *out)
{
	if (bl->n_in < 1 || bl->n_in > SYS_MAX_ROW || bl->n_in > BNN_MAX_IN ||
	    bl->n_out < 1 || bl->n_out > SYS_MAX_COL || bl->n_out > BNN_MAX_OUT)
		return imc_fail(-1, "net: bnn layer shape %u x %u too large",
				bl->n_in, bl->n_out);
	memset(out, 0, sizeof(*out));
	out->n_in = bl->n_in;
	out->n_out = bl->n_out;
	for (unsigned j = 0; j < bl->n_out; j++) {
		for (unsigned i = 0; i < bl->n_in; i++) {
			int8_t w = bl->w[j * bl->n_in + i];
			if (w != 1 && w != -1)
				return imc_fail(
					-1,
					"net: bnn weight %d at column %u row "
					"%u is not +-1",
					w, j, i);
			if (w > 0)
				out->w[i][j / 64] |= UINT64_C(1) << (j % 64);
		}
		out->thr[j] = bl->bias_steps[j];
	}
	return 0;
}

int sys_net_from_bnn(const struct bnn_net *bn, sys_net_t *out)
{
	for (unsigned l = 0; l < SYS_NLAYER; l++)
		if (sys_layer_from_bnn(&bn->layer[l], &out->layer[l]))
			return -1;
	return sys_net_check(out);
}
