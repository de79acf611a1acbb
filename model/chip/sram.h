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
 *
 * An edge that samples no request does nothing, so after one the port
 * sleeps (no activation per edge) until a requester notifies the chip's
 * ev_sram_req in the delta it raises we, re or row_we; the port then runs
 * from the next edge on, exactly as if it had run at every edge.
 */
#ifndef IMCSIM_CHIP_SRAM_H
#define IMCSIM_CHIP_SRAM_H

struct chip;

/* Create the port's process on c's kernel. 0 or a negative sim_err. */
int sram_init(struct chip *c);

#endif /* IMCSIM_CHIP_SRAM_H */
