/* newlib's <pthread.h> plus PTHREAD_PROCESS_PRIVATE/SHARED, which pthread_spin_init takes, and the _np affinity calls. */
#ifndef SKIFF_PTHREAD_H
#define SKIFF_PTHREAD_H

#include_next <pthread.h>

#ifndef PTHREAD_PROCESS_PRIVATE
#define PTHREAD_PROCESS_PRIVATE 0
#define PTHREAD_PROCESS_SHARED 1
#endif

/* glibc's affinity calls for one thread (libc-shim/sched_affinity.c). */
#include <sys/cpuset.h>
int pthread_setaffinity_np(pthread_t thread, size_t size, const cpu_set_t *set);
int pthread_getaffinity_np(pthread_t thread, size_t size, cpu_set_t *set);

#endif
