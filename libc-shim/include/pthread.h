/* newlib's <pthread.h> plus PTHREAD_PROCESS_PRIVATE/SHARED, which pthread_spin_init takes (newlib names them only with process-shared attributes). */
#ifndef SKIFF_PTHREAD_H
#define SKIFF_PTHREAD_H

#include_next <pthread.h>

#ifndef PTHREAD_PROCESS_PRIVATE
#define PTHREAD_PROCESS_PRIVATE 0
#define PTHREAD_PROCESS_SHARED 1
#endif

#endif
