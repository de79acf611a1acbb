/* imc_err.c - the library's error codes and the thread's last error
 * message; see imc_err.h. */
#include "imc_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The one piece of state the library keeps outside its objects: per
 * thread, so it never couples two simulations, and only a diagnostic (no
 * result depends on it). */
static _Thread_local char last_msg[IMC_ERRMSG_MAX];

const char *imc_last_error(void)
{
	return last_msg;
}

int imc_fail(int code, const char *fmt, ...)
{
	/* Formatted aside first: an argument may be last_msg itself. */
	char buf[IMC_ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	memcpy(last_msg, buf, strlen(buf) + 1);
	return code;
}

void imc_clear_error(void)
{
	last_msg[0] = '\0';
}

const char *imc_strerror(int code)
{
	switch ((enum imc_err)code) {
	case IMC_OK:
		return "success";
	case IMC_ENOMEM:
		return "out of memory";
	case IMC_EINVAL:
		return "invalid argument or parameter";
	case IMC_ETIME:
		return "time would go backwards";
	case IMC_EDELTA:
		return "runaway delta cycles";
	case IMC_EFOREIGN:
		return "object of another kernel";
	case IMC_ESTATE:
		return "not allowed in this state";
	case IMC_EIO:
		return "cannot read or write the file";
	case IMC_ETYPE:
		return "signal of the wrong kind";
	case IMC_EPROCESS:
		return "a process failed";
	case IMC_EDRIVER:
		return "signal written by a second process";
	case IMC_ETIMEOUT:
		return "run did not finish in time";
	case IMC_ESIM:
		return "simulation failed";
	case IMC_EEVAL:
		return "column evaluator failed";
	case IMC_ERANGE:
		return "value outside the hardware's range";
	case IMC_EFORMAT:
		return "malformed file";
	case IMC_ETRUNC:
		return "file shorter than its header";
	case IMC_EMAGIC:
		return "bad magic";
	case IMC_EDIMS:
		return "wrong number of dimensions";
	case IMC_EEMPTY:
		return "empty dimension";
	case IMC_ESIZE:
		return "data size differs from the header";
	case IMC_ECOUNT:
		return "image and label counts differ";
	case IMC_ELABEL:
		return "label outside the classes";
	}
	return "unknown error";
}
