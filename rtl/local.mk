# rtl/local.mk - the compensation calibration block: C golden model, its
# Check suite, the Verilog controller and the Verilator co-simulation.
#
#   make check   runs tests/test_calib, and with Verilator the co-simulation
#                (tb/cosim.sh) and its self-test on broken RTL
#                (tb/cosim_bugs.sh)
#   make cosim   builds every Verilated variant and runs a longer
#                co-simulation (COSIM_ARGS overrides the open-loop options,
#                COSIM_CHIPS the closed loop's chip count), then writes the
#                waveforms of one passing calibration: waves/cosim_rtl.vcd,
#                waves/cosim_gold.vcd and waves/cosim.gtkw (build directory)
#
# Lint and synthesis are scripts (rtl/synth.sh), not make targets: yosys
# is optional and a synthesis run takes about a minute.

libimcsim_la_SOURCES += model/chip/calib.c model/chip/calib.h

if HAVE_CHECK
check_PROGRAMS += tests/test_calib
TESTS += tests/test_calib
endif
tests_test_calib_SOURCES = tests/test_calib.c
tests_test_calib_CFLAGS = $(TEST_CFLAGS)
tests_test_calib_LDADD = $(TEST_LDADD)

EXTRA_DIST += rtl/comp_ctrl.v rtl/synth.sh doc/rtl.md \
	tb/cosim.h tb/cosim_main.cpp tb/cosim_rtl.cpp tb/cosim_closed.cpp \
	tb/cosim_env.cpp tb/cosim_env.h tb/cosim_vcd.cpp tb/cosim_vcd.h \
	tb/cosim.sh tb/cosim_bugs.sh

# ---- Verilator co-simulation ----------------------------------------------
# One Verilated model + harness per (NCOL, NROW, BUG) in its own folder
# under tb/obj_dir: Verilator writes the C++ and a makefile there, and a
# plain inner make compiles it (MAKEFLAGS cleared, so command-line variables
# of ours never reach Verilator's makefile). Paths are absolute because that
# make runs in the folder.
# The default variant is built first; the others copy its Verilator runtime
# objects (and, at the same shape, the harness objects that do not see the
# model's internals) after Verilator has written their makefile, so the
# inner make finds them up to date: a variant costs seconds, not a minute.
# The broken variants only have to run until their first mismatch: -O0.
COSIM_OBJ = tb/obj_dir
COSIM_VARIANTS = $(COSIM_OBJ)/cosim/cosim $(COSIM_OBJ)/shape/cosim
COSIM_BUGS = $(COSIM_OBJ)/bug1/cosim $(COSIM_OBJ)/bug2/cosim \
	$(COSIM_OBJ)/bug3/cosim $(COSIM_OBJ)/bug4/cosim \
	$(COSIM_OBJ)/bug5/cosim $(COSIM_OBJ)/bug6/cosim \
	$(COSIM_OBJ)/bug7/cosim $(COSIM_OBJ)/bug8/cosim \
	$(COSIM_OBJ)/bug9/cosim $(COSIM_OBJ)/bug10/cosim \
	$(COSIM_OBJ)/bug11/cosim
COSIM_DEPS = $(srcdir)/rtl/comp_ctrl.v $(srcdir)/tb/cosim.h \
	$(srcdir)/tb/cosim_main.cpp $(srcdir)/tb/cosim_rtl.cpp \
	$(srcdir)/tb/cosim_closed.cpp \
	$(srcdir)/tb/cosim_env.cpp $(srcdir)/tb/cosim_env.h \
	$(srcdir)/tb/cosim_vcd.cpp $(srcdir)/tb/cosim_vcd.h \
	$(srcdir)/model/chip/calib.h libimcsim.la
COSIM_CXXFLAGS = -O2 -ffp-contract=off -Wall -Wextra -I$(abs_top_srcdir)/model \
	-I$(abs_top_srcdir)/tb
COSIM_VERILATE = $(VERILATOR) --cc --exe --trace \
	-Wall -O3 --x-assign fast --x-initial fast --top-module comp_ctrl \
	--Mdir $(@D) -o cosim $(abs_top_srcdir)/rtl/comp_ctrl.v \
	$(abs_top_srcdir)/tb/cosim_main.cpp $(abs_top_srcdir)/tb/cosim_rtl.cpp \
	$(abs_top_srcdir)/tb/cosim_closed.cpp $(abs_top_srcdir)/tb/cosim_env.cpp \
	$(abs_top_srcdir)/tb/cosim_vcd.cpp $(abs_top_builddir)/.libs/libimcsim.a \
	-LDFLAGS "$(LDFLAGS) -lm $(FST_LIBS)"
COSIM_MAKE = MAKEFLAGS= MFLAGS= $(MAKE) -C $(@D) -f Vcomp_ctrl.mk
COSIM_LOG = >$(@D)/build.log 2>&1 || { cat $(@D)/build.log; exit 1; }
COSIM_DEFAULT = -CFLAGS "$(COSIM_CXXFLAGS) -DCOSIM_NCOL=128 -DCOSIM_NROW=32"
COSIM_RUNTIME = $(COSIM_OBJ)/cosim/verilated*.o
COSIM_O0 = OPT_FAST=-O0 OPT_SLOW=-O0
COSIM_SHARED = $(COSIM_RUNTIME) $(COSIM_OBJ)/cosim/cosim_main.o \
	$(COSIM_OBJ)/cosim/cosim_closed.o $(COSIM_OBJ)/cosim/cosim_env.o \
	$(COSIM_OBJ)/cosim/cosim_vcd.o

CLEANFILES += waves/cosim*.vcd waves/cosim*.gtkw waves/calib_state.filter

if HAVE_VERILATOR
check_DATA = $(COSIM_VARIANTS) $(COSIM_BUGS)
TESTS += tb/cosim.sh tb/cosim_bugs.sh

$(COSIM_OBJ)/cosim/cosim: $(COSIM_DEPS)
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { $(COSIM_VERILATE) $(COSIM_DEFAULT) && \
	  $(COSIM_MAKE); } $(COSIM_LOG)
# An odd shape: NCOL not a power of two (cnt_sel past the last column),
# NROW = 64 (five steps, a 64-bit dirty set).
$(COSIM_OBJ)/shape/cosim: $(COSIM_DEPS) $(COSIM_OBJ)/cosim/cosim
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { $(COSIM_VERILATE) -GNCOL=70 -GNROW=64 \
	  -CFLAGS "$(COSIM_CXXFLAGS) -DCOSIM_NCOL=70 -DCOSIM_NROW=64" && \
	  cp $(COSIM_RUNTIME) $(@D)/ && $(COSIM_MAKE); } $(COSIM_LOG)
$(COSIM_OBJ)/bug1/cosim: $(COSIM_DEPS) $(COSIM_OBJ)/cosim/cosim
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { $(COSIM_VERILATE) -GBUG=1 $(COSIM_DEFAULT) && \
	  cp $(COSIM_SHARED) $(@D)/ && $(COSIM_MAKE) $(COSIM_O0); } $(COSIM_LOG)
$(COSIM_OBJ)/bug2/cosim: $(COSIM_DEPS) $(COSIM_OBJ)/cosim/cosim
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { $(COSIM_VERILATE) -GBUG=2 $(COSIM_DEFAULT) && \
	  cp $(COSIM_SHARED) $(@D)/ && $(COSIM_MAKE) $(COSIM_O0); } $(COSIM_LOG)
$(COSIM_OBJ)/bug3/cosim: $(COSIM_DEPS) $(COSIM_OBJ)/cosim/cosim
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { $(COSIM_VERILATE) -GBUG=3 $(COSIM_DEFAULT) && \
	  cp $(COSIM_SHARED) $(@D)/ && $(COSIM_MAKE) $(COSIM_O0); } $(COSIM_LOG)
$(COSIM_OBJ)/bug4/cosim: $(COSIM_DEPS) $(COSIM_OBJ)/cosim/cosim
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { $(COSIM_VERILATE) -GBUG=4 $(COSIM_DEFAULT) && \
	  cp $(COSIM_SHARED) $(@D)/ && $(COSIM_MAKE) $(COSIM_O0); } $(COSIM_LOG)
$(COSIM_OBJ)/bug5/cosim: $(COSIM_DEPS) $(COSIM_OBJ)/cosim/cosim
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { $(COSIM_VERILATE) -GBUG=5 $(COSIM_DEFAULT) && \
	  cp $(COSIM_SHARED) $(@D)/ && $(COSIM_MAKE) $(COSIM_O0); } $(COSIM_LOG)
$(COSIM_OBJ)/bug6/cosim: $(COSIM_DEPS) $(COSIM_OBJ)/cosim/cosim
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { $(COSIM_VERILATE) -GBUG=6 $(COSIM_DEFAULT) && \
	  cp $(COSIM_SHARED) $(@D)/ && $(COSIM_MAKE) $(COSIM_O0); } $(COSIM_LOG)
$(COSIM_OBJ)/bug7/cosim: $(COSIM_DEPS) $(COSIM_OBJ)/cosim/cosim
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { $(COSIM_VERILATE) -GBUG=7 $(COSIM_DEFAULT) && \
	  cp $(COSIM_SHARED) $(@D)/ && $(COSIM_MAKE) $(COSIM_O0); } $(COSIM_LOG)
$(COSIM_OBJ)/bug8/cosim: $(COSIM_DEPS) $(COSIM_OBJ)/cosim/cosim
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { $(COSIM_VERILATE) -GBUG=8 $(COSIM_DEFAULT) && \
	  cp $(COSIM_SHARED) $(@D)/ && $(COSIM_MAKE) $(COSIM_O0); } $(COSIM_LOG)
$(COSIM_OBJ)/bug9/cosim: $(COSIM_DEPS) $(COSIM_OBJ)/cosim/cosim
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { $(COSIM_VERILATE) -GBUG=9 $(COSIM_DEFAULT) && \
	  cp $(COSIM_SHARED) $(@D)/ && $(COSIM_MAKE) $(COSIM_O0); } $(COSIM_LOG)
$(COSIM_OBJ)/bug10/cosim: $(COSIM_DEPS) $(COSIM_OBJ)/cosim/cosim
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { $(COSIM_VERILATE) -GBUG=10 $(COSIM_DEFAULT) && \
	  cp $(COSIM_SHARED) $(@D)/ && $(COSIM_MAKE) $(COSIM_O0); } $(COSIM_LOG)
$(COSIM_OBJ)/bug11/cosim: $(COSIM_DEPS) $(COSIM_OBJ)/cosim/cosim
	$(AM_V_GEN)$(MKDIR_P) $(@D) && { $(COSIM_VERILATE) -GBUG=11 $(COSIM_DEFAULT) && \
	  cp $(COSIM_SHARED) $(@D)/ && $(COSIM_MAKE) $(COSIM_O0); } $(COSIM_LOG)

cosim: $(COSIM_VARIANTS) $(COSIM_BUGS)
	COSIM_ARGS="$${COSIM_ARGS:---runs 8 --cycles 100000}" \
	  COSIM_CHIPS="$${COSIM_CHIPS:-500}" $(SHELL) $(srcdir)/tb/cosim.sh
	$(SHELL) $(srcdir)/tb/cosim_bugs.sh
	@# waveforms of one passing calibration (doc/rtl.md, doc/waveforms.md)
	$(MKDIR_P) waves && $(COSIM_OBJ)/cosim/cosim --waves waves/cosim \
	  --dump 300
else
cosim:
	@echo "make cosim: Verilator was not found by configure;" \
	  "install it (apt-get install verilator) and re-run configure." >&2
	@exit 1
endif
.PHONY: cosim

clean-local: rtl-clean-cosim
rtl-clean-cosim:
	-rm -rf $(COSIM_OBJ)
.PHONY: rtl-clean-cosim
