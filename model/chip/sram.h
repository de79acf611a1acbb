/*
 * sram.h - the SRAM port of the chip: row write / read, one row per cycle.
 *
 * Contract
 * --------
 * On each rising edge of the chip clock the port samples:
 *   we, addr, wdata  - store wdata (ncol bits) in array row addr;
 *   re, addr         - put row addr on rdata (visible after this edge);
 *   row_we, row_addr, row_data - the calibration FSM's compensation-row
 *                      write: store row_data in compensation row row_addr.
 * Each write or read books its energy in the macro (energy.h). A bad address
 * or stray data bit stops the run with sim_fail(); nothing is dropped.
 */
#ifndef IMCSIM_CHIP_SRAM_H
#define IMCSIM_CHIP_SRAM_H

struct chip;

/* Create the port's process on c's kernel. 0 or a negative sim_err. */
int sram_init(struct chip *c);

#endif /* IMCSIM_CHIP_SRAM_H */
