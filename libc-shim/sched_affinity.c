/* CPU affinity on one vCPU: every thread runs on CPU 0; a set without CPU 0 is EINVAL, as on Linux. */
#include <errno.h>
#include <sched.h>
#include <string.h>

int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set)
{
	if (pid < 0 || size < sizeof(unsigned long)) {
		errno = EINVAL;
		return -1;
	}
	memset(set, 0, size < sizeof(*set) ? size : sizeof(*set));
	set->__bits[0] = 1; /* CPU 0 */
	return 0;
}

int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *set)
{
	if (pid < 0 || size < sizeof(unsigned long) || !(set->__bits[0] & 1)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int sched_getcpu(void)
{
	return 0;
}
