/* Memory manager internals for the boot path and the scheduler. */
#ifndef SKIFF_KERNEL_MM_INTERNAL_H
#define SKIFF_KERNEL_MM_INTERNAL_H

#include <stdint.h>
#include "bootinfo.h"

/* Free RAM from the memory map, minus the image, page 0 and boot modules. */
void mm_init(const struct bootinfo *bi);
/* One page, not zeroed (a new thread's stack), or NULL when only the reserve
 * kept for growing stacks is left. */
void *mm_page_alloc_raw(void);
/* One zeroed page for the page-fault handler (a stack growing), or NULL; it may
 * take the reserve that sbrk and mm_page_alloc_raw leave. A fault
 * can strike inside the allocator itself: then the page comes from a small
 * reserve, refilled by the next fault outside it. */
void *mm_fault_page(void);

#endif
