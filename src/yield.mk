# imcsim yield / sweep over chip populations: their tests (the MPI ones
# when configure found mpirun) and their benchmark.
if HAVE_CHECK
check_PROGRAMS += tests/test_stats tests/test_yield
TESTS += tests/test_stats tests/test_yield
tests_test_stats_SOURCES = tests/test_stats.c src/stats.c src/stats.h
tests_test_stats_CFLAGS = $(TEST_CFLAGS)
tests_test_stats_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src
tests_test_stats_LDADD = $(CHECK_LIBS) -lm
tests_test_yield_SOURCES = tests/test_yield.c tests/cli_harness.h \
	tests/mnist_dir.h
tests_test_yield_CFLAGS = $(TEST_CFLAGS) $(CJSON_CFLAGS)
tests_test_yield_CPPFLAGS = $(tests_test_cli_CPPFLAGS) \
	-DIMCSIM_MPIRUN='"$(MPIRUN)"'
tests_test_yield_LDADD = $(CHECK_LIBS) $(CJSON_LIBS)
tests_test_yield_DEPENDENCIES = imcsim$(EXEEXT)
EXTRA_DIST += tests/mpirun.h
# dist.h's MPI engine alone under mpirun (tests/dist_probe)
if HAVE_MPI
check_PROGRAMS += tests/dist_probe tests/test_dist
TESTS += tests/test_dist
tests_dist_probe_SOURCES = tests/dist_probe.c src/dist_mpi.c src/dist.c \
	src/dist.h
tests_dist_probe_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src
tests_dist_probe_CFLAGS = $(AM_CFLAGS) $(MPI_CFLAGS)
tests_dist_probe_LDADD = libimcsim.la $(MPI_LIBS) -lm
tests_test_dist_SOURCES = tests/test_dist.c tests/cli_harness.h \
	tests/mnist_dir.h
tests_test_dist_CFLAGS = $(TEST_CFLAGS)
tests_test_dist_CPPFLAGS = $(AM_CPPFLAGS) \
	-DIMCSIM_BIN='"$(abs_top_builddir)/tests/dist_probe$(EXEEXT)"' \
	-DIMCSIM_DATA_DIR='"$(DEFAULT_MNIST_DIR)"' \
	-DIMCSIM_MPIRUN='"$(MPIRUN)"'
tests_test_dist_LDADD = $(CHECK_LIBS)
tests_test_dist_DEPENDENCIES = tests/dist_probe$(EXEEXT)
endif
endif

# make bench: yield throughput on 1 and 2 ranks (bench/yield.sh)
EXTRA_DIST += bench/yield.sh
.PHONY: bench-yield
bench: bench-yield
bench-yield: imcsim$(EXEEXT)
	@$(SHELL) $(top_srcdir)/bench/yield.sh ./imcsim$(EXEEXT) '$(MPIRUN)'
