/* CPU affinity: sched_{set,get}affinity and pthread_{set,get}affinity_np on the kernel's per-thread CPU mask; sched_getcpu. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

/* pid 0 or ours names the calling thread (one process; Linux's tid is not ours to name). */
static struct sk_thread *thread_of_pid(pid_t pid)
{
	return pid == 0 || pid == getpid() ? sched_current() : NULL;
}

/* The kernel's mask in a cpu_set_t of size bytes; 0, or an errno value. */
static int get_mask(struct sk_thread *t, size_t size, cpu_set_t *set)
{
	if (size < sizeof(unsigned long))
		return EINVAL;
	unsigned long mask = t ? sched_get_affinity(t) : 0;
	if (!mask)
		return ESRCH;
	memset(set, 0, size < sizeof(*set) ? size : sizeof(*set));
	set->__bits[0] = mask;
	return 0;
}

/* A set naming no CPU that is up is EINVAL, as on Linux. */
static int set_mask(struct sk_thread *t, size_t size, const cpu_set_t *set)
{
	if (size < sizeof(unsigned long))
		return EINVAL;
	if (!t)
		return ESRCH;
	unsigned long mask = set->__bits[0];
	if (!mask || sched_set_affinity(t, mask))
		return sched_get_affinity(t) ? EINVAL : ESRCH;
	return 0;
}

int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set)
{
	int err = pid < 0 ? EINVAL : get_mask(thread_of_pid(pid), size, set);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *set)
{
	int err = pid < 0 ? EINVAL : set_mask(thread_of_pid(pid), size, set);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int pthread_setaffinity_np(pthread_t thread, size_t size, const cpu_set_t *set)
{
	return set_mask(shim_pthread_kthread(thread), size, set);
}

int pthread_getaffinity_np(pthread_t thread, size_t size, cpu_set_t *set)
{
	return get_mask(shim_pthread_kthread(thread), size, set);
}

int sched_getcpu(void)
{
	return sched_cpu_id();
}
