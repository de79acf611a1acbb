/*
 * coro.h - stackful coroutines for thread processes (internal, not
 * installed).
 *
 * A coroutine runs a function on its own stack; sim_coro_switch() saves
 * the caller's callee-saved registers on its stack, stores its stack
 * pointer and resumes the other side. On x86_64 the switch is a dozen
 * instructions (coro.c); elsewhere, or with -DSIM_CORO_UCONTEXT, it is
 * swapcontext(3), which also saves the signal mask (a system call).
 *
 * Stacks are mmap'ed with one PROT_NONE guard page below the usable
 * area, so an overflow faults (SIGSEGV) instead of corrupting memory.
 * Under AddressSanitizer the switch tells ASan about the stack change
 * (__sanitizer_{start,finish}_switch_fiber); under Valgrind the stack is
 * registered (VALGRIND_STACK_REGISTER). No global state: every
 * coroutine's state is in its sim_coro_t.
 */
#ifndef IMCSIM_CORO_H
#define IMCSIM_CORO_H

#include <stddef.h>

#if !defined(__x86_64__) && !defined(SIM_CORO_UCONTEXT)
#define SIM_CORO_UCONTEXT 1
#endif

#ifdef SIM_CORO_UCONTEXT
#include <ucontext.h>
#endif

typedef void (*sim_coro_fn)(void *arg);

/* One side of a switch: a coroutine, or the scheduler that resumes it. */
typedef struct sim_coro_ctx {
#ifdef SIM_CORO_UCONTEXT
	ucontext_t uc;
#else
	void *sp; /* saved stack pointer */
#endif
	void *fake_stack;     /* ASan's fake stack of the side switched away */
	const void *stack_lo; /* this side's stack, for ASan; NULL: unknown */
	size_t stack_size;
} sim_coro_ctx_t;

typedef struct sim_coro {
	sim_coro_ctx_t self;   /* the coroutine */
	sim_coro_ctx_t caller; /* whoever resumed it last */
	void *map;	       /* guard page + stack */
	size_t map_size;
	unsigned vg_id; /* Valgrind stack id */
	sim_coro_fn fn;
	void *arg;
} sim_coro_t;

/* Default usable stack bytes of a thread process. */
#define SIM_CORO_DEFAULT_STACK ((size_t)256 * 1024)

/* Map a stack of at least stack_bytes (rounded up to pages, plus a
 * guard page) and prepare co to run fn(arg) on its first resume.
 * 0 on success, -1 if the mapping failed (errno says why). */
int sim_coro_init(sim_coro_t *co, size_t stack_bytes, sim_coro_fn fn,
		  void *arg);
/* Unmap the stack; co must not be running. */
void sim_coro_release(sim_coro_t *co);
/* From the scheduler: run co until it yields. */
void sim_coro_resume(sim_coro_t *co);
/* From inside co: return to the resumer. With last set, co never runs
 * again (fn must not return: it ends with a last yield). */
void sim_coro_yield(sim_coro_t *co, int last);

#endif /* IMCSIM_CORO_H */
