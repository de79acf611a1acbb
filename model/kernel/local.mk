libimcsim_la_SOURCES += model/kernel/sim.c model/kernel/process.c \
	model/kernel/sim_internal.h \
	model/kernel/signal.c model/kernel/vcd.c model/kernel/rng.c \
	model/kernel/gtkw.c
kernelincludedir = $(pkgincludedir)/kernel
kernelinclude_HEADERS = model/kernel/sim.h model/kernel/rng.h \
	model/kernel/gtkw.h

if HAVE_CHECK
check_PROGRAMS += tests/test_kernel tests/test_rng tests/test_kernel_safety \
	tests/test_kernel_oom tests/test_kernel_contract
TESTS += tests/test_kernel tests/test_rng tests/test_kernel_safety \
	tests/test_kernel_oom tests/test_kernel_contract
tests_test_kernel_CFLAGS = $(TEST_CFLAGS)
tests_test_kernel_LDADD = $(TEST_LDADD)
tests_test_kernel_contract_CFLAGS = $(TEST_CFLAGS)
tests_test_kernel_contract_LDADD = $(TEST_LDADD)
tests_test_kernel_safety_CFLAGS = $(TEST_CFLAGS)
tests_test_kernel_safety_LDADD = $(TEST_LDADD)
# defines realloc() to inject failures; dlsym finds the real one
tests_test_kernel_oom_CFLAGS = $(TEST_CFLAGS)
tests_test_kernel_oom_LDADD = $(TEST_LDADD) -ldl
tests_test_rng_CFLAGS = $(TEST_CFLAGS)
tests_test_rng_LDADD = $(TEST_LDADD)
endif

if HAVE_CHECK
if HAVE_GTKWAVE_TOOLS
check_PROGRAMS += tests/test_vcd
TESTS += tests/test_vcd
tests_test_vcd_CFLAGS = $(TEST_CFLAGS)
tests_test_vcd_CPPFLAGS = $(AM_CPPFLAGS) -DVCD2FST='"$(VCD2FST)"' \
	-DFST2VCD='"$(FST2VCD)"'
tests_test_vcd_LDADD = $(TEST_LDADD)
endif
endif
