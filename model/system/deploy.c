/* deploy.c - put a trained BNN on the four-chip system (sys_deploy). */

#include "system/system.h"

#include <stdio.h>

#include "bnn/bnn.h"

void sys_params_fit_net(sys_params_t *p, const struct bnn_net *net)
{
	/* the hidden layers' codes span the range the net was trained for */
	for (unsigned l = 0; l + 1 < SYS_NLAYER; l++)
		normalizer_params_uniform(&p->norm[l], net->hw.code_lo,
					  net->hw.code_hi);
}

sys_t *sys_deploy(const sys_params_t *p, sys_level_t level,
		  const struct bnn_net *net, int calibrate, unsigned *saturated,
		  char *err, size_t errlen)
{
	sys_params_t q = *p;
	sys_params_fit_net(&q, net);
	sys_net_t sn;
	if (sys_net_from_bnn(net, &sn, err, errlen))
		return NULL;
	sys_t *s = sys_new(&q, level, NULL, err, errlen);
	if (!s)
		return NULL;
	int rc = sys_load_net(s, &sn);
	if (rc >= 0)
		rc = calibrate ? sys_calibrate(s) : sys_skip_calibration(s);
	if (rc < 0) {
		snprintf(err, errlen, "%s", sys_error(s));
		sys_free(s);
		return NULL;
	}
	if (saturated)
		*saturated = (unsigned)rc;
	return s;
}
