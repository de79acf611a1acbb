libimcsim_la_SOURCES += model/kernel/sim.c model/kernel/sim_internal.h \
	model/kernel/signal.c model/kernel/vcd.c model/kernel/rng.c
kernelincludedir = $(pkgincludedir)/kernel
kernelinclude_HEADERS = model/kernel/sim.h model/kernel/rng.h
