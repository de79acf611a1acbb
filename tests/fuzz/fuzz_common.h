/*
 * fuzz_common.h - helpers shared by the libFuzzer targets in tests/fuzz/.
 *
 * Contract: every target defines LLVMFuzzerTestOneInput, prints nothing in
 * the hot path (a finding is reported by the sanitizers or by abort()), and
 * frees everything it allocates, so LeakSanitizer findings are real.
 * fuzz_memfd_path() gives a file name for parsers that only take a path:
 * one anonymous in-memory file per process, rewritten for each input, so no
 * file is ever created on disk.
 */
#ifndef IMCSIM_FUZZ_COMMON_H
#define IMCSIM_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* Replace the memfd's contents with data; returns its /proc/self/fd path,
 * or aborts (a fuzzing harness has no one to report an error to). */
const char *fuzz_memfd_path(const uint8_t *data, size_t size);

#endif /* IMCSIM_FUZZ_COMMON_H */
