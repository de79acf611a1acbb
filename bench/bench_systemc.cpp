/*
 * bench_systemc.cpp - the benchmark scenarios written for SystemC 2.3, the
 * peer that bench_kernel.c is measured against.
 *
 * Contract: same command line, output line and checksum as bench_kernel.c
 * (see bench_common.h). Each scenario is written the idiomatic SystemC way
 * (modules, ports, SC_METHODs, sc_signal<uint32_t>, sc_clock), and the
 * timed region is the sc_start() call only (plus closing the VCD file in
 * pipeline_vcd, so buffered trace output is paid for), as in bench_kernel.c.
 */
#include <systemc.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>
#include <sys/stat.h>
#include <unistd.h>

#include "bench_common.h"

namespace
{

/* The result line up to the checksum; the caller ends the line. */
void report(const char *scen, const bench_timer_t &tm, uint64_t h)
{
	printf("result scenario=%s elapsed_s=%.6f cpu_s=%.6f user_s=%.6f "
	       "sys_s=%.6f checksum=%016llx",
	       scen, tm.wall_s, tm.cpu_s, tm.user_s, tm.sys_s,
	       (unsigned long long)h);
}

/* ---- pipeline: a ring of clocked registers ---------------------------- */

SC_MODULE(bench_reg)
{
	sc_in<bool> clk;
	sc_in<uint32_t> d;
	sc_out<uint32_t> q;

	SC_CTOR(bench_reg)
	{
		SC_METHOD(step);
		sensitive << clk.pos();
		dont_initialize();
	}

	void step()
	{
		q.write(d.read() + 1u);
	}
};

struct pipe_model {
	sc_clock clk;
	std::vector<sc_signal<uint32_t> *> sig;
	std::vector<bench_reg *> reg;

	explicit pipe_model(unsigned n)
	    : clk("clk", sc_time(BENCH_PIPE_PERIOD_NS, SC_NS), 0.5,
		  SC_ZERO_TIME, true)
	{
		char name[32];

		for (unsigned i = 0; i < n; i++) {
			snprintf(name, sizeof name, "q%u", i);
			/* Initial value, not a write: no update at t=0. */
			sig.push_back(new sc_signal<uint32_t>(
				name, bench_pipe_init(i)));
		}
		for (unsigned i = 0; i < n; i++) {
			snprintf(name, sizeof name, "reg%u", i);
			reg.push_back(new bench_reg(name));
			reg[i]->clk(clk);
			reg[i]->d(*sig[(i + n - 1) % n]);
			reg[i]->q(*sig[i]);
		}
	}
};

/* Builds the ring, runs `cycles` posedges, checks and hashes the result.
 * vcd_base non-NULL: trace every register signal to vcd_base + ".vcd". */
int run_pipeline(const char *scen, unsigned cycles, const char *vcd_base,
		 unsigned n)
{
	pipe_model m(n);
	sc_trace_file *tf = NULL;
	/* Posedges at 0, P, ..., (cycles-1)P; stop half a period after the
	 * last so exactly `cycles` posedges are simulated. */
	sc_time dur((double)cycles * BENCH_PIPE_PERIOD_NS -
			    BENCH_PIPE_PERIOD_NS / 2.0,
		    SC_NS);

	if (vcd_base) {
		char name[32];

		tf = sc_create_vcd_trace_file(vcd_base);
		if (!tf) {
			fprintf(stderr, "bench_systemc: cannot open %s.vcd\n",
				vcd_base);
			return 1;
		}
		tf->set_time_unit(1, SC_PS);
		for (unsigned i = 0; i < n; i++) {
			snprintf(name, sizeof name, "top.q%u", i);
			sc_trace(tf, *m.sig[i], name);
		}
	}

	bench_timer_t tm;
	bench_timer_start(&tm);
	sc_start(dur);
	if (tf)
		sc_close_vcd_trace_file(tf);
	bench_timer_stop(&tm);

	uint64_t h = bench_mix(0, cycles);
	for (unsigned i = 0; i < n; i++) {
		uint32_t v = m.sig[i]->read();

		if (v != bench_pipe_expect(i, n, cycles)) {
			fprintf(stderr,
				"bench_systemc: %s: reg %u = %u, expected %u\n",
				scen, i, v, bench_pipe_expect(i, n, cycles));
			return 1;
		}
		h = bench_mix(h, v);
	}
	report(scen, tm, h);
	if (vcd_base) {
		std::string path = std::string(vcd_base) + ".vcd";
		struct stat st;

		if (stat(path.c_str(), &st) != 0) {
			fprintf(stderr, "bench_systemc: %s: %s\n", path.c_str(),
				strerror(errno));
			return 1;
		}
		printf(" vcd_bytes=%lld", (long long)st.st_size);
		unlink(path.c_str());
	}
	printf("\n");
	return 0;
}

/* ---- delta_pingpong: two processes, each sensitive to the other ------ */

SC_MODULE(bench_ping)
{
	sc_signal<uint32_t> a, b;
	uint32_t limit;
	uint64_t activations;

	SC_CTOR(bench_ping) : a("a"), b("b"), limit(0), activations(0)
	{
		SC_METHOD(ping); /* runs at initialization: the first serve */
		sensitive << b;
		SC_METHOD(pong);
		sensitive << a;
		dont_initialize();
	}

	void ping()
	{
		uint32_t v = b.read();

		activations++;
		if (v < limit)
			a.write(v + 1u);
	}

	void pong()
	{
		uint32_t v = a.read();

		activations++;
		if (v < limit)
			b.write(v + 1u);
	}
};

int run_pingpong(const char *scen, unsigned deltas)
{
	bench_ping m("ping");

	m.limit = deltas;
	bench_timer_t tm;
	bench_timer_start(&tm);
	sc_start();
	bench_timer_stop(&tm);

	uint64_t h = bench_mix(0, m.a.read());
	h = bench_mix(h, m.b.read());
	h = bench_mix(h, m.activations);
	if (m.activations != (uint64_t)deltas + 1u) {
		fprintf(stderr, "bench_systemc: %s: %llu activations\n", scen,
			(unsigned long long)m.activations);
		return 1;
	}
	report(scen, tm, h);
	printf("\n");
	return 0;
}

/* ---- timed_events: self re-notifying events with random delays ------ */

SC_MODULE(bench_tick)
{
	sc_event ev;
	uint64_t rng;
	unsigned count, limit;
	uint64_t delay_sum, last_ps;

	SC_CTOR(bench_tick)
	    : rng(1), count(0), limit(0), delay_sum(0), last_ps(0)
	{
		SC_METHOD(tick); /* the initialization run notifies first */
		sensitive << ev;
	}

	void tick()
	{
		last_ps = sc_time_stamp().value();
		if (count < limit) {
			uint64_t d = bench_delay_ns(&rng);

			count++;
			delay_sum += d;
			ev.notify(sc_time::from_value(d * 1000u));
		}
	}
};

int run_timed(const char *scen, unsigned per_event)
{
	const unsigned n = BENCH_TIMED_EVENTS;
	std::vector<bench_tick *> t;
	char name[32];

	if (sc_get_time_resolution() != sc_time(1, SC_PS)) {
		fprintf(stderr, "bench_systemc: time resolution is not 1 ps\n");
		return 1;
	}
	for (unsigned i = 0; i < n; i++) {
		snprintf(name, sizeof name, "tick%u", i);
		t.push_back(new bench_tick(name));
		t[i]->rng = bench_seed(i);
		t[i]->limit = per_event;
	}
	bench_timer_t tm;
	bench_timer_start(&tm);
	sc_start();
	bench_timer_stop(&tm);

	uint64_t h = 0;
	for (unsigned i = 0; i < n; i++) {
		if (t[i]->count != per_event ||
		    t[i]->last_ps != t[i]->delay_sum * 1000u) {
			fprintf(stderr, "bench_systemc: %s: event %u wrong\n",
				scen, i);
			return 1;
		}
		h = bench_mix(h, t[i]->last_ps);
	}
	report(scen, tm, h);
	printf("\n");
	return 0;
}

/* ---- thread_wait: SC_THREADs doing the same waits ---------------------- */

SC_MODULE(bench_waiter)
{
	uint64_t rng;
	unsigned limit;
	uint64_t delay_sum, last_ps;

	SC_CTOR(bench_waiter) : rng(1), limit(0), delay_sum(0), last_ps(0)
	{
		SC_THREAD(run);
	}

	void run()
	{
		for (unsigned k = 0; k < limit; k++) {
			uint64_t d = bench_delay_ns(&rng);

			delay_sum += d;
			wait(sc_time::from_value(d * 1000u));
		}
		last_ps = sc_time_stamp().value();
	}
};

SC_MODULE(bench_pair)
{
	sc_event ping, pong;
	unsigned limit, count;

	SC_CTOR(bench_pair) : limit(0), count(0)
	{
		SC_THREAD(pinger);
		SC_THREAD(ponger);
	}

	void pinger()
	{
		while (count < limit) {
			ping.notify(SC_ZERO_TIME);
			wait(pong);
			count++;
		}
	}

	void ponger()
	{
		for (;;) {
			wait(ping);
			pong.notify(SC_ZERO_TIME);
		}
	}
};

int run_threads(const char *scen, unsigned waits)
{
	const unsigned n = BENCH_THREADS;
	std::vector<bench_waiter *> w;
	char name[32];

	if (sc_get_time_resolution() != sc_time(1, SC_PS)) {
		fprintf(stderr, "bench_systemc: time resolution is not 1 ps\n");
		return 1;
	}
	for (unsigned i = 0; i < n; i++) {
		snprintf(name, sizeof name, "waiter%u", i);
		w.push_back(new bench_waiter(name));
		w[i]->rng = bench_seed(i);
		w[i]->limit = waits;
	}
	bench_pair *pair = new bench_pair("pair");
	pair->limit = waits * (BENCH_THREAD_PINGS / BENCH_THREAD_WAITS);
	bench_timer_t tm;
	bench_timer_start(&tm);
	sc_start();
	bench_timer_stop(&tm);

	uint64_t h = bench_mix(0, pair->count);
	for (unsigned i = 0; i < n; i++) {
		if (w[i]->last_ps != w[i]->delay_sum * 1000u) {
			fprintf(stderr, "bench_systemc: %s: thread %u wrong\n",
				scen, i);
			return 1;
		}
		h = bench_mix(h, w[i]->last_ps);
	}
	if (pair->count != pair->limit) {
		fprintf(stderr, "bench_systemc: %s: %u pings\n", scen,
			pair->count);
		return 1;
	}
	report(scen, tm, h);
	printf("\n");
	return 0;
}

/* A VCD base name under $TMPDIR (or /tmp), unique to this process. */
std::string vcd_base_name()
{
	const char *dir = getenv("TMPDIR");
	char buf[64];

	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(buf, sizeof buf, "/imcsim-bench-systemc-%ld", (long)getpid());
	return std::string(dir) + buf;
}

} // namespace

int sc_main(int argc, char *argv[])
{
	if (argc < 2 || argc > 4) {
		fprintf(stderr,
			"usage: %s pipeline|delta_pingpong|timed_events|"
			"pipeline_vcd|thread_wait [size [regs]]\n",
			argv[0]);
		return 2;
	}
	const char *scen = argv[1];
	unsigned long size = 0, regs = BENCH_PIPE_REGS;
	if (argc == 4) {
		char *end;

		regs = strtoul(argv[3], &end, 10);
		if (*end || regs < 2 || regs > 1000000) {
			fprintf(stderr, "bench_systemc: bad regs '%s'\n",
				argv[3]);
			return 2;
		}
	}
	if (argc >= 3) {
		char *end;

		size = strtoul(argv[2], &end, 10);
		if (*end || size == 0 || size > 0xffffffffu) {
			fprintf(stderr, "bench_systemc: bad size '%s'\n",
				argv[2]);
			return 2;
		}
	}
	/* Keep stdout to the result line: no deprecation or info notes. */
	sc_report_handler::set_actions("/IEEE_Std_1666/deprecated",
				       SC_DO_NOTHING);
	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);

	if (!strcmp(scen, "pipeline"))
		return run_pipeline(scen, size ? size : BENCH_PIPE_CYCLES, NULL,
				    (unsigned)regs);
	if (!strcmp(scen, "pipeline_vcd")) {
		std::string base = vcd_base_name();

		return run_pipeline(scen, size ? size : BENCH_PIPE_CYCLES,
				    base.c_str(), (unsigned)regs);
	}
	if (!strcmp(scen, "delta_pingpong"))
		return run_pingpong(scen, size ? size : BENCH_PING_DELTAS);
	if (!strcmp(scen, "timed_events"))
		return run_timed(scen, size ? size : BENCH_TIMED_PER_EVENT);
	if (!strcmp(scen, "thread_wait"))
		return run_threads(scen, size ? size : BENCH_THREAD_WAITS);
	fprintf(stderr, "bench_systemc: unknown scenario '%s'\n", scen);
	return 2;
}
