/* Trap dispatch: device interrupts to their handlers, exceptions to a report and a panic exit. */
#include <stddef.h>
#include <skiff/console.h>
#include "trap.h"
#include "cpu.h"
#include "exit.h"
#include "fmt.h"
#include "ksyms.h"
#include "lapic.h"
#include "layout.h"
#include "mmu.h"
#include "sched_internal.h"
#include "smp.h"

static struct {
	irq_handler_fn fn;
	void *arg;
} handlers[32]; /* vectors 32..63; written with interrupts off */

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection fault",
	"page fault", "reserved", "x87 floating-point error", "alignment check",
	"machine check", "SIMD floating-point error", "virtualization", "control protection",
};

void irq_register(int vector, irq_handler_fn fn, void *arg)
{
	if (vector >= 32 && vector < 64) {
		handlers[vector - 32].arg = arg;
		handlers[vector - 32].fn = fn;
	}
}

static void print_symbol(const char *label, uint64_t addr)
{
	uint64_t off;
	const char *name = ksyms_lookup(addr, &off);
	if (name)
		klog("skiff: %s %016lx %s+0x%lx\n", label, addr, name, off);
	else
		klog("skiff: %s %016lx\n", label, addr);
}

/* A return address: named by the call before it (a noreturn call may end a
 * function, so the address itself can be the next function's first byte). */
static void print_return_address(const char *label, uint64_t ret)
{
	uint64_t off;
	const char *name = ksyms_lookup(ret - 1, &off);
	if (name)
		klog("skiff: %s %016lx %s+0x%lx\n", label, ret, name, off + 1);
	else
		klog("skiff: %s %016lx\n", label, ret);
}

/* Follow the frame-pointer chain while it stays on mapped memory. */
void trap_backtrace(uint64_t rbp)
{
	klog("skiff: backtrace:\n");
	for (int depth = 0; depth < 16 && rbp; depth++) {
		if ((rbp & 7) || !mmu_is_mapped(rbp) || !mmu_is_mapped(rbp + 15))
			break;
		uint64_t ret = ((uint64_t *)rbp)[1];
		if (!ret)
			break;
		print_return_address("  at", ret);
		uint64_t next = ((uint64_t *)rbp)[0];
		if (next <= rbp)
			break;
		rbp = next;
	}
}

/* gcc gives small leaf functions no frame even with -fno-omit-frame-pointer: their
 * caller's return address is at the top of the stack, not on the rbp chain. */
static void print_frameless_caller(const struct trap_frame *f)
{
	extern char __text_start[], __text_end[];
	if (!mmu_is_mapped(f->rsp) || !mmu_is_mapped(f->rsp + 7))
		return;
	uint64_t ret = *(const uint64_t *)f->rsp;
	if (ret < (uint64_t)__text_start + 5 || ret >= (uint64_t)__text_end)
		return;
	if (*(const uint8_t *)(ret - 5) != 0xe8) /* not after a call rel32 */
		return;
	if (mmu_is_mapped(f->rbp) && ((const uint64_t *)f->rbp)[1] == ret)
		return; /* the rbp chain has it */
	klog("skiff: backtrace (frameless caller first):\n");
	print_return_address("  at", ret);
}

static void dump_registers(const struct trap_frame *f)
{
	klog("skiff: rip %016lx rsp %016lx rflags %016lx err %lx\n", f->rip, f->rsp,
	     f->rflags, f->error);
	klog("skiff: rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
	klog("skiff: rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
	klog("skiff: r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
	klog("skiff: r13 %016lx r14 %016lx r15 %016lx cr2 %016lx\n", f->r13, f->r14, f->r15,
	     read_cr2());
}

/* A one-line cause for a page fault, or NULL for the generic message. */
static const char *page_fault_cause(uint64_t addr, uint64_t err, char *buf, size_t len)
{
	const char *owner;
	if (addr < 4096)
		return "NULL pointer dereference";
	if (sched_guard_owner(addr, &owner) || mmu_is_image_guard(addr)) {
		ksnprintf(buf, len, "stack overflow in thread '%s' (hit the guard page)",
				mmu_is_image_guard(addr) ? "boot/trap" : owner);
		return buf;
	}
	if ((err & 1) && (err & 2))
		return "write to read-only memory (W^X: text and rodata are not writable)";
	if ((err & 1) && (err & 16))
		return "execute from non-executable memory (W^X)";
	return NULL;
}

/* A not-present fault in a thread's stack below what is mapped: map a page, retry.
 * Out of memory there is fatal, with a line saying so. */
static int stack_grew(void)
{
	const char *owner = "?";
	int r = sched_stack_fault(read_cr2(), &owner);
	if (r < 0)
		klog("skiff: out of memory: no free page to grow thread '%s''s stack\n", owner);
	return r > 0;
}

static void fatal_exception(struct trap_frame *f)
{
	static int in_fatal;
	if (in_fatal++) {
		klog("skiff: fault while reporting a fault (vector %lu at %016lx)\n", f->vector, f->rip);
		exit_power_off(EXIT_PANIC);
	}
	char buf[128];
	const char *name = f->vector < 22 ? exception_names[f->vector] : "exception";
	const char *thread = sched_current_name();
	if (f->vector == 14) {
		uint64_t addr = read_cr2();
		const char *cause = page_fault_cause(addr, f->error, buf, sizeof(buf));
		klog("skiff: page fault at address %016lx (%s, %s) in thread '%s'\n", addr,
		     f->error & 2 ? "write" : (f->error & 16) ? "execute" : "read",
		     f->error & 1 ? "protection" : "not present", thread);
		if (cause)
			klog("skiff: %s\n", cause);
	} else {
		klog("skiff: %s (vector %lu) in thread '%s'\n", name, f->vector, thread);
	}
	if (__atomic_load_n(&sk_smp_on, __ATOMIC_RELAXED))
		klog("skiff: on CPU %d of %d\n", this_cpu()->id, smp_ncpus);
	print_symbol("fault at", f->rip);
	dump_registers(f);
	print_frameless_caller(f);
	trap_backtrace(f->rbp);
	uint64_t off;
	const char *fn = ksyms_lookup(f->rip, &off);
	exit_panic_line("%s in %s", f->vector == 14 ? "page fault" : name, fn ? fn : "unknown code");
}

void (*sched_async_hook)(void);
volatile int sched_async_pending;

/* The interrupted code ran with interrupts on: not the scheduler, not a spinlock.
 * The hook may run app code (a signal handler): it gets the interrupted thread's
 * SSE state saved around it, as kernel code never touches those registers. */
static void async_upcall(void)
{
	uint8_t fpu[512] __attribute__((aligned(16)));
	__asm__ volatile("fxsave64 %0" : "=m"(fpu));
	sched_async_hook();
	__asm__ volatile("fxrstor64 %0" : : "m"(fpu));
}

static void dispatch(struct trap_frame *f)
{
	if (f->vector < 32) {
		if (f->vector == 14 && !(f->error & 1) && stack_grew())
			return;
		fatal_exception(f);
		return;
	}
	if (f->vector == VEC_SPURIOUS)
		return;
	if (f->vector < 64 && handlers[f->vector - 32].fn)
		handlers[f->vector - 32].fn(handlers[f->vector - 32].arg);
	lapic_eoi(); /* VEC_WAKE has no handler: the sender set need_resched */
	sched_irq_exit();
	if (sched_async_pending && sched_async_hook && (f->rflags & RFLAGS_IF))
		async_upcall();
}

/* With SMP, code that ran with interrupts on held no lock: take it for the handler and
 * drop it on the way out (checked again then: the lock may have been turned on while
 * this thread was switched out, and whoever switched back to it handed it the lock). */
void trap_dispatch(struct trap_frame *f)
{
	if (f->vector == VEC_TLB) { /* the sender holds the lock and waits for us */
		sk_smp_on->tlb_poll();
		lapic_eoi();
		return;
	}
	int was_on = (f->rflags & RFLAGS_IF) != 0;
	const struct sk_smp_ops *smp = __atomic_load_n(&sk_smp_on, __ATOMIC_RELAXED);
	if (was_on && smp)
		smp->lock();
	dispatch(f);
	smp = __atomic_load_n(&sk_smp_on, __ATOMIC_RELAXED);
	if (was_on && smp)
		smp->unlock();
}
