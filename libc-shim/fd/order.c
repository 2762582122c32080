/* The readiness order counter: sockets stamp when data arrives, epoll stamps what it reports, so epoll_wait can report in arrival order. */
#include <stdint.h>

#include "fd.h"

static uint64_t order_seq;

uint64_t fd_order_next(void)
{
	return __atomic_add_fetch(&order_seq, 1, __ATOMIC_RELAXED);
}
