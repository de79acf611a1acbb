/*
 * system.h - the four-chip IMC system: host, inter-chip buses, one chip per
 * network layer, normalizers between layers and the readout, at two
 * abstraction levels that give bit-identical results.
 *
 * Contract
 * --------
 * Structure (default mapping; layer_chip[] changes it):
 *
 *   host -bus0-> chip0 (layer 0) -norm-bus1-> chip1 (layer 1) -norm-bus2->
 *        chip2 (layer 2) -readout-bus3-> host;  chip3 calibrated and idle.
 *
 * Bus k (bus.h) carries the input vector of layer k (k < 3: n_in 5-bit
 * codes) or, for k = 3, the nclass scores of the readout, one 5-bit word
 * each. Every inference runs with the compensation wordline on.
 *
 * SYS_CYCLE_ACCURATE: everything is on one sim_t with one shared clock
 * (chip period, default 50 MHz). A bus's sink queues a classify on its
 * layer's chip (chip.h); the chip's result callback normalizes the
 * decisions and sends them over the next bus (the last layer's chip sends
 * its readout scores to the host). Images of a batch stream back to back
 * and pipeline through the chips. Chips are built before buses, so on an
 * edge where a bus delivers a vector the chip's sequencer has already
 * sampled its queue: the classify starts on the next edge (registered
 * hand-off, see doc/system.md for the timing).
 *
 * SYS_TLM: the same operations on the same analog macros (macro.h) without
 * the kernel: row writes, macro_calibrate() with the chip's compare latency
 * and macro_compare() per layer. Because each chip's noise is keyed by its
 * own operation index and each chip sees the same sequence of operations,
 * per-layer decisions, scores and energies are bit-identical to the
 * cycle-accurate path for the same parameters, seed, net and images. Only
 * the cycle counts are missing.
 *
 * Host flow (both levels): sys_new -> sys_load_net -> sys_calibrate ->
 * sys_infer* (sys_load_net may be called again at any time, e.g. by
 * training; sys_calibrate again re-runs the FSMs). Weights and compensation
 * rows go through each chip's SRAM write port, one row per cycle; the four
 * calibrations run in parallel.
 *
 * Thresholds: column j of layer l gets n = n_c + thr[j] compensation cells
 * at 1, n_c from its calibration. n outside 0..nrow is clamped to the range
 * and the column counted in sys_stats()->comp_saturated[l] (and in the
 * return value of sys_load_net / sys_calibrate, which is the number of
 * saturated columns, >= 0). sys_thr_range() gives the realizable range so a
 * trainer can keep its thresholds inside it.
 *
 * Energy of an inference: the compare energy of each layer's chip (bitline
 * restore, WLDAC, comparators: energy.h) plus the bus toggle energy of its
 * four bus vectors (bus.h). Cycles (cycle-accurate only): from the host
 * queuing the image to the edge delivering its last score word.
 *
 * Errors: negative SYS_E* codes with the message in imc_last_error()
 * (imc_err.h); a sys_t also keeps its last one in sys_error(). Nothing is
 * printed. A sys_t is single-threaded; independent sys_t may run in
 * parallel threads.
 */
#ifndef IMCSIM_SYSTEM_SYSTEM_H
#define IMCSIM_SYSTEM_SYSTEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chip/chip.h"
#include "system/bus.h"
#include "system/normalizer.h"
#include "system/readout.h"
#include "system/sysnet.h"

#include "imc_err.h"
#include "imc_export.h"

IMC_BEGIN_DECLS

#define SYS_MAX_CHIPS 8
#define SYS_NBUS (SYS_NLAYER + 1)

enum sys_err {
	SYS_OK = 0,
	SYS_EARG = IMC_EINVAL,	 /* bad parameter or argument */
	SYS_ENOMEM = IMC_ENOMEM, /* allocation failed */
	SYS_ESTATE =
		IMC_ESTATE,  /* call not allowed now (no net, not calibrated) */
	SYS_ESIM = IMC_ESIM, /* the kernel or a chip failed */
	SYS_ETIME =
		IMC_ETIMEOUT, /* the cycle-accurate run did not finish in time */
};

typedef enum sys_level {
	SYS_CYCLE_ACCURATE = 0,
	SYS_TLM = 1,
} sys_level_t;

/* The system's parameters, declared once (param.h): one block "system"
 * made of the two lists (the layer map is also an array, layer_chip[]). */
#define SYS_PARAMS(X, S)                                           \
	X(S, nchips, UINT, "", 4, SYS_NLAYER, SYS_MAX_CHIPS,       \
	  "chips in the system (one per layer, the rest idle)",    \
	  "published: four-chip system (Zhang, Wang, Verma 2017)") \
	X(S, seed, U64, "", 1, 0, 18446744073709551615.0,          \
	  "first chip seed (the chips' random draws)", "choice")   \
	X(S, max_cycles_per_image, U64, "", 100000, 100, 1e12,     \
	  "cycle-accurate guard: cycles one inference may take",   \
	  "choice: about 200x the default latency")
#define SYS_MAP_PARAMS(X, S)                                 \
	X(S, layer0_chip, UINT, "", 0, 0, SYS_MAX_CHIPS - 1, \
	  "chip of layer 0", "published: layer l on chip l") \
	X(S, layer1_chip, UINT, "", 1, 0, SYS_MAX_CHIPS - 1, \
	  "chip of layer 1", "published: layer l on chip l") \
	X(S, layer2_chip, UINT, "", 2, 0, SYS_MAX_CHIPS - 1, \
	  "chip of the output layer", "published: layer l on chip l")

typedef struct sys_params {
	chip_params_t chip; /* every chip (chip_params_default) */
	SYS_PARAMS(IMC_PARAM_FIELD, _)
	union { /* chip of each layer, by name or by index */
		struct {
			SYS_MAP_PARAMS(IMC_PARAM_FIELD, _)
		};
		unsigned layer_chip[SYS_NLAYER];
	};
	bus_params_t bus; /* all buses; the system sets bus id = k */
	normalizer_params_t norm[SYS_NLAYER - 1]; /* levels after layer l
						  * (default 0 / 31) */
	readout_params_t readout;		  /* 10 classes x 9 columns */
} sys_params_t;

/* One inference. */
typedef struct sys_result {
	uint64_t dec[SYS_NLAYER][SYS_NWORD]; /* layer l, bit j: neuron j +1
					      * (only n_out bits) */
	unsigned score[READOUT_MAX_CLASS];   /* class scores (votes) */
	unsigned pred;			     /* argmax, ties to lowest */
	double e_chip_j[SYS_NLAYER]; /* compare energy of each layer's chip */
	uint64_t bus_toggles;	     /* line toggles on the four buses */
	double e_bus_j;		     /* bus_toggles * bus.e_bit_j */
	double energy_j;	     /* sum of the above */
	uint64_t cycles;	     /* cycle-accurate latency; 0 for TLM */
} sys_result_t;

typedef struct sys_stats {
	uint64_t calib_cycles[SYS_MAX_CHIPS]; /* last calibration per chip */
	unsigned comp_saturated[SYS_NLAYER];  /* clamped columns, last write */
	uint64_t images;		      /* inferences run */
	uint64_t setup_cycles; /* cycle-accurate: load + calibration cycles */
	uint64_t infer_cycles; /* cycle-accurate: cycles of inference batches */
	uint64_t stall_cycles; /* cycle-accurate: bus back-pressure cycles */
	double energy_j;       /* sum of the inferences' energy */
} sys_stats_t;

typedef struct sys sys_t;

#define SYS_SECTION "system"
extern IMC_API const imc_param_block_t sys_param_block;

/* Fill *p with the defaults above. */
void sys_params_default(sys_params_t *p);
/* The compensation step in data-code units, derived from the currents:
 * one compensation row moved from BLB to BL changes the differential
 * current by 2 * comp.i_comp_a, a data code by wldac.i_fs_a / code_max;
 * rounded to the nearest integer (the trainer's bias step). */
unsigned sys_comp_step_codes(const sys_params_t *p);
/* 0 if usable, else SYS_EARG with a message (e.g. two layers on one chip,
 * a chip index out of range, readout wider than a chip). */
int sys_params_check(const sys_params_t *p);

/* Build a system. NULL on error with the code in *err (may be NULL) and
 * the message in imc_last_error(). */
sys_t *sys_new(const sys_params_t *p, sys_level_t level, int *err);
void sys_free(sys_t *s);
const char *sys_error(const sys_t *s);
sys_level_t sys_level(const sys_t *s);
const sys_params_t *sys_params(const sys_t *s);

/* Set the hidden layers' normalizers of *p to span the code range a
 * trained network (bnn/bnn.h) expects (normalizer_params_uniform). */
struct bnn_net;
void sys_params_fit_net(sys_params_t *p, const struct bnn_net *net);
/* The whole host flow for a trained network: a system of p at level fitted
 * to the net (sys_params_fit_net), the net loaded and the chips calibrated
 * (calibrate != 0) or deployed at the FSM's starting counts
 * (sys_skip_calibration). *saturated (may be NULL) receives the number of
 * saturated threshold columns. NULL with a message on error. */
sys_t *sys_deploy(const sys_params_t *p, sys_level_t level,
		  const struct bnn_net *net, int calibrate,
		  unsigned *saturated);
/* sys_deploy() with the data the net will see: before calibrating, each
 * chip's calibration operating point is set from its layer's mean input
 * (sys_set_operating_points). n = 0 (codes NULL) is sys_deploy(). */
sys_t *sys_deploy_data(const sys_params_t *p, sys_level_t level,
		       const struct bnn_net *net, int calibrate, size_t n,
		       const uint8_t *codes, unsigned *saturated);
/* Set the calibration operating point of each layer's chip
 * (macro_set_cal_point) to the precharge code whose calibration compare
 * ends at the layer's nominal common mode (macro_nominal_cm_v) for its
 * mean input: layer 0 the mean of n images' codes (n x 96; at most the
 * first 2000 are used), a hidden layer's input i the mean of the previous
 * layer's level lo_i / hi_i weighted by how often the ideal net's neuron i
 * fires on those images (1/2 each without data). Without data layer 0
 * stays at idle (code 0: lines from VDD). Call after sys_load_net and
 * before sys_calibrate. 0, or -1 with a message. */
int sys_set_operating_points(sys_t *s, const struct bnn_net *net, size_t n,
			     const uint8_t *codes);
/* Decisions strobed so far on layer's chip with the lines' common mode
 * below the comparator's input range (macro_t.n_cm_low: calibration and
 * inference compares alike); 0 for a bad layer. */
uint64_t sys_cm_low(sys_t *s, unsigned layer);

/* Cycle-accurate only, before anything has run: trace the clock, buses and
 * chips (with their chip.trace_col analog nodes) to a VCD under "top". */
int sys_trace_open(sys_t *s, const char *vcd_path);
/* The same, and the buses and chips into the save file g (may be NULL),
 * one group per block. */
int sys_trace_open_view(sys_t *s, const char *vcd_path, sim_gtkw_t *g);

/* Write every layer's weights (and, once calibrated, its thresholds) into
 * its chip. Returns the number of saturated threshold columns (>= 0) or a
 * negative error. */
int sys_load_net(sys_t *s, const sys_net_t *net);
/* The same for one layer (training updates one layer at a time). */
int sys_load_layer(sys_t *s, unsigned layer, const sys_layer_t *L);
/* Calibrate all chips (in parallel), then write the thresholds of a loaded
 * net. Returns the number of saturated columns (>= 0) or an error. */
int sys_calibrate(sys_t *s);
/* Deploy without offset calibration: every column's count is the FSM's
 * starting point nrow/2 (what the chip holds if calibration never ran),
 * thresholds written relative to it. Same return as sys_calibrate. */
int sys_skip_calibration(sys_t *s);
/* Calibrated count n_c of a chip's column. */
unsigned sys_comp_count(const sys_t *s, unsigned chip, unsigned col);
/* Realizable thresholds of column col of layer l: t_min = -n_c,
 * t_max = nrow - n_c. SYS_ESTATE before calibration. */
int sys_thr_range(const sys_t *s, unsigned layer, unsigned col, int *t_min,
		  int *t_max);

/* One inference of n_in(layer 0) input codes (each <= 31), either level. */
int sys_infer(sys_t *s, const uint8_t *codes, sys_result_t *res);
/* n inferences, codes[k * n_in + i]; cycle-accurate images stream back to
 * back through the pipeline. res[n]. */
int sys_infer_batch(sys_t *s, size_t n, const uint8_t *codes,
		    sys_result_t *res);
/* The transaction-level inference (SYS_TLM only): the throughput path. */
int sys_tlm_infer(sys_t *s, const uint8_t *codes, sys_result_t *res);
/* One layer on its own chip (SYS_TLM only): codes of n_in inputs ->
 * n_out-bit decision bitmap dec[SYS_NWORD]; optional energy. Each chip's
 * operation sequence, hence its noise, depends only on its own layer's
 * calls, so layer-by-layer batches give the same decisions as sys_tlm_infer
 * image by image. */
int sys_tlm_layer(sys_t *s, unsigned layer, const uint8_t *codes, uint64_t *dec,
		  double *energy_j);

const sys_stats_t *sys_stats(const sys_t *s);
/* The energy counters of a chip (NULL for a chip the system lacks), and a
 * fresh start of every chip's counters, e.g. to count inference only. */
const chip_energy_t *sys_chip_energy(sys_t *s, unsigned chip);
void sys_energy_reset(sys_t *s);
/* The chip of a cycle-accurate system / the macro of either level. */
chip_t *sys_chip(sys_t *s, unsigned chip);
macro_t *sys_macro(sys_t *s, unsigned chip);

/* Chip in the loop (SYS_TLM only): fill *ev (bnn/bnn.h) with an evaluator
 * that runs each bnn layer on its chip: when a layer's version changes its
 * weights and thresholds are rewritten (sys_load_layer), then every image
 * of the batch is one sys_tlm_layer compare. Calibrate first. */
struct bnn_evaluator;
int sys_bnn_evaluator(sys_t *s, struct bnn_evaluator *ev);

/* Trace one whole-system inference: build a cycle-accurate system of p
 * (tracing ntrace_cols analog columns per chip, 0..), load net, calibrate,
 * classify codes and write everything to vcd_path. res may be NULL. */
int sys_trace_one(const sys_params_t *p, const sys_net_t *net,
		  const uint8_t *codes, unsigned ntrace_cols,
		  const char *vcd_path, sys_result_t *res);
/* sys_trace_one() that also fills the save file g (may be NULL): the
 * traced signals in groups, the window on the inference, markers at the
 * calibration's start and end, the image going in, each layer's strobe
 * and the scores coming back. Write it with sim_gtkw_write() beside the
 * dump's final path. */
int sys_trace_one_view(const sys_params_t *p, const sys_net_t *net,
		       const uint8_t *codes, unsigned ntrace_cols,
		       const char *vcd_path, sim_gtkw_t *g, sys_result_t *res);
/* sys_trace_one_view() of a trained net deployed as sys_deploy_data()
 * deploys it: the hidden layers' codes fitted to the net
 * (sys_params_fit_net), each layer's chip calibrating at the operating
 * point of the n_op images codes_op (sys_set_operating_points; n_op = 0:
 * layer 0 at idle), then codes classified. */
int sys_trace_deployed(const sys_params_t *p, const struct bnn_net *net,
		       size_t n_op, const uint8_t *codes_op,
		       const uint8_t *codes, unsigned ntrace_cols,
		       const char *vcd_path, sim_gtkw_t *g, sys_result_t *res);

IMC_END_DECLS

#endif /* IMCSIM_SYSTEM_SYSTEM_H */
