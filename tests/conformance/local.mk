# The SystemC conformance suite (tests/conformance/run.sh): each scenario
# once on imcsim (conf_imcsim.c) and once on SystemC 2.3.4
# (conf_systemc.cpp), traces compared per (time, delta). Without SystemC
# the C side is still built and the suite reports SKIP.
check_PROGRAMS += tests/conformance/conf_imcsim
tests_conformance_conf_imcsim_SOURCES = tests/conformance/conf_imcsim.c
tests_conformance_conf_imcsim_LDADD = libimcsim.la -lm
if HAVE_SYSTEMC
check_PROGRAMS += tests/conformance/conf_systemc
tests_conformance_conf_systemc_SOURCES = tests/conformance/conf_systemc.cpp
tests_conformance_conf_systemc_CXXFLAGS = $(WARN_CXXFLAGS) $(SYSTEMC_CFLAGS)
tests_conformance_conf_systemc_LDADD = $(SYSTEMC_LIBS)
endif
TESTS += tests/conformance/run.sh
EXTRA_DIST += tests/conformance/run.sh
