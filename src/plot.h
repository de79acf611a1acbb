/*
 * plot.h - the data behind the figures of `imcsim plot`, computed from the
 * model and nothing else (no files, no gnuplot, no printing).
 *
 * Contract
 * --------
 *   plot_transfer()    one column's V(BL) - V(BLB) at the strobe against the
 *                      ideal dot product D, swept from -max to +max, for
 *                      ideal cells and for the given (non-ideal) cells;
 *                      transaction-level compares on a fresh macro with the
 *                      compensation wordline off, as tb/tb_column_transfer
 *                      does on the cycle-accurate chip.
 *   plot_calib_trace() macro_calibrate() observed (macro_calibrate_observed):
 *                      every column's count at the start and after each
 *                      search step (WAIT -> WRITE), and the noise-free
 *                      effective offset of each snapshot
 *                      (macro_offset_counts_v). Its last counts are
 *                      macro_calibrate()'s for the same macro.
 *   plot_energy()      energy per classification of a deployed, calibrated
 *                      TLM system, by kind and by layer chip, read from the
 *                      chips' energy counters after n images (reset after
 *                      deployment, so weight writes and calibration are out),
 *                      the chips calibrated at the operating points of the
 *                      training split (sys_deploy_data), as every command
 *                      deploys.
 * Each is a pure function of its arguments. 0, or -1 with a message.
 * plot_json() adds everything a plot_data_t holds to a JSON object, under
 * column_transfer, calibration, accuracy_vs_offset and energy.
 */
#ifndef IMCSIM_PLOT_H
#define IMCSIM_PLOT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bnn/bnn.h"
#include "bnn/dataset.h"
#include "chip/macro.h"
#include "system/system.h"

/* ---- column transfer ---------------------------------------------------- */

#define PLOT_TRANSFER_MAX 4096 /* points of one sweep */

typedef struct plot_transfer {
	unsigned n;		  /* points */
	unsigned col;		  /* the column (0) */
	int d[PLOT_TRANSFER_MAX]; /* ideal dot product sum w*x, LSB */
	double v_ideal_v[PLOT_TRANSFER_MAX]; /* ideal cells */
	double v_real_v[PLOT_TRANSFER_MAX];  /* the given non-idealities */
	int d_max;			     /* ndata/2 * code_max */
	double g0_v; /* small-signal tangent, V per LSB */
	/* smallest |D| where the ideal curve leaves the tangent by more
	 * than 1 LSB (g0) / by more than 10 % (0: never) */
	int tan_1lsb, tan_10pct;
	/* least-squares lines v = gain * d + off: [0] ideal, [1] non-ideal */
	double fit_gain_v[2], fit_off_v[2];
	double fit_err_max_v[2]; /* largest |v - line| */
	int fit_err_at[2];	 /* the D where it is */
} plot_transfer_t;

/* Sweep npts (2..PLOT_TRANSFER_MAX, at most 2 * d_max + 1) evenly spaced
 * dot products on chip 0 of seed. Column 0 stores +1 in the first ndata/2
 * rows and -1 in the others; D < 0 fills the -1 rows at full code one
 * after the other, D > 0 the +1 rows, so one line stays at the precharge
 * level and the other falls as far as D takes it. */
int plot_transfer(const macro_params_t *p, uint64_t seed, unsigned npts,
		  plot_transfer_t *t);

/* ---- calibration convergence -------------------------------------------- */

#define PLOT_CAL_MAX_SNAP 8 /* start + up to 5 search steps (nrow 64) */

typedef struct plot_calib {
	unsigned ncol, nrow;
	unsigned nsnap; /* 1 + search compares (6 by default: 8, 4, 2, 1, half) */
	unsigned step[PLOT_CAL_MAX_SNAP]; /* step applied before the snapshot
					   * (0 for the start) */
	unsigned half_snap; /* the snapshot after the final half step, whose
			     * move is 0 or +1 (0: none) */
	uint8_t n[PLOT_CAL_MAX_SNAP][CALIB_MAX_COL];	/* counts */
	double off_v[PLOT_CAL_MAX_SNAP][CALIB_MAX_COL]; /* effective offset */
	double step_v;	 /* nominal compensation step */
	uint64_t cycles; /* start edge to the edge into DONE */
} plot_calib_t;

/* Calibrate chip `chip` of seed with the compare latency lat_cycles. */
int plot_calib_trace(const macro_params_t *p, uint64_t seed, unsigned chip,
		     unsigned lat_cycles, plot_calib_t *pc);
/* Rms over columns of the effective offset at snapshot s. */
double plot_calib_rms_v(const plot_calib_t *pc, unsigned s);

/* ---- energy breakdown --------------------------------------------------- */

enum plot_ekind { PLOT_E_RESTORE, PLOT_E_WLDAC, PLOT_E_CMP, PLOT_NEKIND };

typedef struct plot_energy {
	unsigned images;
	unsigned chip[SYS_NLAYER];		 /* chip of each layer */
	double layer_j[SYS_NLAYER][PLOT_NEKIND]; /* per classification */
	double bus_j;	       /* the four buses, per class. */
	double total_j;	       /* sum of the above */
	double result_total_j; /* mean sys_result_t.energy_j: the same sum */
	double accuracy;       /* of the n images, for the record */
	unsigned cal_pre[SYS_NLAYER]; /* each layer chip's calibration point */
	double cal_pre_v[SYS_NLAYER]; /* its calibration precharge level */
} plot_energy_t;

/* Deploy net (normalizers uniform over its code range) on a calibrated TLM
 * system of p, the chips calibrated at the operating points of op (the
 * training split the net was trained on; NULL: layer 0 at idle), and
 * classify the first n images of test (n <= test->n). */
int plot_energy(const sys_params_t *p, const struct bnn_net *net,
		const struct bnn_dataset *test, const struct bnn_dataset *op,
		unsigned n, plot_energy_t *e);

/* ---- all four figures ----------------------------------------------------- */

#define PLOT_MAX_SIGMAS 32

/* What the four figures are drawn from (filled by the command). */
typedef struct plot_data {
	plot_transfer_t tr;
	plot_calib_t cal;
	bool cal_matches; /* final counts == macro_calibrate()'s */
	unsigned nsig;
	double sig_v[PLOT_MAX_SIGMAS];
	double acc[PLOT_MAX_SIGMAS][2], acc_min[PLOT_MAX_SIGMAS][2],
		acc_max[PLOT_MAX_SIGMAS][2]; /* [.][0] naive, [.][1] calibrated */
	double acc_ideal;		     /* the same net in software */
	unsigned ntest, nseeds; /* test images; chip seeds seed.. */
	uint64_t seed;		/* chip seed of figures 1, 2 and 4 */
	plot_energy_t en;
} plot_data_t;

/* Add d to root (seed: the first chip seed of the accuracy sweep). */
void plot_json(cJSON *root, const plot_data_t *d, uint64_t seed);

#endif /* IMCSIM_PLOT_H */
