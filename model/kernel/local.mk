libimcsim_la_SOURCES += model/kernel/sim.c model/kernel/sim_build.c \
	model/kernel/process.c \
	model/kernel/sim_internal.h \
	model/kernel/signal.c model/kernel/vcd.c model/kernel/vcd_header.c \
	model/kernel/vcd_internal.h model/kernel/digits.h model/kernel/rng.c \
	model/kernel/coro.c model/kernel/coro.h model/kernel/thread.c \
	model/kernel/fifo.c model/kernel/fst.c model/kernel/fst_internal.h \
	model/kernel/gtkw.c
# GTKWave's FST writer, compiled from where it is installed (configure
# finds it): its own warnings are not ours to fix, so it is a convenience
# library of its own with warnings off.
if HAVE_FSTAPI
noinst_LTLIBRARIES = libimcfst.la
libimcfst_la_SOURCES = model/kernel/fst_api.c model/kernel/fst_fastlz.c \
	model/kernel/fst_lz4.c
libimcfst_la_CPPFLAGS = -I$(top_builddir) -DHAVE_LIBPTHREAD \
	-DFST_WRITER_PARALLEL
libimcfst_la_CFLAGS = -w -fvisibility=hidden
# not AM_LDFLAGS (-static, for programs): its PIC objects go into the .so
libimcfst_la_LDFLAGS =
# fstapi's deliberate misaligned stores and wide shifts are not ours to
# fix: keep UBSan (.ci/sanitize.sh) out of it. The flag must follow the
# user's CFLAGS, hence the target-specific append. ASan still covers it.
FSTAPI_LO = model/kernel/libimcfst_la-fst_api.lo
$(FSTAPI_LO): CFLAGS += -fno-sanitize=undefined
libimcsim_la_LIBADD += libimcfst.la $(FST_LIBS)
endif
kernelincludedir = $(pkgincludedir)/kernel
kernelinclude_HEADERS = model/kernel/sim.h model/kernel/rng.h \
	model/kernel/gtkw.h model/kernel/thread.h model/kernel/fifo.h \
	model/kernel/fst.h

if HAVE_CHECK
check_PROGRAMS += tests/test_kernel tests/test_kernel_run tests/test_rng \
	tests/test_kernel_safety tests/test_kernel_oom \
	tests/test_kernel_contract tests/test_kernel_systemc
TESTS += tests/test_kernel tests/test_kernel_run tests/test_rng \
	tests/test_kernel_safety tests/test_kernel_oom \
	tests/test_kernel_contract tests/test_kernel_systemc
tests_test_kernel_SOURCES = tests/test_kernel.c tests/kernel_harness.h
tests_test_kernel_CFLAGS = $(TEST_CFLAGS)
tests_test_kernel_LDADD = $(TEST_LDADD)
tests_test_kernel_run_SOURCES = tests/test_kernel_run.c tests/kernel_harness.h
tests_test_kernel_run_CFLAGS = $(TEST_CFLAGS)
tests_test_kernel_run_LDADD = $(TEST_LDADD)
tests_test_kernel_contract_SOURCES = tests/test_kernel_contract.c \
	tests/kernel_harness.h
tests_test_kernel_contract_CFLAGS = $(TEST_CFLAGS)
tests_test_kernel_contract_LDADD = $(TEST_LDADD)
tests_test_kernel_systemc_SOURCES = tests/test_kernel_systemc.c \
	tests/kernel_harness.h
tests_test_kernel_systemc_CFLAGS = $(TEST_CFLAGS)
tests_test_kernel_systemc_LDADD = $(TEST_LDADD)
tests_test_kernel_safety_CFLAGS = $(TEST_CFLAGS)
tests_test_kernel_safety_LDADD = $(TEST_LDADD)
# defines realloc() to inject failures; dlsym finds the real one
tests_test_kernel_oom_CFLAGS = $(TEST_CFLAGS)
tests_test_kernel_oom_LDADD = $(TEST_LDADD) -ldl
tests_test_rng_CFLAGS = $(TEST_CFLAGS)
tests_test_rng_LDADD = $(TEST_LDADD)
endif

# threads, FIFO, FST (kernel-ext)
if HAVE_CHECK
check_PROGRAMS += tests/test_kernel_thread tests/test_kernel_fifo
TESTS += tests/test_kernel_thread tests/test_kernel_fifo
tests_test_kernel_thread_CFLAGS = $(TEST_CFLAGS)
tests_test_kernel_thread_LDADD = $(TEST_LDADD)
tests_test_kernel_fifo_CFLAGS = $(TEST_CFLAGS)
tests_test_kernel_fifo_LDADD = $(TEST_LDADD)
# the thread tests again on the portable ucontext switch (the kernel
# compiled into the test with -DSIM_CORO_UCONTEXT instead of the library)
check_PROGRAMS += tests/test_kernel_thread_uc
TESTS += tests/test_kernel_thread_uc
tests_test_kernel_thread_uc_SOURCES = tests/test_kernel_thread.c \
	model/kernel/sim.c model/kernel/sim_build.c model/kernel/process.c \
	model/kernel/signal.c \
	model/kernel/vcd.c model/kernel/vcd_header.c model/kernel/coro.c \
	model/kernel/thread.c \
	model/kernel/fifo.c model/kernel/fst.c model/imc_err.c
tests_test_kernel_thread_uc_CPPFLAGS = $(AM_CPPFLAGS) -DSIM_CORO_UCONTEXT
tests_test_kernel_thread_uc_CFLAGS = $(TEST_CFLAGS)
tests_test_kernel_thread_uc_LDADD = $(CHECK_LIBS) -lm
if HAVE_FSTAPI
tests_test_kernel_thread_uc_LDADD += libimcfst.la $(FST_LIBS)
endif
endif

if HAVE_CHECK
if HAVE_GTKWAVE_TOOLS
check_PROGRAMS += tests/test_vcd
TESTS += tests/test_vcd
tests_test_vcd_CFLAGS = $(TEST_CFLAGS)
tests_test_vcd_CPPFLAGS = $(AM_CPPFLAGS) -DVCD2FST='"$(VCD2FST)"' \
	-DFST2VCD='"$(FST2VCD)"'
tests_test_vcd_LDADD = $(TEST_LDADD)
# again with the portable digit table instead of SSE2 (the kernel
# compiled into the test with -DVCD_PORTABLE)
check_PROGRAMS += tests/test_vcd_portable
TESTS += tests/test_vcd_portable
tests_test_vcd_portable_SOURCES = tests/test_vcd.c \
	model/kernel/sim.c model/kernel/sim_build.c model/kernel/process.c \
	model/kernel/signal.c \
	model/kernel/vcd.c model/kernel/vcd_header.c model/kernel/coro.c \
	model/kernel/thread.c model/kernel/fifo.c model/kernel/fst.c \
	model/imc_err.c
tests_test_vcd_portable_CFLAGS = $(TEST_CFLAGS)
tests_test_vcd_portable_CPPFLAGS = $(tests_test_vcd_CPPFLAGS) -DVCD_PORTABLE
tests_test_vcd_portable_LDADD = $(CHECK_LIBS) -lm
if HAVE_FSTAPI
tests_test_vcd_portable_LDADD += libimcfst.la $(FST_LIBS)
endif
endif
endif

if HAVE_CHECK
if HAVE_FSTAPI
if HAVE_GTKWAVE_TOOLS
check_PROGRAMS += tests/test_kernel_fst
TESTS += tests/test_kernel_fst
tests_test_kernel_fst_CFLAGS = $(TEST_CFLAGS)
tests_test_kernel_fst_CPPFLAGS = $(AM_CPPFLAGS) -DFST2VCD='"$(FST2VCD)"'
tests_test_kernel_fst_LDADD = $(TEST_LDADD)
endif
endif
endif
