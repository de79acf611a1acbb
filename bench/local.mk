# bench: the imcsim kernel against SystemC 2.3 on the same scenarios.
# `make bench` builds both programs (-O2) and runs bench/run.sh, which prints
# one "bench <name> imcsim_s=... systemc_s=... speedup=..." line per scenario.
# The programs are EXTRA_PROGRAMS, so plain `make` never builds them.
# Without SystemC the imcsim side still runs and prints systemc_s=NA.

EXTRA_PROGRAMS += bench/bench_kernel
bench_bench_kernel_SOURCES = bench/bench_kernel.c bench/bench_common.h
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

EXTRA_DIST += bench/run.sh bench/README.md

.PHONY: bench
bench: bench/bench_kernel$(EXEEXT) $(BENCH_SYSTEMC_PROG) \
	bench/bench_system$(EXEEXT)
	@case " $(CFLAGS) " in *" -O0 "*|*" -O "*|*" -Og "*) \
	  echo "bench: warning: CFLAGS='$(CFLAGS)' builds libimcsim" \
	    "unoptimized; reconfigure with -O2 for meaningful numbers" >&2;; \
	esac
	@$(SHELL) $(top_srcdir)/bench/run.sh bench/bench_kernel$(EXEEXT) \
	  $(BENCH_SYSTEMC_PROG)
	@./bench/bench_system$(EXEEXT)
