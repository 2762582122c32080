/* W^X audit over the live page tables: no page may be both writable and executable. */
#include <skiff/console.h>
#include <skiff/wx.h>
#include "mmu.h"

#define ADDR_MASK 0x000ffffffffff000UL

/* One table at `level` (3 = PML4 ... 0 = PT) mapping from `base`; w and x are
 * what the levels above allow (writable needs W everywhere, NX anywhere forbids x). */
static void walk_table(const uint64_t *t, int level, uint64_t base, int w, int x,
		       struct wx_audit *a)
{
	for (int i = 0; i < 512; i++) {
		uint64_t e = t[i];
		if (!(e & PTE_P))
			continue;
		uint64_t va = base + ((uint64_t)i << (12 + 9 * level));
		if (level == 3 && (va & (1UL << 47)))
			va |= 0xffff000000000000UL; /* canonical upper half */
		int ew = w && (e & PTE_W), ex = x && !(e & PTE_NX);
		if (level > 0 && !(level <= 2 && (e & PTE_PS))) {
			walk_table((const uint64_t *)(e & ADDR_MASK), level - 1, va, ew, ex, a);
			continue;
		}
		uint64_t kib = (1UL << (12 + 9 * level)) >> 10;
		a->mapped_kib += kib;
		if (va == 0)
			a->page0_mapped = 1;
		if (!ex)
			continue;
		a->exec_kib += kib;
		if (ew) {
			if (!a->wx_kib || va < a->first_wx)
				a->first_wx = va;
			a->wx_kib += kib;
		}
	}
}

void wx_audit(struct wx_audit *a)
{
	uint64_t cr3;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	*a = (struct wx_audit){ .nx_supported = mmu_nx() != 0 };
	walk_table((const uint64_t *)(cr3 & ADDR_MASK), 3, 0, 1, 1, a);
}

int wx_audit_report(void)
{
	struct wx_audit a;

	wx_audit(&a);
	klog("skiff: wxcheck: %lu KiB mapped, %lu KiB executable, %lu KiB writable+executable%s, "
	     "page 0 %s, NX %s\n", (unsigned long)a.mapped_kib, (unsigned long)a.exec_kib,
	     (unsigned long)a.wx_kib, a.wx_kib ? " (W^X BROKEN)" : "",
	     a.page0_mapped ? "MAPPED" : "unmapped", a.nx_supported ? "on" : "absent");
	if (a.wx_kib)
		klog("skiff: wxcheck: first writable+executable page at %016lx\n",
		     (unsigned long)a.first_wx);
	return a.wx_kib || a.page0_mapped ? -1 : 0;
}
