# The imcsim command.
bin_PROGRAMS += imcsim
imcsim_SOURCES = src/imcsim.c tb/tb_kernel.c tb/tb_kernel.h
imcsim_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tb -DTB_KERNEL_NO_MAIN
imcsim_LDADD = libimcsim.la -lm
