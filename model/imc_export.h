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

/* Every installed header puts its declarations between IMC_BEGIN_DECLS and
 * IMC_END_DECLS: C linkage for C++ callers, and default visibility for
 * everything declared there (functions of internal headers stay hidden). */
#ifdef __cplusplus
#define IMC_BEGIN_DECLS                                    \
	_Pragma("GCC visibility push(default)") extern "C" \
	{
#define IMC_END_DECLS \
	}             \
	_Pragma("GCC visibility pop")
#else
#define IMC_BEGIN_DECLS _Pragma("GCC visibility push(default)")
#define IMC_END_DECLS _Pragma("GCC visibility pop")
#endif

#endif /* IMCSIM_IMC_EXPORT_H */
