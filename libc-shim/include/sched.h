/* newlib's <sched.h> with cpu_set_t, and the affinity calls declared (the CPUs skiff run --cpus gave). */
#ifndef SKIFF_SCHED_H_WRAP
#define SKIFF_SCHED_H_WRAP

#include <sys/cpuset.h>
#include <sys/types.h>
#include_next <sched.h>

#ifdef __cplusplus
extern "C" {
#endif

int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set);
int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *set);
int sched_getcpu(void);


#ifdef __cplusplus
}
#endif

#endif
