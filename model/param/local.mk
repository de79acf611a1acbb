# model/param: the parameter registry every block declares its parameters in.
libimcsim_la_SOURCES += model/param/param.c model/param/param.h \
	model/imc_export.h model/imc_err.c model/imc_err.h \
	model/imc_sha256.c model/imc_sha256.h model/imc_bits.h
paramincludedir = $(pkgincludedir)/param
paraminclude_HEADERS = model/param/param.h
pkginclude_HEADERS += model/imc_export.h model/imc_err.h

if HAVE_CHECK
check_PROGRAMS += tests/test_params tests/test_imc_err
TESTS += tests/test_params tests/test_imc_err
endif
tests_test_params_CFLAGS = $(TEST_CFLAGS)
tests_test_params_LDADD = $(TEST_LDADD)
# the error convention (imc_err.h), its thread-locality on two threads
tests_test_imc_err_CFLAGS = $(TEST_CFLAGS) -pthread
tests_test_imc_err_LDADD = $(TEST_LDADD)
tests_test_imc_err_LDFLAGS = $(AM_LDFLAGS) -pthread
