/* Thread stacks: virtual ranges with a guard page below, committed at the top and grown on fault; which live thread owns an address. */
#include <skiff/mm.h>
#include "layout.h"
#include "mm_internal.h"
#include "mmu.h"
#include "sched_internal.h"

static struct sk_thread *all_threads; /* live threads, for stack ownership (irq off) */
static uint64_t next_stack_va = STACKS_BASE;

int stack_tracked(struct sk_thread *t)
{
	for (struct sk_thread *p = all_threads; p; p = p->all_next)
		if (p == t)
			return 1;
	return 0;
}

void stack_free(uint64_t lo, uint64_t hi)
{
	for (uint64_t va = lo; va < hi; va += PAGE_SIZE) {
		uint64_t pa = mmu_unmap(va);
		if (pa)
			mm_page_free((void *)pa);
	}
}

int stack_alloc(size_t pages, uint64_t commit_bytes, uint64_t *lo_out, uint64_t *hi_out)
{
	uint64_t lo = next_stack_va + PAGE_SIZE; /* the page below lo stays unmapped: the guard */
	uint64_t hi = lo + pages * PAGE_SIZE;
	if (hi > STACKS_LIMIT || mmu_prepare(lo, hi))
		return -1;
	next_stack_va = hi;
	/* Only the top is mapped now; sched_stack_fault maps the rest as the stack grows. */
	uint64_t commit = hi - lo < commit_bytes ? lo : hi - commit_bytes;
	for (uint64_t va = commit; va < hi; va += PAGE_SIZE) {
		void *p = mm_page_alloc_raw();
		if (!p || mmu_map(va, (uint64_t)p, PTE_W | mmu_nx())) {
			if (p)
				mm_page_free(p);
			stack_free(lo, va);
			return -1;
		}
	}
	*lo_out = lo;
	*hi_out = hi;
	return 0;
}

void stack_track(struct sk_thread *t)
{
	t->all_next = all_threads;
	all_threads = t;
}

void stack_untrack(struct sk_thread *t)
{
	for (struct sk_thread **p = &all_threads; *p; p = &(*p)->all_next)
		if (*p == t) {
			*p = t->all_next;
			break;
		}
}

/* The live thread whose stack range (guard excluded) holds addr, or NULL. */
static struct sk_thread *stack_owner(uint64_t addr)
{
	for (struct sk_thread *t = all_threads; t; t = t->all_next)
		if (addr >= t->stack_lo && addr < t->stack_hi)
			return t;
	return NULL;
}

int sched_guard_owner(uint64_t addr, const char **owner)
{
	if (addr < STACKS_BASE || addr >= STACKS_LIMIT || mmu_is_mapped(addr) || stack_owner(addr))
		return 0;
	*owner = "unknown (freed stack)";
	for (struct sk_thread *t = all_threads; t; t = t->all_next)
		if (addr < t->stack_lo && addr >= t->stack_lo - PAGE_SIZE)
			*owner = t->name;
	return 1;
}

int sched_stack_fault(uint64_t addr, const char **owner)
{
	struct sk_thread *t = stack_owner(addr);
	if (!t || mmu_is_mapped(addr))
		return 0;
	*owner = t->name;
	void *p = mm_fault_page();
	if (!p)
		return -1;
	mmu_map(addr & ~(PAGE_SIZE - 1), (uint64_t)p, PTE_W | mmu_nx()); /* tables exist: cannot fail */
	return 1;
}
