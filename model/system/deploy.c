/* deploy.c - put a trained BNN on the four-chip system (sys_deploy), and
 * set each chip's calibration operating point from the deployed layer. */

#include "system/system.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bnn/bnn.h"

#define DEPLOY_MAX_IMAGES 2000 /* enough for a mean input */

void sys_params_fit_net(sys_params_t *p, const struct bnn_net *net)
{
	/* the hidden layers' codes span the range the net was trained for */
	for (unsigned l = 0; l + 1 < SYS_NLAYER; l++)
		normalizer_params_uniform(&p->norm[l], net->hw.code_lo,
					  net->hw.code_hi);
}

int sys_set_operating_points(sys_t *s, const struct bnn_net *net, size_t n,
			     const uint8_t *codes)
{
	const sys_params_t *p = sys_params(s);
	if (n > DEPLOY_MAX_IMAGES)
		n = DEPLOY_MAX_IMAGES;
	int8_t *act[BNN_N_LAYERS] = { NULL, NULL, NULL };
	int rc = 0;
	if (n > 0) {
		for (unsigned l = 0; l < BNN_N_LAYERS && !rc; l++)
			if (!(act[l] = malloc(n * net->layer[l].n_out)))
				rc = -1;
		if (rc)
			imc_fail(rc, "operating point: out of memory");
		else if (bnn_forward(net, NULL, n, codes, act, NULL))
			rc = -1;
	}
	for (unsigned l = 0; l < SYS_NLAYER && !rc; l++) {
		macro_t *m = sys_macro(s, p->layer_chip[l]);
		unsigned n_in = net->layer[l].n_in;
		double x[BNN_MAX_IN] = { 0 };
		if (l == 0 && n == 0)
			continue; /* no data: layer 0 calibrates at idle */
		for (unsigned i = 0; i < n_in; i++) {
			double sum = 0;
			if (l == 0) {
				for (size_t k = 0; k < n; k++)
					sum += codes[k * n_in + i];
				x[i] = sum / (double)n;
				continue;
			}
			/* a hidden input: the previous layer's neuron i sent
			 * hi with probability q, lo otherwise */
			double q = 0.5;
			if (n > 0) {
				for (size_t k = 0; k < n; k++)
					sum += act[l - 1][k * n_in + i] > 0;
				q = sum / (double)n;
			}
			const normalizer_params_t *nm = &p->norm[l - 1];
			x[i] = nm->lo[i] + q * (nm->hi[i] - nm->lo[i]);
		}
		unsigned code =
			macro_cal_point_for(m, macro_nominal_cm_v(m, x));
		if (macro_set_cal_point(m, code)) {
			rc = imc_fail(-1, "operating point: bad code %u", code);
		}
	}
	for (unsigned l = 0; l < BNN_N_LAYERS; l++)
		free(act[l]);
	return rc;
}

sys_t *sys_deploy_data(const sys_params_t *p, sys_level_t level,
		       const struct bnn_net *net, int calibrate, size_t n,
		       const uint8_t *codes, unsigned *saturated)
{
	sys_params_t q = *p;
	sys_params_fit_net(&q, net);
	sys_net_t sn;
	if (sys_net_from_bnn(net, &sn))
		return NULL;
	sys_t *s = sys_new(&q, level, NULL);
	if (!s)
		return NULL;
	int rc = sys_load_net(s, &sn);
	if (rc >= 0 && calibrate &&
	    sys_set_operating_points(s, net, n, codes)) {
		sys_free(s);
		return NULL;
	}
	if (rc >= 0)
		rc = calibrate ? sys_calibrate(s) : sys_skip_calibration(s);
	if (rc < 0) {
		imc_fail(rc, "%s", sys_error(s));
		sys_free(s);
		return NULL;
	}
	if (saturated)
		*saturated = (unsigned)rc;
	return s;
}

sys_t *sys_deploy(const sys_params_t *p, sys_level_t level,
		  const struct bnn_net *net, int calibrate, unsigned *saturated)
{
	return sys_deploy_data(p, level, net, calibrate, 0, NULL, saturated);
}

uint64_t sys_cm_low(sys_t *s, unsigned layer)
{
	if (!s || layer >= SYS_NLAYER)
		return 0;
	return sys_macro(s, sys_params(s)->layer_chip[layer])->n_cm_low;
}
