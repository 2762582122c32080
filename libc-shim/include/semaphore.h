/* POSIX unnamed semaphores (sem_init and friends, libc-shim/semaphore.c); named ones (sem_open) fail with ENOSYS. */
#ifndef SKIFF_SEMAPHORE_H
#define SKIFF_SEMAPHORE_H

#include <sys/types.h>
#include <time.h>

typedef struct {
	unsigned int __handle; /* the kernel semaphore's handle; 0 = not initialised */
} sem_t;

#define SEM_FAILED ((sem_t *)0)
#define SEM_VALUE_MAX 0x7fffffff

int sem_init(sem_t *sem, int pshared, unsigned int value);
int sem_destroy(sem_t *sem);
int sem_wait(sem_t *sem);
int sem_trywait(sem_t *sem);
int sem_timedwait(sem_t *__restrict sem, const struct timespec *__restrict abstime);
int sem_clockwait(sem_t *__restrict sem, clockid_t clock, const struct timespec *__restrict abstime);
int sem_post(sem_t *sem);
int sem_getvalue(sem_t *__restrict sem, int *__restrict value);
sem_t *sem_open(const char *name, int oflag, ...);
int sem_close(sem_t *sem);
int sem_unlink(const char *name);

#endif
