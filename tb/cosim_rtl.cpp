/*
 * cosim_rtl.cpp - the lock-step pair of cosim.h: a Verilated comp_ctrl and
 * the golden model, compared every cycle, traced on request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>

#include "Vcomp_ctrl.h"
#include "Vcomp_ctrl___024root.h"
#include "verilated.h"
#include "verilated_vcd_c.h"

#include "cosim.h"
#include "cosim_vcd.h"

static const unsigned NCOL = COSIM_NCOL, NROW = COSIM_NROW;
static const uint64_t HALF_PS = COSIM_HALF_PS;

static unsigned clog2(unsigned x)
{
	unsigned w = 0;

	while ((1u << w) < x)
		w++;
	return w;
}

static const unsigned CW = clog2(NROW + 1);	       /* count width */
static const unsigned SW = NCOL > 1 ? clog2(NCOL) : 1; /* cnt_sel width */
static const unsigned RW = clog2(NROW);		       /* row_addr width */

/* Bit access for any Verilator signal type (scalar or VlWide). */
template <class T> static bool getb(const T &v, unsigned i)
{
	return (v >> i) & 1;
}
template <std::size_t N> static bool getb(const VlWide<N> &v, unsigned i)
{
	return (v[i / 32] >> (i % 32)) & 1;
}
template <class T> static uint64_t field(const T &v, unsigned lo, unsigned w)
{
	return ((uint64_t)v >> lo) & ((w >= 64 ? 0 : (uint64_t)1 << w) - 1);
}
template <std::size_t N>
static uint64_t field(const VlWide<N> &v, unsigned lo, unsigned w)
{
	unsigned i = lo / 32, sh = lo % 32;
	uint64_t x = v[i] >> sh;

	if (i + 1 < N)
		x |= (uint64_t)v[i + 1] << (32 - sh);
	return x & (((uint64_t)1 << w) - 1); /* w <= 32 here */
}

/* Whole vectors to / from 64-bit words (LSB first), n bits. */
template <class T> static void setv(T &v, const uint64_t *w, unsigned n)
{
	v = (T)(w[0] & (n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1));
}
template <std::size_t N>
static void setv(VlWide<N> &v, const uint64_t *w, unsigned n)
{
	for (unsigned i = 0; i < N; i++)
		v[i] = (uint32_t)(w[i / 2] >> (32 * (i % 2)));
	if (n % 32)
		v[N - 1] &= (1u << (n % 32)) - 1;
}
template <class T> static bool eqv(const T &v, const uint64_t *w, unsigned n)
{
	return (uint64_t)v ==
	       (w[0] & (n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1));
}
template <std::size_t N>
static bool eqv(const VlWide<N> &v, const uint64_t *w, unsigned n)
{
	for (unsigned i = 0; i < N; i++) {
		uint32_t g = (uint32_t)(w[i / 2] >> (32 * (i % 2)));

		if (i == N - 1 && n % 32)
			g &= (1u << (n % 32)) - 1;
		if (v[i] != g)
			return false;
	}
	return true;
}

static bool wbit(const uint64_t *w, unsigned i)
{
	return (w[i / 64] >> (i % 64)) & 1;
}

/* Hex of a vector given a bit getter, for mismatch reports. */
template <class F> static std::string hexv(F get, unsigned width)
{
	std::string s = "0x";

	for (int d = (int)((width + 3) / 4) - 1; d >= 0; d--) {
		unsigned x = 0;

		for (unsigned b = 0; b < 4; b++)
			if (d * 4 + b < width && get(d * 4 + b))
				x |= 1u << b;
		s += "0123456789abcdef"[x];
	}
	return s;
}

enum {
	V_CLK,
	V_RST,
	V_START,
	V_VALID,
	V_DEC,
	V_SEL,
	V_REQ,
	V_WE,
	V_ADDR,
	V_DATA,
	V_BUSY,
	V_DONE,
	V_CNT,
	V_OPWE,
	V_OPCODE,
	V_PRE,
	V_STATE,
	V_DIRTY,
	V_STEP,
	V_OP
};

struct cosim {
	VerilatedContext *ctx;
	Vcomp_ctrl *top;
	VerilatedVcdC *tfp; /* RTL trace, or NULL */
	cvcd_t *gv;	    /* golden-model trace, or NULL */
	int gv_ids[V_OP + 1];
	int *gv_cols;
	calib_t gold;
	int nmis; /* differences reported so far */
};
typedef struct cosim run_t; /* the name the helpers below use */

/* Golden-model VCD laid out as Verilator names the RTL's signals. */
static int gold_trace_open(run_t *r, const char *path)
{
	static const char *port[] = { "clk",	   "rst",     "start",
				      "cmp_valid", "cmp_dec", "cnt_sel",
				      "cmp_req",   "row_we",  "row_addr",
				      "row_data",  "busy",    "done",
				      "cnt_out",   "op_we",   "op_code",
				      "cmp_pre" };
	const unsigned width[] = {
		1, 1, 1,  1, NCOL,	    SW,		  1, 1, RW, NCOL,
		1, 1, CW, 1, CALIB_OP_BITS, CALIB_OP_BITS
	};
	char name[32];

	r->gv = cvcd_open(path, "1ps");
	if (r->gv == NULL)
		return -1;
	r->gv_cols = (int *)calloc(NCOL, sizeof(int));
	if (r->gv_cols == NULL)
		return -1;
	cvcd_scope(r->gv, "TOP");
	for (unsigned i = 0; i <= V_PRE; i++)
		r->gv_ids[i] = cvcd_var(r->gv, port[i], width[i]);
	cvcd_scope(r->gv, "comp_ctrl");
	for (unsigned i = 0; i <= V_PRE; i++)
		cvcd_alias(r->gv, r->gv_ids[i], port[i]);
	r->gv_ids[V_STATE] = cvcd_var(r->gv, "state_q", 3);
	r->gv_ids[V_DIRTY] = cvcd_var(r->gv, "dirty_q", NROW);
	r->gv_ids[V_STEP] = cvcd_var(r->gv, "step_q", CW);
	r->gv_ids[V_OP] = cvcd_var(r->gv, "op_q", CALIB_OP_BITS);
	for (unsigned c = 0; c < NCOL; c++) {
		snprintf(name, sizeof name, "col[%u]", c);
		cvcd_scope(r->gv, name);
		r->gv_cols[c] = cvcd_var(r->gv, "n_q", CW);
		cvcd_upscope(r->gv);
	}
	cvcd_upscope(r->gv);
	cvcd_upscope(r->gv);
	cvcd_enddefs(r->gv);
	return 0;
}

static void gold_trace(run_t *r, const calib_in_t *in, bool clk, uint64_t t)
{
	calib_out_t o;
	cvcd_t *v = r->gv;

	calib_outputs(&r->gold, in, &o);
	cvcd_set_u(v, r->gv_ids[V_CLK], clk);
	cvcd_set_u(v, r->gv_ids[V_RST], in->rst);
	cvcd_set_u(v, r->gv_ids[V_START], in->start);
	cvcd_set_u(v, r->gv_ids[V_VALID], in->cmp_valid);
	cvcd_set(v, r->gv_ids[V_DEC], in->cmp_dec);
	cvcd_set_u(v, r->gv_ids[V_SEL], in->cnt_sel);
	cvcd_set_u(v, r->gv_ids[V_REQ], o.cmp_req);
	cvcd_set_u(v, r->gv_ids[V_WE], o.row_we);
	cvcd_set_u(v, r->gv_ids[V_ADDR], o.row_addr);
	cvcd_set(v, r->gv_ids[V_DATA], o.row_data);
	cvcd_set_u(v, r->gv_ids[V_BUSY], o.busy);
	cvcd_set_u(v, r->gv_ids[V_DONE], o.done);
	cvcd_set_u(v, r->gv_ids[V_CNT], o.cnt_out);
	cvcd_set_u(v, r->gv_ids[V_OPWE], in->op_we);
	cvcd_set_u(v, r->gv_ids[V_OPCODE], in->op_code);
	cvcd_set_u(v, r->gv_ids[V_PRE], o.cmp_pre);
	cvcd_set_u(v, r->gv_ids[V_OP], r->gold.op);
	cvcd_set_u(v, r->gv_ids[V_STATE], (uint64_t)calib_state(&r->gold));
	cvcd_set_u(v, r->gv_ids[V_DIRTY], r->gold.dirty);
	cvcd_set_u(v, r->gv_ids[V_STEP], r->gold.step);
	for (unsigned c = 0; c < NCOL; c++)
		cvcd_set_u(v, r->gv_cols[c], calib_count(&r->gold, c));
	cvcd_dump(v, t);
}

static void drive(Vcomp_ctrl *top, const calib_in_t *in)
{
	top->rst = in->rst;
	top->start = in->start;
	top->cmp_valid = in->cmp_valid;
	top->cnt_sel = in->cnt_sel;
	top->op_we = in->op_we;
	top->op_code = in->op_code;
	setv(top->cmp_dec, in->cmp_dec, NCOL);
}

/* Report one differing signal (the first 8 of a run are printed). */
static void mismatch(run_t *r, unsigned long k, const char *sig,
		     const std::string &rtl, const std::string &gold)
{
	if (r->nmis++ < 8)
		printf("cosim: MISMATCH cycle %lu (t=%llu ps) %s: rtl=%s gold=%s\n",
		       k, (unsigned long long)(2 * k * HALF_PS), sig,
		       rtl.c_str(), gold.c_str());
}

#define CMP_SCALAR(name, rv, gv)                                   \
	do {                                                       \
		uint64_t a_ = (uint64_t)(rv), b_ = (uint64_t)(gv); \
		if (a_ != b_)                                      \
			mismatch(r, k, name, std::to_string(a_),   \
				 std::to_string(b_));              \
	} while (0)

/* Compare every output and register; returns the number of differences. */
static int compare(run_t *r, unsigned long k, const calib_in_t *in)
{
	const Vcomp_ctrl *t = r->top;
	const auto *root = t->rootp;
	calib_out_t o;
	char name[48];
	int before = r->nmis;

	calib_outputs(&r->gold, in, &o);
	CMP_SCALAR("busy", t->busy, o.busy);
	CMP_SCALAR("done", t->done, o.done);
	CMP_SCALAR("cmp_req", t->cmp_req, o.cmp_req);
	CMP_SCALAR("row_we", t->row_we, o.row_we);
	CMP_SCALAR("row_addr", t->row_addr, o.row_addr);
	CMP_SCALAR("cnt_out", t->cnt_out, o.cnt_out);
	CMP_SCALAR("cmp_pre", t->cmp_pre, o.cmp_pre);
	CMP_SCALAR("op_q", root->comp_ctrl__DOT__op_q, r->gold.op);
	CMP_SCALAR("state_q", root->comp_ctrl__DOT__state_q,
		   calib_state(&r->gold));
	CMP_SCALAR("dirty_q", field(root->comp_ctrl__DOT__dirty_q, 0, NROW),
		   r->gold.dirty);
	CMP_SCALAR("step_q", root->comp_ctrl__DOT__step_q, r->gold.step);
	if (!eqv(t->row_data, o.row_data, NCOL))
		mismatch(r, k, "row_data",
			 hexv([&](unsigned i) { return getb(t->row_data, i); },
			      NCOL),
			 hexv([&](unsigned i) { return wbit(o.row_data, i); },
			      NCOL));
	for (unsigned c = 0; c < NCOL; c++) {
		uint64_t n = root->comp_ctrl__DOT__n_arr[c];

		if (n == calib_count(&r->gold, c))
			continue;
		snprintf(name, sizeof name, "col[%u].n_q", c);
		CMP_SCALAR(name, n, calib_count(&r->gold, c));
	}
	return r->nmis - before;
}

/* A vector into 64-bit words (LSB first), n bits. */
template <class T> static void getv(const T &v, uint64_t *w, unsigned n)
{
	(void)n;
	w[0] = (uint64_t)v;
}
template <std::size_t N>
static void getv(const VlWide<N> &v, uint64_t *w, unsigned n)
{
	memset(w, 0, (n + 63) / 64 * sizeof(uint64_t));
	for (unsigned i = 0; i < N; i++)
		w[i / 2] |= (uint64_t)v[i] << (32 * (i % 2));
}

cosim_t *cosim_new(const char *trace)
{
	calib_params_t p = { NCOL, NROW };
	cosim_t *s = (cosim_t *)calloc(1, sizeof *s);
	std::string path;

	if (s == NULL || calib_init(&s->gold, &p) != 0) {
		fprintf(stderr, "cosim: bad shape NCOL=%u NROW=%u\n", NCOL,
			NROW);
		free(s);
		return NULL;
	}
	s->ctx = new VerilatedContext;
	s->ctx->traceEverOn(trace != NULL);
	s->top = new Vcomp_ctrl(s->ctx);
	if (trace == NULL)
		return s;
	s->tfp = new VerilatedVcdC;
	s->top->trace(s->tfp, 99);
	path = std::string(trace) + "_rtl.vcd";
	s->tfp->open(path.c_str());
	path = std::string(trace) + "_gold.vcd";
	if (!s->tfp->isOpen() || gold_trace_open(s, path.c_str()) != 0) {
		fprintf(stderr, "cosim: cannot write %s_rtl.vcd / _gold.vcd\n",
			trace);
		cosim_free(s);
		return NULL;
	}
	/* one save file for both dumps, beside them (cosim_vcd.h) */
	cvcd_save_file(s->gv, (std::string(trace) + ".gtkw").c_str(),
		       (std::string(trace) + "_rtl.vcd").c_str());
	return s;
}

int cosim_free(cosim_t *s)
{
	int rc = 0;

	if (s == NULL)
		return 0;
	if (s->tfp != NULL) {
		s->tfp->close();
		delete s->tfp;
	}
	if (s->gv != NULL && cvcd_close(s->gv) != 0) {
		fprintf(stderr, "cosim: write error on the golden-model VCD\n");
		rc = -1;
	}
	free(s->gv_cols);
	s->top->final();
	delete s->top;
	delete s->ctx;
	free(s);
	return rc;
}

int cosim_eval(cosim_t *s, unsigned long k, const calib_in_t *in, bool check)
{
	int n = 0;

	s->top->clk = 0;
	drive(s->top, in);
	s->top->eval();
	if (check)
		n = compare(s, k, in);
	if (s->tfp != NULL) {
		s->tfp->dump(2 * k * HALF_PS);
		gold_trace(s, in, false, 2 * k * HALF_PS);
	}
	return n;
}

void cosim_edge(cosim_t *s, unsigned long k, const calib_in_t *in)
{
	s->top->clk = 1;
	s->top->eval();
	calib_clock(&s->gold, in);
	if (s->tfp != NULL) {
		s->tfp->dump((2 * k + 1) * HALF_PS);
		gold_trace(s, in, true, (2 * k + 1) * HALF_PS);
	}
}

void cosim_rtl_outputs(const cosim_t *s, calib_out_t *o)
{
	const Vcomp_ctrl *t = s->top;

	memset(o, 0, sizeof *o);
	o->busy = t->busy;
	o->done = t->done;
	o->cmp_req = t->cmp_req;
	o->row_we = t->row_we;
	o->row_addr = t->row_addr;
	getv(t->row_data, o->row_data, NCOL);
	o->cnt_out = t->cnt_out;
	o->cmp_pre = t->cmp_pre;
}

unsigned cosim_rtl_count(const cosim_t *s, unsigned col)
{
	return col < NCOL ? s->top->rootp->comp_ctrl__DOT__n_arr[col] : 0;
}

const calib_t *cosim_gold(const cosim_t *s)
{
	return &s->gold;
}
