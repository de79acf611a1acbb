# The four-chip system: bus, chips, host.
SYSTEM_HDRS = model/system/bus.h model/system/normalizer.h \
	model/system/readout.h model/system/sysnet.h model/system/system.h
libimcsim_la_SOURCES += model/system/bus.c \
	model/system/normalizer.c model/system/readout.c \
	model/system/sysnet.c model/system/deploy.c model/system/system.c model/system/system_ca.c \
	model/system/system_tlm.c model/system/system_internal.h \
	$(SYSTEM_HDRS)
systemincludedir = $(pkgincludedir)/system
systeminclude_HEADERS = $(SYSTEM_HDRS)

if HAVE_CHECK
check_PROGRAMS += tests/test_bus tests/test_system_blocks \
	tests/test_system_paths tests/test_system_params
TESTS += tests/test_bus tests/test_system_blocks tests/test_system_paths \
	tests/test_system_params
tests_test_bus_CFLAGS = $(TEST_CFLAGS)
tests_test_bus_LDADD = $(TEST_LDADD)
tests_test_system_blocks_CFLAGS = $(TEST_CFLAGS)
tests_test_system_blocks_LDADD = $(TEST_LDADD)
tests_test_system_paths_CFLAGS = $(TEST_CFLAGS)
tests_test_system_paths_LDADD = $(TEST_LDADD)
tests_test_system_params_CFLAGS = $(TEST_CFLAGS)
tests_test_system_params_LDADD = $(TEST_LDADD)
endif

# Whole-system trace: one inference to system.vcd and system.gtkw.
noinst_PROGRAMS += tb/tb_system_trace
tb_tb_system_trace_LDADD = libimcsim.la -lm
EXTRA_DIST += doc/system.md

# System throughput, both levels (-O2). The lead hooks bench-system into
# `make bench`; it prints "bench system_cycle_accurate images_per_s=<n>"
# and "bench system_tlm images_per_s=<n>".
EXTRA_PROGRAMS += bench/bench_system
bench_bench_system_SOURCES = bench/bench_system.c
bench_bench_system_CFLAGS = $(AM_CFLAGS) -O2
bench_bench_system_LDADD = libimcsim.la -lm
.PHONY: bench-system
bench-system: bench/bench_system$(EXEEXT)
	./bench/bench_system$(EXEEXT)
