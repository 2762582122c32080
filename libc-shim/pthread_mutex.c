/* pthread mutexes (normal, recursive, errorcheck) on kernel mutexes.
 * pthread_mutex_t is a handle; PTHREAD_MUTEX_INITIALIZER (and an all-zero
 * mutex) get their record on first use. A thread relocking a non-recursive
 * mutex gets EDEADLK instead of hanging the VM; unlocking a mutex the caller
 * does not hold gives EPERM for every type. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "shim.h"

struct mutex_rec {
	struct sk_mutex lock;
	int type; /* PTHREAD_MUTEX_NORMAL / _RECURSIVE / _ERRORCHECK / _DEFAULT */
};

static struct handle_table mutex_handles = HANDLE_TABLE_INIT;

static struct mutex_rec *mutex_rec_new(int type)
{
	struct mutex_rec *m = malloc(sizeof(*m));

	if (m) {
		sk_mutex_init(&m->lock, type == PTHREAD_MUTEX_RECURSIVE);
		m->type = type;
	}
	return m;
}

static void *mutex_rec_new_default(void)
{
	return mutex_rec_new(PTHREAD_MUTEX_DEFAULT);
}

static struct mutex_rec *mutex_lookup(pthread_mutex_t *mutex)
{
	return mutex ? handle_resolve(&mutex_handles, mutex, mutex_rec_new_default) : NULL;
}

struct sk_mutex *shim_mutex_get(uint32_t *mutex)
{
	struct mutex_rec *m = mutex_lookup(mutex);

	return m ? &m->lock : NULL;
}

static int held_by_caller(const struct mutex_rec *m)
{
	return m->lock.owner == sched_current();
}

int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr)
{
	int type = PTHREAD_MUTEX_DEFAULT;

	if (attr) {
		if (!attr->is_initialized)
			return EINVAL;
		type = attr->type;
	}
	struct mutex_rec *m = mutex_rec_new(type);
	uint32_t h = m ? handle_alloc(&mutex_handles, m) : 0;
	if (!h) {
		free(m);
		return ENOMEM;
	}
	__atomic_store_n(mutex, h, __ATOMIC_RELEASE);
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *mutex)
{
	uint32_t h = *mutex;

	if (h == 0 || h == HANDLE_UNSET)
		return 0; /* never used: nothing allocated */
	struct mutex_rec *m = handle_get(&mutex_handles, h);
	if (!m)
		return EINVAL;
	if (m->lock.owner)
		return EBUSY;
	handle_free(&mutex_handles, h);
	free(m);
	*mutex = HANDLE_UNSET;
	return 0;
}

int pthread_mutex_lock(pthread_mutex_t *mutex)
{
	struct mutex_rec *m = mutex_lookup(mutex);

	if (!m)
		return EINVAL;
	if (m->type != PTHREAD_MUTEX_RECURSIVE && held_by_caller(m))
		return EDEADLK;
	sk_mutex_lock(&m->lock);
	return 0;
}

int pthread_mutex_trylock(pthread_mutex_t *mutex)
{
	struct mutex_rec *m = mutex_lookup(mutex);

	if (!m)
		return EINVAL;
	return sk_mutex_trylock(&m->lock) == 0 ? 0 : EBUSY;
}

int pthread_mutex_timedlock(pthread_mutex_t *mutex, const struct timespec *abstime)
{
	struct mutex_rec *m = mutex_lookup(mutex);
	uint64_t deadline;

	if (!m)
		return EINVAL;
	if (sk_mutex_trylock(&m->lock) == 0)
		return 0;
	if (m->type != PTHREAD_MUTEX_RECURSIVE && held_by_caller(m))
		return EDEADLK;
	int err = shim_abstime_to_deadline(CLOCK_REALTIME, abstime, &deadline);
	if (err)
		return err;
	return sk_mutex_lock_until(&m->lock, deadline) == 0 ? 0 : ETIMEDOUT;
}

int pthread_mutex_unlock(pthread_mutex_t *mutex)
{
	struct mutex_rec *m = mutex_lookup(mutex);

	if (!m)
		return EINVAL;
	if (!held_by_caller(m))
		return EPERM;
	sk_mutex_unlock(&m->lock);
	return 0;
}

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
	attr->is_initialized = 1;
	attr->type = PTHREAD_MUTEX_DEFAULT;
	attr->recursive = 0;
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
	attr->is_initialized = 0;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
	if (!attr->is_initialized)
		return EINVAL;
	switch (type) {
	case PTHREAD_MUTEX_NORMAL:
	case PTHREAD_MUTEX_RECURSIVE:
	case PTHREAD_MUTEX_ERRORCHECK:
	case PTHREAD_MUTEX_DEFAULT:
		attr->type = type;
		attr->recursive = type == PTHREAD_MUTEX_RECURSIVE;
		return 0;
	default:
		return EINVAL;
	}
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type)
{
	if (!attr->is_initialized)
		return EINVAL;
	*type = attr->type;
	return 0;
}
