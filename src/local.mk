# The imcsim command.
bin_PROGRAMS += imcsim
imcsim_SOURCES = src/imcsim.c src/commands.h src/cli.c src/cli.h \
	src/settings.c src/settings.h src/params.c src/params.h \
	src/experiment.c src/experiment.h src/cmd_demo.c src/cmd_train.c \
	src/cmd_chip.c
imcsim_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src \
	-DIMCSIM_DATA_DIR='"$(abs_top_srcdir)/data/cache"'
imcsim_CFLAGS = $(AM_CFLAGS) $(INIH_CFLAGS) $(CJSON_CFLAGS)
imcsim_LDADD = libimcsim.la $(INIH_LIBS) $(CJSON_LIBS) -lm
