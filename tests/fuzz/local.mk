# tests/fuzz/local.mk - libFuzzer targets for every parser imcsim reads:
# IDX files (fuzz_idx), saved nets (fuzz_netfile), config files
# (fuzz_config) and --set values (fuzz_assign).
#
#   make fuzz                     build with clang and run each target for
#                                 FUZZ_SECONDS (60); prints one line
#                                 "fuzz <target> execs=<n> ..." per target
#   make fuzz FUZZ_SECONDS=600 FUZZ_ARGS=-runs=1000000
#   make fuzz-build               only build them
#
# The targets are built with FUZZ_CC (clang; libFuzzer and the sanitizer
# runtimes come from Debian's libclang-rt-14-dev), whatever CC configure
# chose, so the library sources are compiled a second time, instrumented,
# into tests/fuzz/libimcsim-fuzz.a. Each run keeps the inputs it finds in
# tests/fuzz/run/<target>/ of the build tree (the seed corpus in the
# source tree, tests/fuzz/corpus/<target>/, is only read) and writes any
# crashing input to tests/fuzz/run/<target>-crash-*, with the log in
# tests/fuzz/run/<target>.log.
#
# `make check` replays the seed corpora through the same targets built
# with the normal compiler (tests/fuzz/replay.c), so they keep compiling
# and the seeds keep passing.

FUZZ_CC = clang
FUZZ_SECONDS = 60
FUZZ_ARGS =
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -std=c11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra \
	-D_POSIX_C_SOURCE=200809L $(FUZZ_SAN)
FUZZ_CPPFLAGS = -I$(top_srcdir)/model -I$(top_srcdir)/src \
	-I$(top_srcdir)/tests/fuzz -I$(top_builddir)
FUZZ_NAMES = idx netfile config assign
FUZZ_TARGETS = tests/fuzz/fuzz_idx tests/fuzz/fuzz_netfile \
	tests/fuzz/fuzz_config tests/fuzz/fuzz_assign
FUZZ_LIB = tests/fuzz/libimcsim-fuzz.a
FUZZ_COMMON = $(srcdir)/tests/fuzz/fuzz_common.c \
	$(srcdir)/tests/fuzz/fuzz_common.h
FUZZ_LINK = $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_CPPFLAGS)
FUZZ_PARAMS = $(srcdir)/src/params.c $(srcdir)/src/provenance.c $(srcdir)/src/suggest.c $(srcdir)/src/settings.c

EXTRA_DIST += tests/fuzz/fuzz_common.c tests/fuzz/fuzz_common.h \
	tests/fuzz/fuzz_idx.c tests/fuzz/fuzz_netfile.c \
	tests/fuzz/fuzz_config.c tests/fuzz/fuzz_assign.c \
	tests/fuzz/netfile.dict tests/fuzz/config.dict tests/fuzz/corpus

# The library's fstapi part (not instrumented: vendor code) when FST is on.
if HAVE_FSTAPI
FUZZ_FST = .libs/libimcfst.a $(FST_LIBS)
FUZZ_FST_DEP = libimcfst.la
else
FUZZ_FST =
FUZZ_FST_DEP =
endif

# The library, instrumented (fuzzer-no-link: coverage without a main).
$(FUZZ_LIB): $(libimcsim_la_SOURCES) $(FUZZ_FST_DEP)
	@$(FUZZ_CC) --version >/dev/null 2>&1 || { echo "make fuzz:" \
	  "'$(FUZZ_CC)' not found; install clang and libclang-rt-14-dev" \
	  "(apt-get install clang libclang-rt-14-dev) or set FUZZ_CC" >&2; \
	  exit 1; }
	$(AM_V_GEN)rm -rf tests/fuzz/obj && $(MKDIR_P) tests/fuzz/obj && \
	for s in $(libimcsim_la_SOURCES); do \
	  case $$s in *.c) ;; *) continue ;; esac; \
	  o=tests/fuzz/obj/`echo $$s | sed 's|/|_|g; s|\.c$$|.o|'`; \
	  $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
	    $(FUZZ_CPPFLAGS) -c -o $$o $(srcdir)/$$s || exit 1; \
	done && rm -f $@ && $(AR) cr $@ tests/fuzz/obj/*.o

tests/fuzz/fuzz_idx: $(srcdir)/tests/fuzz/fuzz_idx.c $(FUZZ_LIB)
	$(AM_V_GEN)$(FUZZ_LINK) -o $@ $(srcdir)/tests/fuzz/fuzz_idx.c \
	  $(FUZZ_LIB) $(FUZZ_FST) -lm
tests/fuzz/fuzz_netfile: $(srcdir)/tests/fuzz/fuzz_netfile.c $(FUZZ_COMMON) \
	  $(FUZZ_LIB)
	$(AM_V_GEN)$(FUZZ_LINK) -o $@ $(srcdir)/tests/fuzz/fuzz_netfile.c \
	  $(srcdir)/tests/fuzz/fuzz_common.c $(FUZZ_LIB) $(FUZZ_FST) -lm
tests/fuzz/fuzz_config: $(srcdir)/tests/fuzz/fuzz_config.c $(FUZZ_COMMON) \
	  $(srcdir)/src/params.c $(srcdir)/src/provenance.c $(srcdir)/src/suggest.c $(srcdir)/src/settings.c $(FUZZ_LIB)
	$(AM_V_GEN)$(FUZZ_LINK) -o $@ $(srcdir)/tests/fuzz/fuzz_config.c \
	  $(srcdir)/tests/fuzz/fuzz_common.c $(FUZZ_PARAMS) $(FUZZ_LIB) \
	  $(FUZZ_FST) -lm
tests/fuzz/fuzz_assign: $(srcdir)/tests/fuzz/fuzz_assign.c \
	  $(srcdir)/src/params.c $(srcdir)/src/provenance.c $(srcdir)/src/suggest.c $(srcdir)/src/settings.c $(FUZZ_LIB)
	$(AM_V_GEN)$(FUZZ_LINK) -o $@ $(srcdir)/tests/fuzz/fuzz_assign.c \
	  $(FUZZ_PARAMS) $(FUZZ_LIB) $(FUZZ_FST) -lm

fuzz-build: $(FUZZ_TARGETS)

# -timeout: an input that takes over 10 s is a hang, not a slow case.
fuzz: $(FUZZ_TARGETS)
	@rc=0; for t in $(FUZZ_NAMES); do \
	  run=tests/fuzz/run; $(MKDIR_P) $$run/$$t; \
	  dict=; \
	  case $$t in \
	  netfile) dict=-dict=$(srcdir)/tests/fuzz/netfile.dict ;; \
	  config|assign) dict=-dict=$(srcdir)/tests/fuzz/config.dict ;; \
	  esac; \
	  ./tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -print_final_stats=1 -artifact_prefix=$$run/$$t- $$dict \
	    $(FUZZ_ARGS) $$run/$$t $(srcdir)/tests/fuzz/corpus/$$t \
	    >$$run/$$t.log 2>&1; st=$$?; \
	  execs=`sed -n 's/^stat::number_of_executed_units: *//p' $$run/$$t.log`; \
	  secs=`sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' $$run/$$t.log`; \
	  cov=`grep -o 'cov: [0-9]*' $$run/$$t.log | tail -n 1`; \
	  if [ $$st -eq 0 ]; then \
	    echo "fuzz $$t execs=$${execs:-?} seconds=$${secs:-?} $$cov corpus=`ls $$run/$$t | wc -l`"; \
	  else \
	    echo "fuzz $$t FAILED (exit $$st) after $${execs:-?} execs; log $$run/$$t.log:"; \
	    grep -A 30 -E '^==[0-9]+==|runtime error|ERROR: libFuzzer' $$run/$$t.log | head -n 60; \
	    rc=1; \
	  fi; \
	done; exit $$rc

.PHONY: fuzz fuzz-build fuzz-clean
clean-local: fuzz-clean
fuzz-clean:
	-rm -rf tests/fuzz/obj tests/fuzz/run $(FUZZ_LIB) $(FUZZ_TARGETS)

# ---- make check: replay the seed corpora (normal compiler) -----------------
FUZZ_REPLAY = tests/fuzz/replay_idx tests/fuzz/replay_netfile \
	tests/fuzz/replay_config tests/fuzz/replay_assign
check_PROGRAMS += $(FUZZ_REPLAY)
TESTS += $(FUZZ_REPLAY)
EXTRA_DIST += tests/fuzz/replay.c
FUZZ_REPLAY_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src \
	-I$(top_srcdir)/tests/fuzz
tests_fuzz_replay_idx_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_idx.c
tests_fuzz_replay_idx_CPPFLAGS = $(FUZZ_REPLAY_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/idx"'
tests_fuzz_replay_idx_LDADD = libimcsim.la -lm
tests_fuzz_replay_netfile_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_netfile.c tests/fuzz/fuzz_common.c \
	tests/fuzz/fuzz_common.h
tests_fuzz_replay_netfile_CPPFLAGS = $(FUZZ_REPLAY_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/netfile"'
tests_fuzz_replay_netfile_LDADD = libimcsim.la -lm
tests_fuzz_replay_config_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_config.c tests/fuzz/fuzz_common.c \
	tests/fuzz/fuzz_common.h src/params.c src/provenance.c src/suggest.c src/settings.c
tests_fuzz_replay_config_CPPFLAGS = $(FUZZ_REPLAY_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/config"'
tests_fuzz_replay_config_CFLAGS = $(AM_CFLAGS)
tests_fuzz_replay_config_LDADD = libimcsim.la -lm
tests_fuzz_replay_assign_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_assign.c src/params.c src/provenance.c src/suggest.c src/settings.c
tests_fuzz_replay_assign_CPPFLAGS = $(FUZZ_REPLAY_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/assign"'
tests_fuzz_replay_assign_CFLAGS = $(AM_CFLAGS)
tests_fuzz_replay_assign_LDADD = libimcsim.la -lm
