/* Linux's <sys/eventfd.h>: eventfd counters (libc-shim/fd/eventfd.c). */
#ifndef SKIFF_SYS_EVENTFD_H
#define SKIFF_SYS_EVENTFD_H

#include <fcntl.h>
#include <stdint.h>

typedef uint64_t eventfd_t;

#define EFD_SEMAPHORE 1
#define EFD_CLOEXEC O_CLOEXEC
#define EFD_NONBLOCK O_NONBLOCK

int eventfd(unsigned int initval, int flags);
int eventfd_read(int fd, eventfd_t *value);
int eventfd_write(int fd, eventfd_t value);

#endif
