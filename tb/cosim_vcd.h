/*
 * cosim_vcd.h - a minimal VCD (IEEE 1364) writer for the golden-model side
 * of the co-simulation.
 *
 * Contract
 * --------
 * The co-simulation writes the C model's signals under the same hierarchical
 * names as Verilator's trace of rtl/comp_ctrl.v, so one GTKWave save file
 * (waves/cosim.gtkw) opens either dump. This writer does only what that
 * needs: nested scopes, wire variables of any width (a variable may be
 * declared in several scopes under one identifier, as Verilator does for
 * ports), value changes stored as little-endian 64-bit words, and dumps
 * that write only what changed (no empty timestamps). Everything is
 * buffered in memory by stdio and written on close. Errors come back as
 * return values; nothing is printed.
 */
#ifndef IMCSIM_COSIM_VCD_H
#define IMCSIM_COSIM_VCD_H

#include <stdint.h>

typedef struct cvcd cvcd_t;

/* Create the file; timescale e.g. "1ps". NULL on failure. */
cvcd_t *cvcd_open(const char *path, const char *timescale);

/* Enter / leave a scope (module). */
void cvcd_scope(cvcd_t *v, const char *name);
void cvcd_upscope(cvcd_t *v);

/* Declare a variable of width bits in the current scope; returns its
 * handle (>= 0) or -1. */
int cvcd_var(cvcd_t *v, const char *name, unsigned width);

/* Declare an existing variable again in the current scope (same id). */
void cvcd_alias(cvcd_t *v, int var, const char *name);

/* End the header; no declarations after this. */
void cvcd_enddefs(cvcd_t *v);

/* Set a value: bits LSB first in 64-bit words / a scalar up to 64 bits. */
void cvcd_set(cvcd_t *v, int var, const uint64_t *words);
void cvcd_set_u(cvcd_t *v, int var, uint64_t value);

/* Write every value changed since the last dump at time t (all values on
 * the first dump). t must not go backwards. */
void cvcd_dump(cvcd_t *v, uint64_t t);

/* On close, also write the GTKWave save file gtkw_path for the dump
 * dump_path (same directory; the RTL's dump, whose names these are), made
 * from the variables declared here (cosim_vcd.cpp lists which it shows:
 * a listed name that was not declared makes the close fail, so the save
 * file cannot go stale). It opens on the calibration (first rise of start
 * to the first of done, else the whole dump), markers at start, each
 * cmp_valid and done. */
void cvcd_save_file(cvcd_t *v, const char *gtkw_path, const char *dump_path);

/* Flush and close (and write the save file); returns 0 or -1 if any write
 * failed, with the reason printed on stderr for the save file. Frees v. */
int cvcd_close(cvcd_t *v);

#endif /* IMCSIM_COSIM_VCD_H */
