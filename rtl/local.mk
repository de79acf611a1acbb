# rtl/local.mk - the compensation calibration block: C golden model, its
# Check suite, the Verilog controller and the Verilator co-simulation.

libimcsim_la_SOURCES += model/chip/calib.c model/chip/calib.h

if HAVE_CHECK
check_PROGRAMS += tests/test_calib
TESTS += tests/test_calib
endif
tests_test_calib_SOURCES = tests/test_calib.c
tests_test_calib_CFLAGS = $(TEST_CFLAGS)
tests_test_calib_LDADD = $(TEST_LDADD)
