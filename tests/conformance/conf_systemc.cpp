// conf_systemc.cpp - the conformance scenarios on SystemC 2.3.4; the same
// scenarios on imcsim's kernel are in conf_imcsim.c, scenario by scenario
// in the same order and under the same names. Each prints a trace of
// "t=<ps> d=<sc_delta_count> <who> <values>" lines; run.sh compares the
// two traces per (time, delta) as multisets (order inside one delta is
// implementation-defined in SystemC).
//
//   conf_systemc SCENARIO
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <string>

using namespace sc_core;

namespace
{

void tr(const char *who, const char *fmt, ...)
{
	std::printf("t=%llu d=%llu %s",
		    (unsigned long long)sc_time_stamp().value(),
		    (unsigned long long)sc_delta_count(), who);
	if (fmt && *fmt) {
		std::va_list ap;
		va_start(ap, fmt);
		std::putchar(' ');
		std::vprintf(fmt, ap);
		va_end(ap);
	}
	std::putchar('\n');
}

sc_time ps(double v)
{
	return sc_time(v, SC_PS);
}

// A method process made by sc_spawn, sensitive to the given events.
void meth(const char *name, std::function<void()> f,
	  std::initializer_list<const sc_event *> sens, bool init = false)
{
	sc_spawn_options o;
	o.spawn_method();
	if (!init)
		o.dont_initialize();
	for (const sc_event *e : sens)
		o.set_sensitivity(e);
	sc_spawn(f, name, &o);
}

typedef sc_signal<unsigned> usig;
typedef sc_signal<bool> bsig;

void end()
{
	tr("end", "");
}

// ---- the scenarios --------------------------------------------------------

void write_visible_next_delta()
{
	static usig s("s");
	meth(
		"p",
		[] {
			s.write(5);
			tr("p", "read=%u", s.read());
		},
		{}, true);
	meth("q", [] { tr("q", "s=%u", s.read()); },
	     { &s.value_changed_event() });
	sc_start();
	end();
}

void comb_chain()
{
	static bsig s[6];
	for (int i = 0; i < 5; i++) {
		s[i + 1].write(i % 2 == 0);
		std::string n = "inv" + std::to_string(i);
		meth(n.c_str(),
		     [i] {
			     s[i + 1].write(!s[i].read());
			     tr("inv", "%d in=%d", i, (int)s[i].read());
		     },
		     { &s[i].value_changed_event() });
	}
	s[0].write(true); // before the start: the initialization phase
	sc_start();
	for (int i = 0; i < 6; i++)
		tr("final", "%d=%d", i, (int)s[i].read());
	end();
}

void init_phase_write()
{
	static usig s("s");
	meth(
		"reader", [] { tr("reader", "s=%u", s.read()); },
		{ &s.value_changed_event() }, true);
	s.write(42);
	sc_start();
	end();
}

void init_delta_notify()
{
	static sc_event e("e");
	meth("woken", [] { tr("woken", ""); }, { &e });
	e.notify(SC_ZERO_TIME);
	sc_start();
	end();
}

void dont_initialize()
{
	static sc_event e("e");
	meth(
		"init", [] { tr("init", ""); }, { &e }, true);
	meth("noinit", [] { tr("noinit", ""); }, { &e });
	sc_start();
	e.notify(ps(5));
	sc_start();
	end();
}

void immediate_same_delta()
{
	static sc_event e("e");
	meth(
		"notifier",
		[] {
			tr("notifier", "");
			e.notify();
		},
		{}, true);
	meth("waiter", [] { tr("waiter", ""); }, { &e });
	sc_start();
	end();
}

void immediate_self_ignored()
{
	static sc_event e("e");
	static int n;
	meth(
		"self",
		[] {
			tr("self", "n=%d", ++n);
			e.notify();
		},
		{ &e }, true);
	sc_start();
	end();
}

void immediate_pingpong()
{
	static sc_event e[2];
	static int n;
	for (int i = 0; i < 2; i++)
		meth(
			i ? "b" : "a",
			[i] {
				tr(i ? "b" : "a", "n=%d", n);
				if (++n < 60)
					e[!i].notify();
			},
			{ &e[i] }, i == 0);
	sc_start();
	end();
}

// 16 methods in a ring of immediate notifications started by a clock edge:
// two laps per edge, so each runs twice in one evaluate phase.
void clocked_immediate_ring()
{
	static sc_clock clk("clk", ps(10), 0.5, ps(5), true);
	static sc_event e[16];
	static int runs[16], hops;
	for (int i = 0; i < 16; i++) {
		std::string n = "m" + std::to_string(i);
		meth(
			n.c_str(),
			[i] {
				runs[i]++;
				if (++hops % 32 != 0)
					e[(i + 1) % 16].notify();
			},
			i ? std::initializer_list<const sc_event *>{ &e[i] }
			  : std::initializer_list<const sc_event *>{
				    &e[0], &clk.posedge_event() });
	}
	sc_start(ps(29));
	for (int i = 0; i < 16; i++)
		tr("runs", "%d=%d", i, runs[i]);
	end();
}

void delta_notify_chain()
{
	static sc_event e("e");
	static int n;
	meth(
		"chain",
		[] {
			tr("chain", "n=%d", n);
			if (++n < 5)
				e.notify(SC_ZERO_TIME);
		},
		{ &e }, true);
	sc_start();
	end();
}

void timed_override()
{
	static sc_event e("e");
	meth("w", [] { tr("w", ""); }, { &e });
	e.notify(ps(50));
	e.notify(ps(30)); // earlier: replaces
	e.notify(ps(70)); // later: ignored
	sc_start();
	end();
}

void delta_beats_timed()
{
	static sc_event e("e");
	meth("w", [] { tr("w", ""); }, { &e });
	meth(
		"n",
		[] {
			e.notify(ps(100));
			e.notify(SC_ZERO_TIME);
		},
		{}, true);
	sc_start();
	end();
}

void immediate_cancels_pending()
{
	static sc_event e("e");
	meth("w", [] { tr("w", ""); }, { &e });
	meth(
		"n",
		[] {
			e.notify(ps(10));
			e.notify();
		},
		{}, true);
	sc_start();
	end();
}

void cancel_timed()
{
	static sc_event e("e"), f("f");
	meth("w", [] { tr("w", "e"); }, { &e });
	meth("v", [] { tr("v", "f"); }, { &f });
	e.notify(ps(10));
	f.notify(ps(20));
	e.cancel();
	sc_start();
	end();
}

void cancel_delta_keeps_rest()
{
	static sc_event e[5];
	for (int i = 0; i < 5; i++) {
		std::string n = "w" + std::to_string(i);
		meth(n.c_str(), [i] { tr("w", "%d", i); }, { &e[i] });
	}
	meth(
		"n",
		[] {
			for (int i = 0; i < 5; i++)
				e[i].notify(SC_ZERO_TIME);
			e[1].cancel();
			e[3].cancel();
		},
		{}, true);
	sc_start();
	end();
}

void same_time_events()
{
	static sc_event e[4];
	for (int i = 0; i < 4; i++) {
		std::string n = "w" + std::to_string(i);
		meth(n.c_str(), [i] { tr("w", "%d", i); }, { &e[i] });
	}
	e[2].notify(ps(100));
	e[0].notify(ps(100));
	e[3].notify(ps(100));
	e[1].notify(ps(100));
	sc_start();
	end();
}

void next_trigger_time()
{
	static sc_event stat("stat");
	static int n;
	meth(
		"p",
		[] {
			tr("p", "n=%d", n);
			if (n++ == 0)
				next_trigger(ps(25));
		},
		{ &stat }, true);
	stat.notify(ps(10));
	sc_start(ps(30));
	stat.notify(ps(5));
	sc_start(ps(10));
	end();
}

void next_trigger_event()
{
	static sc_event stat("stat"), dyn("dyn");
	static int n;
	meth(
		"p",
		[] {
			tr("p", "n=%d", n);
			if (n++ == 0)
				next_trigger(dyn);
		},
		{ &stat }, true);
	stat.notify(ps(10));
	dyn.notify(ps(20));
	sc_start(ps(30));
	stat.notify(ps(5));
	sc_start(ps(10));
	end();
}

void next_trigger_last_wins()
{
	static sc_event e("e");
	static int n;
	meth(
		"p",
		[] {
			tr("p", "n=%d", n);
			if (n++ == 0) {
				next_trigger(ps(5));
				next_trigger(e);
			}
		},
		{}, true);
	e.notify(ps(20));
	sc_start();
	end();
}

void next_trigger_self_notify()
{
	static sc_event stat("stat"), e("e"), kick("kick");
	static int n;
	meth(
		"p",
		[] {
			tr("p", "n=%d", n);
			if (n++ == 0) {
				next_trigger(e);
				e.notify();
			}
		},
		{ &stat }, true);
	meth("kick", [] { e.notify(); }, { &kick });
	stat.notify(ps(10));
	kick.notify(ps(20));
	sc_start();
	end();
}

void posedge_negedge()
{
	static sc_clock clk("clk", ps(20), 0.5, SC_ZERO_TIME, true);
	meth("pos", [] { tr("pos", "clk=%d", (int)clk.read()); },
	     { &clk.posedge_event() });
	meth("neg", [] { tr("neg", "clk=%d", (int)clk.read()); },
	     { &clk.negedge_event() });
	meth("any", [] { tr("any", "clk=%d", (int)clk.read()); },
	     { &clk.value_changed_event() });
	sc_start(ps(75));
	end();
}

void clock_edge_at_zero()
{
	static sc_clock clk("clk", ps(10), 0.5, SC_ZERO_TIME, true);
	static bsig x("x"), d("d"), q("q");
	meth(
		"src", [] { x.write(true); }, {}, true);
	meth("comb", [] { d.write(x.read()); }, { &x.value_changed_event() });
	meth("reg",
	     [] {
		     tr("reg", "d=%d", (int)d.read());
		     q.write(d.read());
	     },
	     { &clk.posedge_event() });
	sc_start(ps(25));
	tr("final", "q=%d d=%d", (int)q.read(), (int)d.read());
	end();
}

void clock_negfirst_offset()
{
	// period 7 ps, high 2 ps (duty 2/7), first edge a fall at 3 ps
	static sc_clock clk("clk", ps(7), 2.0 / 7.0, ps(3), false);
	meth("edge", [] { tr("edge", "clk=%d", (int)clk.read()); },
	     { &clk.value_changed_event() });
	tr("init", "clk=%d", (int)clk.read());
	sc_start(ps(30));
	end();
}

void clock_round_half()
{
	// 15 ps at 50%: the high time 7.5 ps rounds to 8
	static sc_clock clk("clk", ps(15), 0.5, SC_ZERO_TIME, true);
	meth("edge", [] { tr("edge", "clk=%d", (int)clk.read()); },
	     { &clk.value_changed_event() });
	sc_start(ps(50));
	end();
}

void clock_duty_30()
{
	static sc_clock clk("clk", sc_time(10, SC_NS), 0.3, sc_time(1, SC_NS),
			    true);
	meth("edge", [] { tr("edge", "clk=%d", (int)clk.read()); },
	     { &clk.value_changed_event() });
	sc_start(sc_time(35, SC_NS));
	end();
}

void sig_event_query()
{
	static bsig s("s");
	static sc_event later("later");
	meth(
		"writer", [] { s.write(true); }, {}, true);
	meth("watch", [] { tr("watch", "event=%d", (int)s.event()); },
	     { &s.value_changed_event() });
	meth("late", [] { tr("late", "event=%d", (int)s.event()); },
	     { &later });
	later.notify(ps(10));
	sc_start();
	end();
}

void real_equality()
{
	static sc_signal<double> r("r");
	static sc_event step("step");
	static int k;
	static const double seq[] = { -0.0, NAN, NAN, 1.5, 1.5, 0.0 };
	meth("watch", [] { tr("watch", "r=%.17g", r.read()); },
	     { &r.value_changed_event() });
	meth(
		"writer",
		[] {
			r.write(seq[k]);
			if (++k < 6)
				step.notify(ps(10));
		},
		{ &step }, true);
	sc_start();
	end();
}

void bitvector_128()
{
	static sc_signal<sc_dt::sc_bv<128>> v("v");
	static sc_event go("go");
	meth("watch",
	     [] {
		     sc_dt::sc_bv<128> b = v.read();
		     tr("watch", "hi=%016llx lo=%016llx",
			(unsigned long long)b.range(127, 64).to_uint64(),
			(unsigned long long)b.range(63, 0).to_uint64());
	     },
	     { &v.value_changed_event() });
	meth("writer",
	     [] {
		     sc_dt::sc_bv<128> b;
		     b[127] = 1;
		     b[3] = 1;
		     v.write(b);
	     },
	     { &go });
	go.notify(ps(4));
	sc_start();
	end();
}

void same_value_no_event()
{
	static usig s("s");
	static sc_event go("go");
	static int k;
	meth("watch", [] { tr("watch", "s=%u", s.read()); },
	     { &s.value_changed_event() });
	meth(
		"writer",
		[] {
			s.write(k < 2 ? 7 : 8);
			if (++k < 4)
				go.notify(ps(10));
		},
		{ &go }, true);
	sc_start();
	end();
}

void last_write_wins()
{
	static usig s("s");
	meth("watch", [] { tr("watch", "s=%u", s.read()); },
	     { &s.value_changed_event() });
	meth(
		"writer",
		[] {
			s.write(1);
			s.write(2);
		},
		{}, true);
	sc_start();
	end();
}

void delta_count_empty()
{
	static sc_event quiet("quiet"), e("e");
	meth("w", [] { tr("w", ""); }, { &e });
	quiet.notify(ps(5));
	e.notify(ps(10));
	sc_start(ps(20));
	end();
	e.notify(ps(10));
	sc_start(ps(20));
	end();
}

void stop_in_delta()
{
	static sc_event e("e");
	static int n;
	meth(
		"p",
		[] {
			tr("p", "n=%d", n);
			if (++n == 3)
				sc_stop();
			else
				e.notify(ps(10));
		},
		{ &e }, true);
	sc_start();
	end();
}

void spawn_in_process()
{
	static int made;
	meth(
		"parent",
		[] {
			tr("parent", "");
			if (!made++) {
				sc_spawn_options o;
				o.spawn_method();
				sc_spawn([] { tr("child", ""); }, "child", &o);
			}
		},
		{}, true);
	sc_start();
	end();
}

void spawn_many()
{
	static int spawned_runs, made;
	for (int i = 0; i < 20; i++) {
		std::string n = "static" + std::to_string(i);
		meth(
			n.c_str(),
			[i] {
				if (i != 0 || made)
					return;
				for (int k = 0; k < 50; k++) {
					std::string c =
						"kid" + std::to_string(k);
					sc_spawn_options o;
					o.spawn_method();
					sc_spawn([] { spawned_runs++; },
						 c.c_str(), &o);
					made++;
				}
			},
			{}, true);
	}
	sc_start();
	tr("spawned", "runs=%d", spawned_runs);
	end();
}

void multiple_drivers()
{
	static bsig s("shared");
	static sc_event e0("e0"), e1("e1");
	meth("drv0", [] { s.write(false); }, { &e0 });
	meth("drv1", [] { s.write(true); }, { &e1 });
	e0.notify(ps(10));
	e1.notify(ps(20));
	try {
		sc_start();
	} catch (const sc_report &) {
		tr("error", "driver s=%d", (int)s.read());
		return;
	}
	end();
}

void many_writers_ok()
{
	static sc_signal<bool, SC_MANY_WRITERS> s("shared");
	static sc_event e0("e0"), e1("e1");
	meth("drv0", [] { s.write(true); }, { &e0 });
	meth("drv1", [] { s.write(false); }, { &e1 });
	meth("watch", [] { tr("watch", "s=%d", (int)s.read()); },
	     { &s.value_changed_event() });
	e0.notify(ps(10));
	e1.notify(ps(20));
	sc_start();
	end();
}

void start_zero_one_delta()
{
	static sc_event e("e");
	static int n;
	meth(
		"chain",
		[] {
			tr("chain", "n=%d", n);
			if (++n < 3)
				e.notify(SC_ZERO_TIME);
		},
		{ &e }, true);
	for (int i = 0; i < 4; i++) {
		sc_start(SC_ZERO_TIME);
		end();
	}
}

void start_end_time_holdoff()
{
	static sc_event e("e");
	meth("w", [] { tr("w", ""); }, { &e });
	e.notify(ps(10));
	sc_start(ps(10));
	end();
	sc_start(SC_ZERO_TIME);
	end();
}

// imcsim's sim_run(d) differs from sc_start(d) as doc/kernel.md says: it
// is sc_start(d) followed by the deltas still pending at the end time.
void run_through_end_time()
{
	static sc_event e("e");
	static int n;
	meth("w",
	     [] {
		     tr("w", "n=%d", n);
		     if (++n < 3)
			     e.notify(SC_ZERO_TIME);
	     },
	     { &e });
	e.notify(ps(10));
	sc_start(ps(10));
	while (sc_pending_activity_at_current_time())
		sc_start(SC_ZERO_TIME);
	end();
}

void run_to_time_starved()
{
	static sc_event e("e");
	meth("w", [] { tr("w", ""); }, { &e });
	e.notify(ps(30));
	sc_start(ps(100));
	end();
	sc_start(ps(50));
	end();
}

void starvation_time()
{
	static sc_event e("e");
	static int n;
	meth(
		"w",
		[] {
			tr("w", "n=%d", n);
			if (++n < 4)
				e.notify(ps(7 * n));
		},
		{ &e }, true);
	sc_start();
	end();
}

struct scenario {
	const char *name;
	void (*fn)();
};

const scenario scenarios[] = {
#define S(n)          \
	{             \
#n, n \
	}
	S(write_visible_next_delta),
	S(comb_chain),
	S(init_phase_write),
	S(init_delta_notify),
	S(dont_initialize),
	S(immediate_same_delta),
	S(immediate_self_ignored),
	S(immediate_pingpong),
	S(clocked_immediate_ring),
	S(delta_notify_chain),
	S(timed_override),
	S(delta_beats_timed),
	S(immediate_cancels_pending),
	S(cancel_timed),
	S(cancel_delta_keeps_rest),
	S(same_time_events),
	S(next_trigger_time),
	S(next_trigger_event),
	S(next_trigger_last_wins),
	S(next_trigger_self_notify),
	S(posedge_negedge),
	S(clock_edge_at_zero),
	S(clock_negfirst_offset),
	S(clock_round_half),
	S(clock_duty_30),
	S(sig_event_query),
	S(real_equality),
	S(bitvector_128),
	S(same_value_no_event),
	S(last_write_wins),
	S(delta_count_empty),
	S(stop_in_delta),
	S(spawn_in_process),
	S(spawn_many),
	S(multiple_drivers),
	S(many_writers_ok),
	S(start_zero_one_delta),
	S(start_end_time_holdoff),
	S(run_through_end_time),
	S(run_to_time_starved),
	S(starvation_time),
#undef S
};

} // namespace

int sc_main(int argc, char *argv[])
{
	if (argc == 2 && !std::strcmp(argv[1], "--list")) {
		for (const scenario &s : scenarios)
			std::printf("%s\n", s.name);
		return 0;
	}
	for (const scenario &s : scenarios)
		if (argc == 2 && !std::strcmp(argv[1], s.name)) {
			s.fn();
			return 0;
		}
	std::fprintf(stderr,
		     "conf_systemc: usage: conf_systemc SCENARIO|--list\n");
	return 2;
}
