/* lwIP threads (sys_thread_new) on kernel threads. */
#include "lwip/sys.h"
#include "lwip/opt.h"

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn thread, void *arg,
			    int stacksize, int prio)
{
	(void)prio; /* one priority: round-robin */
	struct sk_thread *t = sched_create(name, thread, arg,
					   stacksize > 0 ? (size_t)stacksize : 0);

	LWIP_ASSERT("sys_thread_new: out of memory", t != NULL);
	return t;
}
