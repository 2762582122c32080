/* newlib's <limits.h> plus SSIZE_MAX and the pthread limits skiff's libc-shim enforces. */
#ifndef SKIFF_LIMITS_H
#define SKIFF_LIMITS_H

#include_next <limits.h>

#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX /* ssize_t is long on x86-64 */
#endif
#ifndef PTHREAD_KEYS_MAX
#define PTHREAD_KEYS_MAX 128
#endif
#ifndef PTHREAD_DESTRUCTOR_ITERATIONS
#define PTHREAD_DESTRUCTOR_ITERATIONS 4
#endif
#ifndef PTHREAD_STACK_MIN
#define PTHREAD_STACK_MIN 16384
#endif

#endif
