/* Thread-local storage: a copy of the image's PT_TLS template per thread, reached through %fs. */
#ifndef SKIFF_KERNEL_SCHED_TLS_H
#define SKIFF_KERNEL_SCHED_TLS_H

#include <stdint.h>

/* Most bytes a thread's TLS block and TCB take (alignment slack included);
 * 0 when the image has no thread-locals: then threads get no block and the
 * scheduler never touches the FS base. */
uint64_t tls_area_bytes(void);
/* Lay out one thread's block ending at or below top (mapped, writable): copy
 * .tdata, zero .tbss, point the TCB's first word at itself. Returns the thread
 * pointer (the FS base); *bottom gets the lowest byte used. */
uint64_t tls_setup(uint64_t top, uint64_t *bottom);
/* Load the FS base (MSR 0xC0000100): the thread pointer of the thread about to run. */
void tls_set_base(uint64_t tp);

#endif
