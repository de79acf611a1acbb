/* train.c - STE / squared hinge / ADAM trainer; see train.h. */
#include "bnn/train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bnn/adam.h"
#include "kernel/rng.h"

#define MAX_BATCH BNN_TRAIN_MAX_BATCH
#define SIGMA_EPS 1.0f /* code units^2: keeps sigma_B > 0 */

struct tlayer {
	unsigned n_in, n_out;
	float *w, *gw, *mw, *vw; /* latent weights, n_out x n_in */
	float *b, *gb, *mb, *vb; /* latent biases (steps), n_out */
	float *wb;		 /* deployed weights as floats */
	float *x;		 /* batch inputs, batch x n_in (codes) */
	uint8_t *xc;		 /* the same as bytes, for the evaluator */
	float *u;		 /* pre-activations, batch x n_out */
	float *sig;		 /* batch std per column */
	float *du;		 /* dLoss/du, batch x n_out */
	int8_t *act;		 /* decisions, batch x n_out */
};

struct bnn_trainer {
	struct bnn_train_params p;
	struct bnn_net net;
	struct bnn_adam adam;
	struct tlayer L[BNN_N_LAYERS];
	float *dx; /* scratch: dLoss/dx of one layer's input */
	size_t *perm;
	size_t perm_n;
	unsigned epoch;
};

IMC_PARAM_BLOCK_DEFINE(bnn_train_param_block, BNN_TRAIN_SECTION,
		       struct bnn_train_params, BNN_TRAIN_PARAMS);

void bnn_train_defaults(struct bnn_train_params *p)
{
	imc_param_defaults(&bnn_train_param_block, p);
}

static int check_params(const struct bnn_train_params *p)
{

	if (!p)
		return imc_fail(BNN_EARG, "train: no parameters");
	if (imc_param_check_msg(&bnn_train_param_block, p))
		return BNN_EARG; /* the message names the parameter */
	return BNN_OK;
}

static void free_layer(struct tlayer *L)
{
	float **f[] = { &L->w,	&L->gw, &L->mw, &L->vw, &L->b,	 &L->gb, &L->mb,
			&L->vb, &L->wb, &L->x,	&L->u,	&L->sig, &L->du };

	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		free(*f[k]);
		*f[k] = NULL;
	}
	free(L->xc);
	free(L->act);
	L->xc = NULL;
	L->act = NULL;
}

static int alloc_layer(struct tlayer *L, unsigned n_in, unsigned n_out,
		       unsigned batch)
{
	size_t nw = (size_t)n_in * n_out;

	L->n_in = n_in;
	L->n_out = n_out;
	L->w = calloc(nw, sizeof(float));
	L->gw = calloc(nw, sizeof(float));
	L->mw = calloc(nw, sizeof(float));
	L->vw = calloc(nw, sizeof(float));
	L->wb = calloc(nw, sizeof(float));
	L->b = calloc(n_out, sizeof(float));
	L->gb = calloc(n_out, sizeof(float));
	L->mb = calloc(n_out, sizeof(float));
	L->vb = calloc(n_out, sizeof(float));
	L->sig = calloc(n_out, sizeof(float));
	L->x = calloc((size_t)batch * n_in, sizeof(float));
	L->xc = calloc((size_t)batch * n_in, 1);
	L->u = calloc((size_t)batch * n_out, sizeof(float));
	L->du = calloc((size_t)batch * n_out, sizeof(float));
	L->act = calloc((size_t)batch * n_out, 1);
	return L->w && L->gw && L->mw && L->vw && L->wb && L->b && L->gb &&
	       L->mb && L->vb && L->sig && L->x && L->xc && L->u && L->du &&
	       L->act;
}

/* Re-derive the deployed layer l from the latent parameters. */
static void deploy(struct bnn_trainer *t, unsigned l)
{
	struct tlayer *L = &t->L[l];
	struct bnn_layer *D = &t->net.layer[l];
	size_t nw = (size_t)L->n_in * L->n_out;

	for (size_t k = 0; k < nw; k++) {
		D->w[k] = L->w[k] >= 0 ? 1 : -1;
		L->wb[k] = D->w[k];
	}
	for (unsigned j = 0; j < L->n_out; j++)
		D->bias_steps[j] = (int16_t)floorf(L->b[j] + 0.5f);
	D->version++;
}

void bnn_trainer_free(struct bnn_trainer *t)
{
	if (!t)
		return;
	for (unsigned l = 0; l < BNN_N_LAYERS; l++)
		free_layer(&t->L[l]);
	free(t->dx);
	free(t->perm);
	free(t);
}

int bnn_trainer_new(const struct bnn_hw *hw,
		    const struct bnn_preproc_params *pre,
		    const struct bnn_train_params *p, struct bnn_trainer **out)
{
	struct bnn_hw defhw;
	struct bnn_trainer *t;
	int rc;

	if (!out)
		return imc_fail(BNN_EARG, "train: invalid argument");
	*out = NULL;
	if (!hw) {
		bnn_hw_defaults(&defhw);
		hw = &defhw;
	}
	rc = bnn_hw_check(hw);
	if (rc == BNN_OK)
		rc = check_params(p);
	if (rc)
		return rc;
	t = calloc(1, sizeof(*t));
	if (!t)
		return imc_fail(BNN_ENOMEM, "train: out of memory");
	t->p = *p;
	bnn_adam_init(&t->adam);
	bnn_net_init(&t->net, hw, pre);
	int ok = 1;
	for (unsigned l = 0; l < BNN_N_LAYERS; l++)
		ok = ok && alloc_layer(&t->L[l], t->net.layer[l].n_in,
				       t->net.layer[l].n_out, p->batch);
	t->dx = calloc((size_t)p->batch * BNN_MAX_IN, sizeof(float));
	if (!ok || !t->dx) {
		bnn_trainer_free(t);
		return imc_fail(BNN_ENOMEM, "train: out of memory");
	}
	for (unsigned l = 0; l < BNN_N_LAYERS; l++) {
		struct tlayer *L = &t->L[l];

		for (unsigned j = 0; j < L->n_out; j++)
			for (unsigned i = 0; i < L->n_in; i++) {
				double u = rng_uniform(
					p->seed, RNG_STREAM_BNN_INIT, l, j, i);
				L->w[(size_t)j * L->n_in + i] =
					(float)((2 * u - 1) * p->init_scale);
			}
		deploy(t, l);
	}
	*out = t;
	return BNN_OK;
}

int bnn_trainer_set_net(struct bnn_trainer *t, const struct bnn_net *net)
{
	int rc;

	if (!t)
		return imc_fail(BNN_EARG, "train: invalid argument");
	rc = bnn_net_check(net);
	if (rc)
		return rc;
	if (!bnn_hw_equal(&net->hw, &t->net.hw))
		return imc_fail(
			BNN_EARG,
			"train: net was made for other hardware parameters");
	t->net.pre = net->pre;
	for (unsigned l = 0; l < BNN_N_LAYERS; l++) {
		struct tlayer *L = &t->L[l];
		const struct bnn_layer *D = &net->layer[l];

		for (size_t k = 0; k < (size_t)L->n_in * L->n_out; k++)
			L->w[k] = 0.5f * D->w[k];
		for (unsigned j = 0; j < L->n_out; j++)
			L->b[j] = D->bias_steps[j];
		deploy(t, l);
	}
	return BNN_OK;
}

const struct bnn_net *bnn_trainer_net(const struct bnn_trainer *t)
{
	return t ? &t->net : NULL;
}

/*
 * Exact arithmetic, whatever the order. The weights are +-1 and the inputs
 * integer codes 0..31, so a dot product is an integer of magnitude at most
 * 96 * 31 = 2976: summed in int32 it is exact in any order (the compiler
 * may vectorise it freely), and it equals the float sum the trainer used
 * before, whose partial sums were all integers below 2^24 and so exact too.
 * The backward loops below accumulate floats; they are vectorised across
 * i only (each element keeps its own order of additions over j or k), so
 * their bits do not change either. The fixed-length variants let the
 * compiler's cheapest vectoriser (GCC -O2) take the loops whole.
 */
static int32_t dot_codes(const int8_t *restrict w, const uint8_t *restrict x,
			 unsigned n)
{
	int32_t s = 0;

	if (n == BNN_MAX_IN) {
		/* |partial sum| <= 2976: 16 bits hold it, twice the lanes */
		int16_t h = 0;

		for (unsigned i = 0; i < BNN_MAX_IN; i++)
			h = (int16_t)(h + (int16_t)(w[i] * x[i]));
		return h;
	}
	for (unsigned i = 0; i < n; i++)
		s += w[i] * x[i];
	return s;
}

/* y[i] += a * x[i], element by element (no reassociation). */
static void axpy(float *restrict y, float a, const float *restrict x,
		 unsigned n)
{
	if (n == BNN_MAX_IN) {
		for (unsigned i = 0; i < BNN_MAX_IN; i++)
			y[i] += a * x[i];
		return;
	}
	for (unsigned i = 0; i < n; i++)
		y[i] += a * x[i];
}

/* u = x . w^T + step * bias, and the batch std of each column. */
static void layer_pre(const struct bnn_trainer *t, unsigned l, size_t n)
{
	const struct tlayer *L = &t->L[l];
	const struct bnn_layer *D = &t->net.layer[l];
	float step = (float)t->net.hw.comp_step;

	for (size_t k = 0; k < n; k++) {
		const uint8_t *x = L->xc + k * L->n_in;

		for (unsigned j = 0; j < L->n_out; j++) {
			int32_t s = dot_codes(D->w + (size_t)j * L->n_in, x,
					      L->n_in);

			L->u[k * L->n_out + j] =
				(float)s + step * D->bias_steps[j];
		}
	}
	for (unsigned j = 0; j < L->n_out; j++) {
		double m = 0, v = 0;

		for (size_t k = 0; k < n; k++)
			m += (double)L->u[k * L->n_out + j];
		m /= (double)n;
		for (size_t k = 0; k < n; k++) {
			double d = (double)L->u[k * L->n_out + j] - m;

			v += d * d;
		}
		L->sig[j] = (float)sqrt(v / (double)n + (double)SIGMA_EPS);
	}
}

/* Forward one batch: software pre-activations everywhere, decisions from
 * ev when given (else the exact sign of u, which is what ev would say). */
static int batch_forward(struct bnn_trainer *t, const struct bnn_evaluator *ev,
			 size_t n)
{
	const struct bnn_hw *hw = &t->net.hw;

	for (unsigned l = 0; l < BNN_N_LAYERS; l++) {
		struct tlayer *L = &t->L[l];
		size_t m = n * L->n_out;

		layer_pre(t, l, n);
		if (ev && ev->eval) {
			imc_clear_error(); /* "(no message)" if it sets none */
			if (ev->eval(ev->ctx, l, &t->net.layer[l], hw, n, L->xc,
				     L->act)) {
				const char *why = imc_last_error();

				return imc_fail(
					BNN_EEVAL,
					"train: evaluator failed on layer "
					"%u: %s",
					l, why[0] ? why : "(no message)");
			}
			for (size_t k = 0; k < m; k++)
				if (L->act[k] != 1 && L->act[k] != -1)
					return imc_fail(
						BNN_EEVAL,
						"train: evaluator returned %d "
						"on layer %u (not +1/-1)",
						(int)L->act[k], l);
		} else {
			for (size_t k = 0; k < m; k++)
				L->act[k] = L->u[k] >= 0 ? 1 : -1;
		}
		if (l + 1 < BNN_N_LAYERS) {
			struct tlayer *N = &t->L[l + 1];

			bnn_act_to_codes(hw, m, L->act, N->xc);
			for (size_t k = 0; k < m; k++)
				N->x[k] = N->xc[k];
		}
	}
	return BNN_OK;
}

/* Group form: one squared hinge per class on the mean h of its voters
 * (a column the evaluator got wrong contributes at most 0 to the mean). */
static double group_hinge(struct bnn_trainer *t, size_t k, unsigned label,
			  float inv_n)
{
	struct tlayer *L = &t->L[BNN_N_LAYERS - 1];
	const int8_t *act = L->act + k * L->n_out;
	float *du = L->du + k * L->n_out;
	const float *u = L->u + k * L->n_out;
	double loss = 0;

	for (unsigned c = 0; c < BNN_N_CLASSES; c++) {
		float y = c == label ? 1.0f : -1.0f;
		float wt = y > 0 ? (float)t->p.pos_weight : 1.0f;
		float s = 0;

		for (unsigned v = 0; v < BNN_VOTERS; v++) {
			unsigned j = c * BNN_VOTERS + v;
			float mg = y * u[j] / L->sig[j];

			if (y * act[j] < 0 && mg > 0)
				mg = 0;
			s += mg;
		}
		s /= BNN_VOTERS;
		float g = s < 1 ? 1 - s : 0;

		loss += (double)(wt * g * g);
		for (unsigned v = 0; v < BNN_VOTERS; v++) {
			unsigned j = c * BNN_VOTERS + v;

			du[j] = -2 * wt * y * g * inv_n /
				(L->sig[j] * BNN_VOTERS);
		}
	}
	return loss;
}

/* Squared hinge on the output layer: fills du of the last layer, returns
 * the summed loss and counts correct readouts. */
static double output_loss(struct bnn_trainer *t, size_t n,
			  const uint8_t *labels, size_t *correct)
{
	struct tlayer *L = &t->L[BNN_N_LAYERS - 1];
	double loss = 0;
	float inv_n = 1.0f / (float)n;

	for (size_t k = 0; k < n; k++) {
		const int8_t *act = L->act + k * L->n_out;

		*correct += bnn_readout(act, NULL) == labels[k];
		if (t->p.group_loss) {
			loss += group_hinge(t, k, labels[k], inv_n);
			continue;
		}
		for (unsigned j = 0; j < L->n_out; j++) {
			size_t kj = k * L->n_out + j;
			float y = (j / BNN_VOTERS == labels[k]) ? 1.0f : -1.0f;
			float wt = y > 0 ? (float)t->p.pos_weight : 1.0f;
			float mg = y * L->u[kj] / L->sig[j];

			/* A column the evaluator got wrong has no margin. */
			if (y * act[j] < 0 && mg > 0)
				mg = 0;
			float g = mg < 1 ? 1 - mg : 0;

			loss += (double)(wt * g * g);
			L->du[kj] = -2 * wt * y * g * inv_n / L->sig[j];
		}
	}
	return loss;
}

/* Gradients of layer l from its du; then du of layer l-1 through the STE. */
static void layer_backward(struct bnn_trainer *t, unsigned l, size_t n)
{
	struct tlayer *L = &t->L[l];
	const struct bnn_hw *hw = &t->net.hw;
	float step = (float)hw->comp_step;
	size_t nw = (size_t)L->n_in * L->n_out;

	if (l > 0) {
		struct tlayer *P = &t->L[l - 1];
		float dcode = 0.5f * (float)(hw->code_hi - hw->code_lo);

		memset(t->dx, 0, n * L->n_in * sizeof(float));
		for (size_t k = 0; k < n; k++) {
			float *dx = t->dx + k * L->n_in;

			for (unsigned j = 0; j < L->n_out; j++) {
				float d = L->du[k * L->n_out + j];
				const float *w = L->wb + (size_t)j * L->n_in;

				if (d == 0)
					continue;
				axpy(dx, d, w, L->n_in);
			}
			for (unsigned i = 0; i < P->n_out; i++) {
				size_t ki = k * P->n_out + i;
				float h = P->u[ki] / P->sig[i];

				P->du[ki] = (h <= 1 && h >= -1)
						    ? dx[i] * dcode / P->sig[i]
						    : 0;
			}
		}
	}
	/* Centering penalty: pulls each column's batch mean to its
	 * threshold; it shapes this layer's weights only. */
	for (unsigned j = 0; j < L->n_out && t->p.center > 0; j++) {
		double m = 0;

		for (size_t k = 0; k < n; k++)
			m += (double)L->u[k * L->n_out + j];
		m /= (double)n;
		float c = (float)(2 * t->p.center * m /
				  ((double)L->sig[j] * (double)L->sig[j] *
				   (double)n));
		for (size_t k = 0; k < n; k++)
			L->du[k * L->n_out + j] += c;
	}
	memset(L->gw, 0, nw * sizeof(float));
	memset(L->gb, 0, L->n_out * sizeof(float));
	for (size_t k = 0; k < n; k++) {
		const float *x = L->x + k * L->n_in;

		for (unsigned j = 0; j < L->n_out; j++) {
			float d = L->du[k * L->n_out + j];
			float *g = L->gw + (size_t)j * L->n_in;

			if (d == 0)
				continue;
			L->gb[j] += d * step;
			axpy(g, d, x, L->n_in);
		}
	}
}

static double epoch_lr(const struct bnn_train_params *p, unsigned e)
{
	if (p->epochs <= 1 || e + 1 >= p->epochs)
		return p->epochs <= 1 ? p->lr_start : p->lr_end;
	return p->lr_start *
	       pow(p->lr_end / p->lr_start, (double)e / (p->epochs - 1));
}

/* Keyed Fisher-Yates: the order depends only on (seed, epoch, n). */
static void shuffle(struct bnn_trainer *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		t->perm[i] = i;
	for (size_t i = n - 1; i > 0; i--) {
		uint64_t r = rng_u64(t->p.seed, RNG_STREAM_BNN_SHUFFLE,
				     t->epoch, i, 0);
		size_t j = (size_t)(((r >> 32) * (uint64_t)(i + 1)) >> 32);
		size_t tmp = t->perm[i];

		t->perm[i] = t->perm[j];
		t->perm[j] = tmp;
	}
}

int bnn_trainer_epoch(struct bnn_trainer *t, const struct bnn_dataset *ds,
		      const struct bnn_evaluator *ev,
		      struct bnn_epoch_stats *st)
{
	uint8_t labels[MAX_BATCH];
	size_t correct = 0, seen = 0;
	double loss = 0, lr;
	int rc;

	if (!t || !ds || ds->n < 2)
		return imc_fail(BNN_EARG,
				"train: need a trainer and >= 2 images");
	if (t->perm_n != ds->n) {
		size_t *p = realloc(t->perm, ds->n * sizeof(size_t));

		if (!p)
			return imc_fail(BNN_ENOMEM, "train: out of memory");
		t->perm = p;
		t->perm_n = ds->n;
	}
	shuffle(t, ds->n);
	lr = epoch_lr(&t->p, t->epoch);
	for (size_t k0 = 0; k0 + 1 < ds->n; k0 += t->p.batch) {
		size_t n = ds->n - k0 < t->p.batch ? ds->n - k0 : t->p.batch;
		struct tlayer *L0 = &t->L[0];

		if (n < 2)
			break; /* batch statistics need two images */
		for (size_t k = 0; k < n; k++) {
			size_t r = t->perm[k0 + k];
			const uint8_t *c = ds->codes + r * BNN_N_INPUTS;

			labels[k] = ds->labels[r];
			memcpy(L0->xc + k * BNN_N_INPUTS, c, BNN_N_INPUTS);
			for (unsigned i = 0; i < BNN_N_INPUTS; i++)
				L0->x[k * BNN_N_INPUTS + i] = c[i];
		}
		rc = batch_forward(t, ev, n);
		if (rc)
			return rc;
		loss += output_loss(t, n, labels, &correct);
		seen += n;
		for (unsigned l = BNN_N_LAYERS; l-- > 0;)
			layer_backward(t, l, n);
		bnn_adam_tick(&t->adam);
		for (unsigned l = 0; l < BNN_N_LAYERS; l++) {
			struct tlayer *L = &t->L[l];
			float bmax = (float)t->net.hw.comp_max_steps;

			bnn_adam_step(&t->adam, lr, (size_t)L->n_in * L->n_out,
				      L->w, L->gw, L->mw, L->vw, -1, 1);
			bnn_adam_step(&t->adam, lr * t->p.bias_lr_scale,
				      L->n_out, L->b, L->gb, L->mb, L->vb,
				      -bmax, bmax);
			deploy(t, l);
		}
	}
	t->epoch++;
	if (st) {
		st->epoch = t->epoch;
		st->loss = seen ? loss / (double)seen : 0;
		st->train_acc = seen ? (double)correct / (double)seen : 0;
		st->lr = lr;
	}
	return BNN_OK;
}

int bnn_train(const struct bnn_hw *hw, const struct bnn_preproc_params *pre,
	      const struct bnn_train_params *p, const struct bnn_dataset *ds,
	      struct bnn_net *net)
{
	struct bnn_trainer *t;
	int rc;

	if (!net || !p)
		return imc_fail(BNN_EARG, "train: invalid argument");
	rc = bnn_trainer_new(hw, pre, p, &t);
	for (unsigned e = 0; rc == BNN_OK && e < p->epochs; e++)
		rc = bnn_trainer_epoch(t, ds, NULL, NULL);
	if (rc == BNN_OK)
		*net = t->net;
	bnn_trainer_free(t);
	return rc;
}
