# model/chip: one IMC chip (analog macro, calibration FSM, cycle-accurate top).
CHIP_HDRS = model/chip/wldac.h model/chip/array.h model/chip/bitline.h \
	model/chip/comparator.h model/chip/comprow.h model/chip/energy.h \
	model/chip/macro.h model/chip/chip.h
libimcsim_la_SOURCES += model/chip/wldac.c model/chip/array.c \
	model/chip/bitline.c model/chip/comparator.c model/chip/comprow.c \
	model/chip/energy.c model/chip/macro.c model/chip/macro_analysis.c \
	model/chip/chip.c model/chip/chip_trace.c model/chip/chip_internal.h \
	model/chip/sequencer.c model/chip/sram.c model/chip/sequencer.h \
	model/chip/sram.h $(CHIP_HDRS)
chipincludedir = $(pkgincludedir)/chip
# calib.c/.h are built by rtl/local.mk; the header is installed here
# because macro.h includes it.
chipinclude_HEADERS = $(CHIP_HDRS) model/chip/calib.h

if HAVE_CHECK
check_PROGRAMS += tests/test_chip_bitline tests/test_chip_array \
	tests/test_chip_macro tests/test_chip_chip
TESTS += tests/test_chip_bitline tests/test_chip_array tests/test_chip_macro \
	tests/test_chip_chip
endif
tests_test_chip_bitline_CFLAGS = $(TEST_CFLAGS)
tests_test_chip_bitline_LDADD = $(TEST_LDADD)
tests_test_chip_array_CFLAGS = $(TEST_CFLAGS)
tests_test_chip_array_LDADD = $(TEST_LDADD)
tests_test_chip_macro_CFLAGS = $(TEST_CFLAGS)
tests_test_chip_macro_LDADD = $(TEST_LDADD)
tests_test_chip_chip_CFLAGS = $(TEST_CFLAGS)
tests_test_chip_chip_LDADD = $(TEST_LDADD)

# Testbenches (sources and the save files they write: tb/local.mk).
noinst_PROGRAMS += tb/tb_classify tb/tb_calibration tb/tb_column_transfer
tb_tb_classify_LDADD = libimcsim.la -lm
tb_tb_calibration_LDADD = libimcsim.la -lm
tb_tb_column_transfer_LDADD = libimcsim.la -lm
