/* POSIX unnamed semaphores on kernel semaphores; named semaphores (sem_open) need a shared namespace skiff has not: ENOSYS. */
#include <errno.h>
#include <semaphore.h>
#include <stdlib.h>

#include "shim.h"

static struct handle_table sem_handles = HANDLE_TABLE_INIT;

static struct sk_sem *sem_get(sem_t *sem)
{
	struct sk_sem *s = sem ? handle_get(&sem_handles, sem->__handle) : NULL;

	if (!s)
		errno = EINVAL;
	return s;
}

int sem_init(sem_t *sem, int pshared, unsigned int value)
{
	(void)pshared; /* one process */
	if (!sem || value > SEM_VALUE_MAX) {
		errno = EINVAL;
		return -1;
	}
	struct sk_sem *s = malloc(sizeof(*s));
	if (!s) {
		errno = ENOMEM;
		return -1;
	}
	sk_sem_init(s, (long)value);
	uint32_t h = handle_alloc(&sem_handles, s);
	if (!h) {
		free(s);
		errno = ENOSPC;
		return -1;
	}
	sem->__handle = h;
	return 0;
}

int sem_destroy(sem_t *sem)
{
	struct sk_sem *s = sem_get(sem);

	if (!s)
		return -1;
	handle_free(&sem_handles, sem->__handle);
	free(s);
	sem->__handle = 0;
	return 0;
}

int sem_wait(sem_t *sem)
{
	struct sk_sem *s = sem_get(sem);

	if (!s)
		return -1;
	sk_sem_down(s);
	return 0;
}

int sem_trywait(sem_t *sem)
{
	struct sk_sem *s = sem_get(sem);

	if (!s)
		return -1;
	if (sk_sem_trydown(s)) {
		errno = EAGAIN;
		return -1;
	}
	return 0;
}

int sem_clockwait(sem_t *restrict sem, clockid_t clock, const struct timespec *restrict abs)
{
	struct sk_sem *s = sem_get(sem);
	uint64_t deadline;

	if (!s)
		return -1;
	/* abs is checked even when the semaphore is free, as glibc does */
	int err = shim_abstime_to_deadline(clock, abs, &deadline);
	if (err) {
		errno = err;
		return -1;
	}
	if (sk_sem_down_until(s, deadline)) {
		errno = ETIMEDOUT;
		return -1;
	}
	return 0;
}

int sem_timedwait(sem_t *restrict sem, const struct timespec *restrict abs)
{
	return sem_clockwait(sem, CLOCK_REALTIME, abs);
}

int sem_post(sem_t *sem)
{
	struct sk_sem *s = sem_get(sem);

	if (!s)
		return -1;
	if (s->count >= SEM_VALUE_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	sk_sem_up(s);
	return 0;
}

int sem_getvalue(sem_t *restrict sem, int *restrict value)
{
	struct sk_sem *s = sem_get(sem);

	if (!s)
		return -1;
	long c = __atomic_load_n(&s->count, __ATOMIC_RELAXED);
	*value = c > 0 ? (int)c : 0;
	return 0;
}

sem_t *sem_open(const char *name, int oflag, ...)
{
	(void)name;
	(void)oflag;
	shim_unsupported("sem_open", ENOSYS, "ENOSYS");
	return SEM_FAILED;
}

int sem_close(sem_t *sem)
{
	(void)sem;
	return shim_unsupported("sem_close", EINVAL, "EINVAL");
}

int sem_unlink(const char *name)
{
	(void)name;
	return shim_unsupported("sem_unlink", ENOENT, "ENOENT");
}
