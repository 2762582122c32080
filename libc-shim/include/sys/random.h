/* Linux's <sys/random.h>: getrandom (libc-shim/getrandom.c) and getentropy. */
#ifndef SKIFF_SYS_RANDOM_H
#define SKIFF_SYS_RANDOM_H

#include <stddef.h>
#include <sys/types.h>

#define GRND_NONBLOCK 0x01
#define GRND_RANDOM 0x02
#define GRND_INSECURE 0x04

ssize_t getrandom(void *buf, size_t len, unsigned int flags);
int getentropy(void *buf, size_t len);

#endif
