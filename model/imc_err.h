/*
 * imc_err.h - the library's one error convention.
 *
 * Contract
 * --------
 * Every function of the library that can fail returns 0 (IMC_OK) or one of
 * the negative codes below (a function returning a pointer returns NULL);
 * each code means one thing everywhere, and imc_strerror() names it. The
 * per-module names (SIM_ERR_*, SYS_E*, BNN_E*, IDX_E*, BNN_DATA_E*,
 * BNN_PRE_E*) are aliases of these values, kept so existing programs
 * compile.
 *
 * The message that says *what* failed (which parameter, which file, which
 * row) has one place: the calling thread's last-error message,
 * imc_last_error(), as dlerror() or errno do it. A failing call records it
 * before it returns, so a program prints imc_last_error() after a failed
 * call of any module. One exception: the chip's block-level numeric models
 * (macro_*, array_*, calib_*, bitline_*, comparator_*, wldac_* of
 * model/chip) return -1 for a bad argument without a message, to keep
 * their inner loops bare; the chip, system and bnn levels above them say
 * what failed. An object that outlives the call keeps its own
 * copy as well (sim_error(), sys_error(): the first failure of a run, which
 * stops it); both say the same.
 *
 * The message is meaningful only after a call returned a negative code (or
 * NULL): a successful call leaves it as it was, like errno, so a message
 * read after a success may describe an earlier failure. imc_clear_error()
 * empties it. The message is thread-local: a failure on one thread never
 * changes what another thread reads, so independent simulations may run on
 * threads of their own. It holds IMC_ERRMSG_MAX - 1 bytes; longer messages
 * are cut there.
 */
#ifndef IMCSIM_IMC_ERR_H
#define IMCSIM_IMC_ERR_H

#include "imc_export.h"

IMC_BEGIN_DECLS

enum imc_err {
	IMC_OK = 0,
	IMC_ENOMEM = -1,    /* allocation failed */
	IMC_EINVAL = -2,    /* invalid argument or parameter */
	IMC_ETIME = -3,	    /* simulated time would go backwards */
	IMC_EDELTA = -4,    /* runaway delta cycles at one time */
	IMC_EFOREIGN = -5,  /* object belongs to another kernel */
	IMC_ESTATE = -6,    /* call not allowed in this state */
	IMC_EIO = -7,	    /* a file could not be read or written */
	IMC_ETYPE = -8,	    /* a signal accessed as the wrong kind */
	IMC_EPROCESS = -9,  /* a process reported a fault */
	IMC_EDRIVER = -10,  /* a second process wrote a one-writer signal */
	IMC_ETIMEOUT = -11, /* a run did not finish within its budget */
	IMC_ESIM = -12,	    /* the kernel or a chip failed */
	IMC_EEVAL = -13,    /* a column evaluator (chip in the loop) failed */
	IMC_ERANGE = -14,   /* a value outside what the hardware realises */
	IMC_EFORMAT = -15,  /* a malformed file */
	IMC_ETRUNC = -16,   /* a file shorter than its header says */
	IMC_EMAGIC = -17,   /* a file of the wrong kind (magic number) */
	IMC_EDIMS = -18,    /* wrong number of dimensions */
	IMC_EEMPTY = -19,   /* an empty dimension */
	IMC_ESIZE = -20,    /* data size differs from the header's promise */
	IMC_ECOUNT = -21,   /* image and label counts differ */
	IMC_ELABEL = -22,   /* a label outside the classes */
};

/* What code means, e.g. "out of memory"; "unknown error" for others. */
const char *imc_strerror(int code);

#define IMC_ERRMSG_MAX 1024

/* The calling thread's last error message ("" before the first failure or
 * after imc_clear_error()). Valid until the thread's next failing call. */
const char *imc_last_error(void);

/* Record the printf-formatted message as the calling thread's last error
 * and return code, for `return imc_fail(IMC_EINVAL, "...", ...)`. The
 * arguments may include imc_last_error() itself (to add context to the
 * message of a failed inner call). Callbacks the library calls (a column
 * evaluator, a process) use it to report why they failed. */
int imc_fail(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Empty the calling thread's last error message. */
void imc_clear_error(void);

IMC_END_DECLS

#endif /* IMCSIM_IMC_ERR_H */
