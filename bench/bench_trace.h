/*
 * bench_trace.h - the trace side of bench_kernel's pipeline scenarios.
 *
 * bench_check_pipeline_vcd() reads a pipeline_vcd file back, after the
 * timed region, and checks every value line against the values the ring
 * must hold at that time step, so a traced run counts only if it wrote the
 * complete, correct file. bench_write_floor() times plain write(2) of as
 * many bytes in 1 MB blocks into the same directory: the kernel's cost of
 * taking that much data into the page cache, which any trace writer pays
 * on top of its own work.
 */
#ifndef IMCSIM_BENCH_TRACE_H
#define IMCSIM_BENCH_TRACE_H

#include "bench_common.h"

/* 0 if path is the VCD of `regs` registers "top.q<i>" over `cycles`
 * posedges of the pipeline (bench_pipe_init/bench_pipe_expect), with the
 * number of value lines (initial values included) in *changes; else 1,
 * with the first difference on stderr. */
int bench_check_pipeline_vcd(const char *path, unsigned regs, unsigned cycles,
			     long long *changes);

/* Write `bytes` bytes to path in 1 MB write(2) calls, close, and time it
 * (opening and unlinking untimed); 0 or 1 with the error on stderr. */
int bench_write_floor(const char *path, long long bytes, bench_timer_t *tm);

#endif /* IMCSIM_BENCH_TRACE_H */
