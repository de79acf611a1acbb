/*
 * coro.c - the context switch and the guarded stacks of thread processes
 * (see coro.h).
 *
 * x86_64 switch (System V ABI): push the callee-saved registers rbp, rbx,
 * r12-r15 and the SSE/x87 control words on the current stack, store rsp,
 * load the other side's rsp, pop the same frame and return into it. A new
 * coroutine's stack is prepared so that its first resume "returns" into
 * sim_coro_entry_, which calls coro_start(co) with a 16-byte aligned stack.
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS, MAP_STACK, ucontext */
#include "config.h"

#include "kernel/coro.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#endif
#ifdef CORO_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define CORO_VALGRIND 1
#endif
#endif

/* ---- ASan: tell it which stack is live ------------------------------- */

static inline void asan_start(void **save, const sim_coro_ctx_t *to)
{
#ifdef CORO_ASAN
	__sanitizer_start_switch_fiber(save, to->stack_lo, to->stack_size);
#else
	(void)save;
	(void)to;
#endif
}

static inline void asan_finish(void *fake, sim_coro_ctx_t *from)
{
#ifdef CORO_ASAN
	const void *lo = NULL;
	size_t size = 0;
	__sanitizer_finish_switch_fiber(fake, &lo, &size);
	if (from) {
		from->stack_lo = lo;
		from->stack_size = size;
	}
#else
	(void)fake;
	(void)from;
#endif
}

static void coro_start(sim_coro_t *co)
{
	asan_finish(NULL, &co->caller);
	co->fn(co->arg);
	abort(); /* fn ends with sim_coro_yield(co, 1) */
}

/* ---- the switch -------------------------------------------------------- */

#ifndef SIM_CORO_UCONTEXT

void sim_coro_switch_(void **save_sp, void *to_sp);
void sim_coro_entry_(void);

__asm__(".text\n"
	".p2align 4\n"
	".globl sim_coro_switch_\n"
	".hidden sim_coro_switch_\n"
	".type sim_coro_switch_,@function\n"
	"sim_coro_switch_:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	subq $8, %rsp\n"
	"	stmxcsr (%rsp)\n"
	"	fnstcw 4(%rsp)\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	ldmxcsr (%rsp)\n"
	"	fldcw 4(%rsp)\n"
	"	addq $8, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".size sim_coro_switch_, .-sim_coro_switch_\n"
	".p2align 4\n"
	".globl sim_coro_entry_\n"
	".hidden sim_coro_entry_\n"
	".type sim_coro_entry_,@function\n"
	"sim_coro_entry_:\n"
	"	movq %r13, %rdi\n"
	"	callq *%r12\n"
	"	ud2\n"
	".size sim_coro_entry_, .-sim_coro_entry_\n");

static void prepare(sim_coro_t *co, char *lo, size_t size)
{
	uintptr_t top = ((uintptr_t)(lo + size)) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)(top - 16 - 64);
	/* control words, r15, r14, r13 = arg, r12 = start, rbx, rbp, ret */
	sp[0] = 0x1F80u | ((uint64_t)0x037Fu << 32);
	sp[1] = 0;
	sp[2] = 0;
	sp[3] = (uint64_t)(uintptr_t)co;
	sp[4] = (uint64_t)(uintptr_t)coro_start;
	sp[5] = 0;
	sp[6] = 0;
	sp[7] = (uint64_t)(uintptr_t)sim_coro_entry_;
	co->self.sp = sp;
}

static inline void do_switch(sim_coro_ctx_t *from, sim_coro_ctx_t *to)
{
	sim_coro_switch_(&from->sp, to->sp);
}

#else /* ucontext */

static void uc_start(unsigned hi, unsigned lo)
{
	uintptr_t p = ((uintptr_t)hi << 16 << 16) | (uintptr_t)lo;
	coro_start((sim_coro_t *)p);
}

static void prepare(sim_coro_t *co, char *lo, size_t size)
{
	uintptr_t p = (uintptr_t)co;
	getcontext(&co->self.uc);
	co->self.uc.uc_stack.ss_sp = lo;
	co->self.uc.uc_stack.ss_size = size;
	co->self.uc.uc_link = NULL;
	makecontext(&co->self.uc, (void (*)(void))uc_start, 2,
		    (unsigned)(p >> 16 >> 16), (unsigned)p);
}

static inline void do_switch(sim_coro_ctx_t *from, sim_coro_ctx_t *to)
{
	swapcontext(&from->uc, &to->uc);
}

#endif

/* ---- stacks ------------------------------------------------------------ */

int sim_coro_init(sim_coro_t *co, size_t stack_bytes, sim_coro_fn fn, void *arg)
{
	memset(co, 0, sizeof(*co));
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (!stack_bytes)
		stack_bytes = SIM_CORO_DEFAULT_STACK;
	size_t usable = (stack_bytes + page - 1) / page * page;
	size_t total = usable + page;
	void *map = mmap(NULL, total, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (map == MAP_FAILED)
		return -1;
	/* the stack grows down: the lowest page is the guard */
	if (mprotect(map, page, PROT_NONE) != 0) {
		munmap(map, total);
		return -1;
	}
	char *lo = (char *)map + page;
	co->map = map;
	co->map_size = total;
	co->fn = fn;
	co->arg = arg;
	co->self.stack_lo = lo;
	co->self.stack_size = usable;
#ifdef CORO_VALGRIND
	co->vg_id = VALGRIND_STACK_REGISTER(lo, lo + usable);
#endif
	prepare(co, lo, usable);
	return 0;
}

void sim_coro_release(sim_coro_t *co)
{
	if (!co->map)
		return;
#ifdef CORO_VALGRIND
	VALGRIND_STACK_DEREGISTER(co->vg_id);
#endif
	munmap(co->map, co->map_size);
	co->map = NULL;
	co->self.stack_size = 0;
}

void sim_coro_resume(sim_coro_t *co)
{
	asan_start(&co->caller.fake_stack, &co->self);
	do_switch(&co->caller, &co->self);
	asan_finish(co->caller.fake_stack, NULL);
}

void sim_coro_yield(sim_coro_t *co, int last)
{
	asan_start(last ? NULL : &co->self.fake_stack, &co->caller);
	do_switch(&co->self, &co->caller);
	asan_finish(co->self.fake_stack, &co->caller);
}
