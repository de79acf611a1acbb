# The four-chip system: bus, chips, host.
libimcsim_la_SOURCES += model/system/bus.c model/system/bus.h
systemincludedir = $(pkgincludedir)/system
systeminclude_HEADERS = model/system/bus.h

if HAVE_CHECK
check_PROGRAMS += tests/test_bus
TESTS += tests/test_bus
tests_test_bus_CFLAGS = $(TEST_CFLAGS)
tests_test_bus_LDADD = $(TEST_LDADD)
endif
