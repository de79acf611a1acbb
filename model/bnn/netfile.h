/*
 * netfile.h - save and load a deployed network (bnn.h) as strict text.
 *
 * Contract. The format, one item per line, fields separated by one space,
 * lines ended by '\n' (no '\r'), nothing after the "end" line:
 *
 *   imcsim-bnn 1
 *   hw comp_step <int> comp_max_steps <int> code_lo <int> code_hi <int>
 *   pre norm_target <int>
 *   layer <l> in <n_in> out <n_out>            (l = 0, 1, 2 in order)
 *   c <j> <bias_steps> <n_in characters, '+' or '-', weight of row i>
 *                                              (j = 0..n_out-1 in order)
 *   end
 *
 * Lines starting with '#' (comments, e.g. how the net was trained) may
 * appear anywhere after the first line. The loader accepts exactly this and
 * nothing else: any missing, extra, out-of-order or out-of-range item, a
 * shape other than 96-96-96-90, a bias outside +-comp_max_steps or a line
 * longer than 4095 bytes is rejected with BNN_EFORMAT and one message
 * "<path>:<line>: <problem>" in imc_last_error(); I/O failures give BNN_EIO. The loaded net
 * passes bnn_net_check.
 */
#ifndef IMCSIM_BNN_NETFILE_H
#define IMCSIM_BNN_NETFILE_H

#include <stddef.h>

#include "bnn/bnn.h"

#include "imc_export.h"

IMC_BEGIN_DECLS

/* Write net to path; comment (may be NULL) becomes '#' lines. */
/* The largest net file the loader accepts (a real one is ~30 kB). */
#define BNN_NET_FILE_MAX (64u << 20)

int bnn_net_save(const struct bnn_net *net, const char *path,
		 const char *comment);
/* Read path into net; net is untouched on failure. */
int bnn_net_load(struct bnn_net *net, const char *path);
/* Parse an in-memory file (name is used in messages). */
int bnn_net_parse(struct bnn_net *net, const char *name, const char *text,
		  size_t len);

IMC_END_DECLS

#endif /* IMCSIM_BNN_NETFILE_H */
