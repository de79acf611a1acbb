# Testbenches: programs that drive the model and write VCDs into waves/.
noinst_PROGRAMS += tb/tb_kernel
tb_tb_kernel_SOURCES = tb/tb_kernel.c tb/tb_kernel.h
tb_tb_kernel_LDADD = libimcsim.la -lm
EXTRA_DIST += waves/kernel.gtkw
