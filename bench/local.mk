# bench: the imcsim kernel against SystemC 2.3 on the same scenarios.
# `make bench` builds both programs (-O2) and runs bench/run.sh, which prints
# one "bench <name> imcsim_s=... systemc_s=... speedup=..." line per scenario.
# The programs are EXTRA_PROGRAMS, so plain `make` never builds them.
# Without SystemC the imcsim side still runs and prints systemc_s=NA.

EXTRA_PROGRAMS += bench/bench_kernel
bench_bench_kernel_SOURCES = bench/bench_kernel.c bench/bench_common.h \
	bench/bench_trace.c bench/bench_trace.h
bench_bench_kernel_CFLAGS = $(AM_CFLAGS) -O2
bench_bench_kernel_LDADD = libimcsim.la -lm

if HAVE_SYSTEMC
EXTRA_PROGRAMS += bench/bench_systemc
bench_bench_systemc_SOURCES = bench/bench_systemc.cpp bench/bench_common.h
bench_bench_systemc_CXXFLAGS = $(WARN_CXXFLAGS) $(SYSTEMC_CFLAGS) -O2
bench_bench_systemc_LDADD = $(SYSTEMC_LIBS)
BENCH_SYSTEMC_PROG = bench/bench_systemc$(EXEEXT)
else
BENCH_SYSTEMC_PROG =
endif

# The pipeline compiled by Verilator (bench_ring.v, bench_verilator.cpp),
# built at bench time into the build tree; without Verilator run.sh prints
# verilator_s=NA.
if HAVE_VERILATOR
BENCH_VL_DIR = bench/verilator
BENCH_VL_PROG = $(BENCH_VL_DIR)/bench_verilator
BENCH_VL_SRC = $(top_srcdir)/bench/bench_ring.v \
	$(top_srcdir)/bench/bench_verilator.cpp $(top_srcdir)/bench/bench_common.h
$(BENCH_VL_PROG): $(BENCH_VL_SRC)
	$(AM_V_GEN)rm -rf $(BENCH_VL_DIR) && $(MKDIR_P) $(BENCH_VL_DIR) && \
	{ $(VERILATOR) --cc --exe -O3 --x-assign fast --x-initial fast \
	  --top-module bench_ring -GN=1000 --Mdir $(BENCH_VL_DIR) \
	  -o bench_verilator -CFLAGS "-O2 -I$(abs_top_srcdir)/bench" \
	  $(abs_top_srcdir)/bench/bench_ring.v \
	  $(abs_top_srcdir)/bench/bench_verilator.cpp && \
	  MAKEFLAGS= MFLAGS= $(MAKE) -C $(BENCH_VL_DIR) -f Vbench_ring.mk \
	  OPT_FAST=-O2; } >bench/verilator.log 2>&1 || \
	{ cat bench/verilator.log; exit 1; }
# the same with Verilator's own VCD writer, for pipeline_vcd (run.sh:
# bench pipeline_vcd_verilator)
BENCH_VLT_DIR = bench/verilator_vcd
BENCH_VLT_PROG = $(BENCH_VLT_DIR)/bench_verilator
$(BENCH_VLT_PROG): $(BENCH_VL_SRC)
	$(AM_V_GEN)rm -rf $(BENCH_VLT_DIR) && $(MKDIR_P) $(BENCH_VLT_DIR) && \
	{ $(VERILATOR) --cc --exe -O3 --x-assign fast --x-initial fast \
	  --trace --trace-max-array 1024 \
	  --top-module bench_ring -GN=1000 --Mdir $(BENCH_VLT_DIR) \
	  -o bench_verilator \
	  -CFLAGS "-O2 -DBENCH_VL_TRACE -I$(abs_top_srcdir)/bench" \
	  $(abs_top_srcdir)/bench/bench_ring.v \
	  $(abs_top_srcdir)/bench/bench_verilator.cpp && \
	  MAKEFLAGS= MFLAGS= $(MAKE) -C $(BENCH_VLT_DIR) -f Vbench_ring.mk \
	  OPT_FAST=-O2; } >bench/verilator_vcd.log 2>&1 || \
	{ cat bench/verilator_vcd.log; exit 1; }
else
BENCH_VL_PROG =
BENCH_VLT_PROG =
endif

clean-local: bench-clean-verilator
.PHONY: bench-clean-verilator
bench-clean-verilator:
	rm -rf bench/verilator bench/verilator.log bench/verilator_vcd \
	  bench/verilator_vcd.log

EXTRA_DIST += bench/run.sh bench/README.md bench/bench_ring.v \
	bench/bench_verilator.cpp

.PHONY: bench
bench: bench/bench_kernel$(EXEEXT) $(BENCH_SYSTEMC_PROG) \
	$(BENCH_VL_PROG) $(BENCH_VLT_PROG) bench/bench_system$(EXEEXT)
	@case " $(CFLAGS) " in *" -O0 "*|*" -O "*|*" -Og "*) \
	  echo "bench: warning: CFLAGS='$(CFLAGS)' builds libimcsim" \
	    "unoptimized; reconfigure with -O2 for meaningful numbers" >&2;; \
	esac
	@$(SHELL) $(top_srcdir)/bench/run.sh bench/bench_kernel$(EXEEXT) \
	  "$(BENCH_SYSTEMC_PROG)" "$(BENCH_VL_PROG)" "$(BENCH_VLT_PROG)"
	@./bench/bench_system$(EXEEXT)
