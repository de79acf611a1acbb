/*
 * imc_export.h - IMC_API marks the library's public functions: the library
 * is built with -fvisibility=hidden, so only what carries IMC_API is
 * exported from the shared object.
 */
#ifndef IMCSIM_IMC_EXPORT_H
#define IMCSIM_IMC_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define IMC_API __attribute__((visibility("default")))
#else
#define IMC_API
#endif

#endif /* IMCSIM_IMC_EXPORT_H */
