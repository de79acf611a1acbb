/*
 * fst_lz4.c - compiles GTKWave's lz4.c from where configure found
 * it (config.h: FSTAPI_LZ4_C); nothing of it is copied into this tree.
 */
#include "config.h"
#define FST_CONFIG_INCLUDE "fst_config.h"
#include FSTAPI_LZ4_C
