/* population.c - a design point over chip instances; see population.h. */
#include "population.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double pop_percentiles[7] = { 5, 10, 25, 50, 75, 90, 95 };

double pop_acc_pct(const pop_inst_t *x)
{
	return x->n_test ? 100.0 * x->right / x->n_test : 0.0;
}

int pop_passes(const pop_inst_t *x, double spec_pct)
{
	return 100.0 * x->right >= spec_pct * x->n_test;
}

/* right answers of an accuracy measured on n images */
static uint32_t count_of(double acc, size_t n)
{
	return (uint32_t)lround(acc * (double)n);
}

int pop_instance(const imcsim_config_t *c, const exp_data_t *d,
		 const struct bnn_net *net, uint64_t seed, int cil, int naive,
		 pop_inst_t *r)
{
	const struct bnn_dataset *test = exp_test_split(d, net);
	/* the chips calibrate where the net runs: at the operating points of
	 * its training split (as eval does) */
	const struct bnn_dataset *op = exp_train_split(d, net);
	double acc, e, ec;
	unsigned sat = 0;
	memset(r, 0, sizeof(*r));
	r->seed = seed;
	r->n_test = (uint32_t)test->n;
	if (exp_eval_chip_energy(c, net, test, op, seed, 1, &acc, &e, &ec,
				 &sat))
		return -1;
	r->right = r->right_cal = count_of(acc, test->n);
	r->e_sys_pj = e;
	r->e_chip_pj = ec;
	r->clamped = sat;
	if (naive) {
		if (exp_eval_chip_energy(c, net, test, op, seed, 0, &acc, &e,
					 NULL, &sat))
			return -1;
		r->right_naive = count_of(acc, test->n);
		r->e_naive_pj = e;
	}
	if (cil) {
		exp_run_t run = { 0 };
		if (exp_chip_in_the_loop(c, d, net, seed, &run))
			return -1;
		r->right = count_of(run.acc, test->n);
		r->e_sys_pj = run.e_sys_pj;
		r->e_chip_pj = run.e_chip_pj;
		r->clamped = run.clamped;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void pop_summarize(const pop_inst_t *v, unsigned n, double spec_pct,
		   pop_summary_t *s)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	double *a = calloc(n ? 3 * (size_t)n : 1, sizeof(double));
	if (!a) {
		stats_summary(NULL, 0, &s->acc);
		return;
	}
	double *cal = a + n, *nai = a + 2 * (size_t)n;
	for (unsigned k = 0; k < n; k++) {
		a[k] = pop_acc_pct(&v[k]);
		cal[k] = v[k].n_test ? 100.0 * v[k].right_cal / v[k].n_test : 0;
		nai[k] = v[k].n_test ? 100.0 * v[k].right_naive / v[k].n_test
				     : 0;
		s->e_sys_pj += v[k].e_sys_pj / n;
		s->e_chip_pj += v[k].e_chip_pj / n;
		s->e_naive_pj += v[k].e_naive_pj / n;
	}
	stats_summary(a, n, &s->acc);
	stats_summary(cal, n, &s->acc_cal);
	stats_summary(nai, n, &s->acc_naive);
	qsort(a, n, sizeof(double), cmp_double);
	for (int i = 0; i < 7; i++)
		s->p[i] = stats_percentile(a, n, pop_percentiles[i] / 100);
	s->has_spec = !isnan(spec_pct);
	s->spec_pct = spec_pct;
	if (s->has_spec && n) {
		for (unsigned k = 0; k < n; k++)
			s->pass += (unsigned)pop_passes(&v[k], spec_pct);
		s->yield = (double)s->pass / n;
		stats_binom_ci(s->pass, n, &s->yield_lo, &s->yield_hi);
	}
	free(a);
}

void pop_histogram(const pop_inst_t *v, unsigned n, double width, double *lo,
		   double *w, unsigned *nbins, unsigned *count)
{
	double mn = (double)INFINITY, mx = -(double)INFINITY;
	for (unsigned k = 0; k < n; k++) {
		mn = fmin(mn, pop_acc_pct(&v[k]));
		mx = fmax(mx, pop_acc_pct(&v[k]));
	}
	if (!n)
		mn = mx = 0;
	double bw = width > 0 ? width : 0.5;
	unsigned nb;
	for (;;) {
		*lo = floor(mn / bw) * bw;
		nb = (unsigned)floor((mx - *lo) / bw) + 1;
		if (nb <= POP_MAX_BINS)
			break;
		bw *= 2;
	}
	*w = bw;
	*nbins = nb;
	memset(count, 0, POP_MAX_BINS * sizeof(*count));
	for (unsigned k = 0; k < n; k++) {
		long b = (long)floor((pop_acc_pct(&v[k]) - *lo) / bw);
		if (b < 0)
			b = 0;
		if (b >= (long)nb)
			b = (long)nb - 1;
		count[b]++;
	}
}

static void add_num(cJSON *o, const char *k, double v)
{
	if (isnan(v))
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddNumberToObject(o, k, v);
}

static void dist_json(cJSON *o, const stats_summary_t *a)
{
	add_num(o, "mean", a->mean);
	add_num(o, "sd", a->n > 1 ? a->sd : (double)NAN);
	add_num(o, "ci95", a->ci95);
	add_num(o, "min", a->min);
	add_num(o, "max", a->max);
}

void pop_summary_json(cJSON *o, const pop_summary_t *s, int cil, int naive)
{
	cJSON_AddNumberToObject(o, "chips", s->n);
	cJSON *acc = cJSON_AddObjectToObject(o, "accuracy_pct");
	dist_json(acc, &s->acc);
	cJSON *pc = cJSON_AddObjectToObject(acc, "percentiles");
	for (int i = 0; i < 7; i++) {
		char k[16];
		snprintf(k, sizeof(k), "p%g", pop_percentiles[i]);
		add_num(pc, k, s->p[i]);
	}
	if (cil)
		dist_json(cJSON_AddObjectToObject(o, "accuracy_calibrated_pct"),
			  &s->acc_cal);
	if (naive)
		dist_json(cJSON_AddObjectToObject(o, "accuracy_naive_pct"),
			  &s->acc_naive);
	if (s->has_spec) {
		cJSON *y = cJSON_AddObjectToObject(o, "yield");
		cJSON_AddNumberToObject(y, "spec_pct", s->spec_pct);
		cJSON_AddNumberToObject(y, "passing", s->pass);
		cJSON_AddNumberToObject(y, "of", s->n);
		cJSON_AddNumberToObject(y, "fraction", s->yield);
		add_num(y, "ci95_low", s->yield_lo);
		add_num(y, "ci95_high", s->yield_hi);
		cJSON_AddStringToObject(y, "ci_method",
					"Clopper-Pearson (exact binomial)");
	} else {
		cJSON_AddNullToObject(o, "yield");
	}
	cJSON *e = cJSON_AddObjectToObject(o, "energy");
	cJSON_AddNumberToObject(e, "system_pj_per_classification", s->e_sys_pj);
	cJSON_AddNumberToObject(e, "chip_pj_per_classification", s->e_chip_pj);
	if (naive)
		cJSON_AddNumberToObject(e, "naive_system_pj_per_classification",
					s->e_naive_pj);
}
