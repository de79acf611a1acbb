# The imcsim command.
# The commit the program was built from (imcsim --version, every JSON
# result): git's, else the .commit file `make dist` writes into a tarball,
# else "unknown". Rewritten only when it changes, so nothing rebuilds.
BUILT_SOURCES = imcsim_commit.h
nodist_imcsim_SOURCES = imcsim_commit.h
CLEANFILES += imcsim_commit.h
imcsim_commit.h: FORCE
	$(AM_V_GEN)c=`cd $(top_srcdir) && git rev-parse --short=12 HEAD \
	  2>/dev/null`; \
	if test -n "$$c"; then (cd $(top_srcdir) && git diff --quiet HEAD \
	  -- 2>/dev/null) || c="$$c-dirty"; \
	else c=`cat $(top_srcdir)/.commit 2>/dev/null || echo unknown`; fi; \
	echo "#define IMCSIM_COMMIT \"$$c\"" >$@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi
FORCE:
.PHONY: FORCE
# also for `make imcsim`, which does not build BUILT_SOURCES
src/imcsim-cli.$(OBJEXT) src/imcsim-cli_args.$(OBJEXT) \
	src/imcsim-netcache.$(OBJEXT): imcsim_commit.h
dist-hook:
	(cd $(top_srcdir) && git rev-parse --short=12 HEAD 2>/dev/null || \
	  cat .commit 2>/dev/null || echo unknown) >$(distdir)/.commit
bin_PROGRAMS += imcsim
imcsim_SOURCES = src/imcsim.c src/commands.h src/cli.c src/cli.h \
	src/cli_args.c src/suggest.c src/suggest.h \
	src/output.c src/output.h src/pngcheck.c \
	src/pngcheck.h src/settings.c src/settings.h src/params.c src/params.h \
	src/experiment.c src/experiment.h src/stats.c src/stats.h \
	src/pool.c src/pool.h src/provenance.c src/provenance.h src/cmd_demo.c src/cmd_train.c \
	src/cmd_chip.c src/cmd_plot.c src/cmd_fetch.c src/plot.c src/plot.h \
	src/cmd_yield.c src/cmd_sweep.c src/population.c src/population.h src/poprun.c \
	src/poprun.h src/resume.c src/resume.h src/figure.c src/figure.h \
	src/dist.c src/dist.h src/netcache.c src/netcache.h src/expdata.c
# MPI only in the program, and only in dist_mpi.c's engine (dist.h)
if HAVE_MPI
imcsim_SOURCES += src/dist_mpi.c
else
imcsim_SOURCES += src/dist_serial.c
endif
EXTRA_DIST += src/dist_mpi.c src/dist_serial.c
imcsim_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src \
	-DIMCSIM_DATA_DIR='"$(DEFAULT_MNIST_DIR)"' \
	-DIMCSIM_PKGDATADIR='"$(pkgdatadir)"' \
	-DIMCSIM_SRCDATADIR='"$(abs_top_srcdir)/data"'
imcsim_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(MPI_CFLAGS)
imcsim_LDADD = libimcsim.la $(CJSON_LIBS) $(MPI_LIBS) -lm

# The fetch script and its converter, installed for `imcsim fetch-data`.
dist_pkgdata_SCRIPTS = data/fetch-mnist.sh
dist_pkgdata_DATA = data/mnist-to-idx.js

# End-to-end tests of the command, including the bad-input matrix.
if HAVE_CHECK
check_PROGRAMS += tests/test_cli
TESTS += tests/test_cli
tests_test_cli_SOURCES = tests/test_cli.c tests/mnist_dir.h
tests_test_cli_CFLAGS = $(TEST_CFLAGS) $(CJSON_CFLAGS)
tests_test_cli_CPPFLAGS = $(AM_CPPFLAGS) \
	-DIMCSIM_BIN='"$(abs_top_builddir)/imcsim$(EXEEXT)"' \
	-DIMCSIM_DATA_DIR='"$(DEFAULT_MNIST_DIR)"'
tests_test_cli_LDADD = $(CHECK_LIBS) $(CJSON_LIBS)
tests_test_cli_DEPENDENCIES = imcsim$(EXEEXT)
check_PROGRAMS += tests/test_cli_output
TESTS += tests/test_cli_output
tests_test_cli_output_SOURCES = tests/test_cli_output.c tests/cli_harness.h \
	tests/mnist_dir.h
tests_test_cli_output_CFLAGS = $(TEST_CFLAGS) $(CJSON_CFLAGS)
tests_test_cli_output_CPPFLAGS = $(tests_test_cli_CPPFLAGS)
tests_test_cli_output_LDADD = $(CHECK_LIBS) $(CJSON_LIBS)
tests_test_cli_output_DEPENDENCIES = imcsim$(EXEEXT)
check_PROGRAMS += tests/test_cli_input
TESTS += tests/test_cli_input
tests_test_cli_input_SOURCES = tests/test_cli_input.c tests/cli_harness.h \
	tests/mnist_dir.h
tests_test_cli_input_CFLAGS = $(TEST_CFLAGS) $(CJSON_CFLAGS)
tests_test_cli_input_CPPFLAGS = $(tests_test_cli_CPPFLAGS)
tests_test_cli_input_LDADD = $(CHECK_LIBS) $(CJSON_LIBS)
tests_test_cli_input_DEPENDENCIES = imcsim$(EXEEXT)
check_PROGRAMS += tests/test_cli_data
TESTS += tests/test_cli_data
tests_test_cli_data_SOURCES = tests/test_cli_data.c tests/cli_harness.h \
	tests/mnist_dir.h
tests_test_cli_data_CFLAGS = $(TEST_CFLAGS) $(CJSON_CFLAGS)
tests_test_cli_data_CPPFLAGS = $(tests_test_cli_CPPFLAGS)
tests_test_cli_data_LDADD = libimcsim.la $(CHECK_LIBS) $(CJSON_LIBS)
tests_test_cli_data_DEPENDENCIES = imcsim$(EXEEXT) libimcsim.la
check_PROGRAMS += tests/test_demo
TESTS += tests/test_demo
tests_test_demo_SOURCES = tests/test_demo.c tests/mnist_dir.h src/stats.c \
	src/stats.h src/pool.c src/pool.h model/imc_err.c
tests_test_demo_CFLAGS = $(TEST_CFLAGS) $(CJSON_CFLAGS)
tests_test_demo_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src \
	-DIMCSIM_BIN='"$(abs_top_builddir)/imcsim$(EXEEXT)"' \
	-DIMCSIM_DATA_DIR='"$(DEFAULT_MNIST_DIR)"'
tests_test_demo_LDADD = $(CHECK_LIBS) $(CJSON_LIBS) -lm
tests_test_demo_DEPENDENCIES = imcsim$(EXEEXT)
check_PROGRAMS += tests/test_cli_conv
TESTS += tests/test_cli_conv
tests_test_cli_conv_SOURCES = tests/test_cli_conv.c tests/cli_harness.h \
	tests/mnist_dir.h
tests_test_cli_conv_CFLAGS = $(TEST_CFLAGS) $(CJSON_CFLAGS)
tests_test_cli_conv_CPPFLAGS = $(tests_test_cli_CPPFLAGS) \
	-DIMCSIM_MAN='"$(abs_top_srcdir)/doc/imcsim.1"'
tests_test_cli_conv_LDADD = $(CHECK_LIBS) $(CJSON_LIBS)
tests_test_cli_conv_DEPENDENCIES = imcsim$(EXEEXT)
check_PROGRAMS += tests/test_plot
TESTS += tests/test_plot
tests_test_plot_SOURCES = tests/test_plot.c tests/mnist_dir.h src/plot.c \
	src/plot.h
tests_test_plot_CFLAGS = $(TEST_CFLAGS) $(CJSON_CFLAGS)
tests_test_plot_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src \
	-DIMCSIM_BIN='"$(abs_top_builddir)/imcsim$(EXEEXT)"' \
	-DIMCSIM_DATA_DIR='"$(DEFAULT_MNIST_DIR)"'
tests_test_plot_LDADD = libimcsim.la $(CHECK_LIBS) $(CJSON_LIBS) -lm
tests_test_plot_DEPENDENCIES = imcsim$(EXEEXT) libimcsim.la
endif

# doc/parameters.md's tables come from the registry (tests/doc_params.sh
# fails when they differ; `make doc-params` regenerates them).
TESTS += tests/doc_params.sh
EXTRA_DIST += tests/doc_params.sh doc/parameters.md
doc-params: imcsim$(EXEEXT)
	{ sed -n '1,/^<!-- params:begin -->$$/p' $(srcdir)/doc/parameters.md; \
	  ./imcsim params --markdown; \
	  sed -n '/^<!-- params:end -->$$/,$$p' $(srcdir)/doc/parameters.md; \
	} > doc-params.tmp && mv doc-params.tmp $(srcdir)/doc/parameters.md
.PHONY: doc-params
include src/yield.mk
