/* tb_kernel.h - the kernel testbench as a function, so the CLI can run it:
 * simulates `cycles` 50 MHz cycles and writes the VCD to path and its
 * GTKWave save file beside it (sim_gtkw_path_for). Returns 0,
 * or 1 after printing the kernel's error to stderr. */
#ifndef IMCSIM_TB_KERNEL_H
#define IMCSIM_TB_KERNEL_H
int tb_kernel_run(const char *path, long cycles);
#endif
