/*
 * fst_api.c - compiles GTKWave's fstapi.c from where configure found
 * it (config.h: FSTAPI_C); nothing of it is copied into this tree.
 */
#include "config.h"
#define FST_CONFIG_INCLUDE "fst_config.h"
#include FSTAPI_C
