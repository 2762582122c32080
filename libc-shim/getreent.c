/* newlib's __getreent (newlib and libc-shim are built with __DYNAMIC_REENT__): the running thread's struct _reent. */
#include <reent.h>

#include "shim.h"

/* Threads with none of their own (main until it sets one, kernel and lwIP threads)
 * use newlib's global one. One gs-relative load finds the running thread, so a thread
 * that moves to another CPU meanwhile still gets its own. */
struct _reent *__getreent(void)
{
	struct _reent *r = sched_current_reent();
	return r ? r : _GLOBAL_REENT;
}
