/* newlib's feature macros plus the POSIX options skiff implements. */
#ifndef SKIFF_SYS_FEATURES_H
#define SKIFF_SYS_FEATURES_H

#include_next <sys/features.h>

/* newlib leaves these to the OS (RTEMS and Cygwin set them in this file);
 * they gate declarations such as clock_gettime, CLOCK_MONOTONIC, nanosleep,
 * clock_nanosleep and the pthread API in newlib's headers. */
#ifndef _POSIX_THREADS
#define _POSIX_THREADS 1
#endif
#ifndef _POSIX_TIMEOUTS
#define _POSIX_TIMEOUTS 1
#endif
#ifndef _POSIX_TIMERS
#define _POSIX_TIMERS 1
#endif
#ifndef _POSIX_MONOTONIC_CLOCK
#define _POSIX_MONOTONIC_CLOCK 200112L
#endif
#ifndef _POSIX_CLOCK_SELECTION
#define _POSIX_CLOCK_SELECTION 200112L
#endif
#ifndef _POSIX_THREAD_ATTR_STACKSIZE
#define _POSIX_THREAD_ATTR_STACKSIZE 1
#endif
#ifndef _UNIX98_THREAD_MUTEX_ATTRIBUTES
#define _UNIX98_THREAD_MUTEX_ATTRIBUTES 1
#endif

#ifndef _POSIX_READER_WRITER_LOCKS
#define _POSIX_READER_WRITER_LOCKS 200112L
#endif
#ifndef _POSIX_BARRIERS
#define _POSIX_BARRIERS 200112L
#endif
#ifndef _POSIX_SPIN_LOCKS
#define _POSIX_SPIN_LOCKS 200112L
#endif
#ifndef _POSIX_SEMAPHORES
#define _POSIX_SEMAPHORES 200112L
#endif

#endif
