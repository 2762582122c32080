/* sysconf() and getpagesize(): the CPUs that came up, 4 KiB pages, RAM from the kernel. */
#include <errno.h>
#include <limits.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

#define SHIM_OPEN_MAX FD_SETSIZE /* what select() can watch */
#define SHIM_ARG_MAX 4096        /* the kernel command line holds argv */

/* The kernel reports only free memory: "physical" is the most ever seen
 * free (at start, or later if the heap shrank). */
long sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE:
		return PAGE_SIZE;
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return sched_cpus_online();
	case _SC_CLK_TCK:
		return CLK_TCK;
	case _SC_OPEN_MAX:
		return SHIM_OPEN_MAX;
	case _SC_ARG_MAX:
		return SHIM_ARG_MAX;
	case _SC_PHYS_PAGES:
		return (long)(mm_total_bytes() / PAGE_SIZE);
	case _SC_AVPHYS_PAGES:
		return (long)(mm_free_bytes() / PAGE_SIZE);
	case _SC_THREAD_KEYS_MAX:
		return PTHREAD_KEYS_MAX;
	case _SC_THREAD_STACK_MIN:
		return PTHREAD_STACK_MIN;
	case _SC_THREAD_DESTRUCTOR_ITERATIONS:
		return PTHREAD_DESTRUCTOR_ITERATIONS;
	default:
		errno = EINVAL;
		return -1;
	}
}

int getpagesize(void)
{
	return (int)PAGE_SIZE;
}
