/*
 * fst_fastlz.c - compiles GTKWave's fastlz.c from where configure found
 * it (config.h: FSTAPI_FASTLZ_C); nothing of it is copied into this tree.
 */
#include "config.h"
#define FST_CONFIG_INCLUDE "fst_config.h"
#include FSTAPI_FASTLZ_C
