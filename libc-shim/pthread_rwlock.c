/* pthread read-write locks: many readers or one writer; readers are preferred, as by glibc's default (so a thread may take a read lock twice). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "shim.h"

struct rwlock_rec {
	struct sk_mutex lock;     /* guards the fields below */
	struct sk_cond readers_q; /* readers wait here */
	struct sk_cond writers_q; /* writers wait here */
	int readers;              /* read holders (lock) */
	struct sk_thread *writer; /* write holder or NULL (lock) */
	int writers_waiting;      /* (lock): whom to wake when the last holder leaves */
};

static struct handle_table rwlock_handles = HANDLE_TABLE_INIT;

static void *rwlock_new(void)
{
	struct rwlock_rec *r = calloc(1, sizeof(*r));

	if (r) {
		sk_mutex_init(&r->lock, 0);
		sk_cond_init(&r->readers_q);
		sk_cond_init(&r->writers_q);
	}
	return r;
}

static struct rwlock_rec *rwlock_get(pthread_rwlock_t *rw)
{
	return rw ? handle_resolve(&rwlock_handles, rw, rwlock_new) : NULL;
}

int pthread_rwlockattr_init(pthread_rwlockattr_t *attr)
{
	if (!attr)
		return EINVAL;
	attr->is_initialized = 1;
	return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr)
{
	if (!attr || !attr->is_initialized)
		return EINVAL;
	attr->is_initialized = 0;
	return 0;
}

int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *attr)
{
	if (!rw || (attr && !attr->is_initialized))
		return EINVAL;
	struct rwlock_rec *r = rwlock_new();
	if (!r)
		return ENOMEM;
	uint32_t h = handle_alloc(&rwlock_handles, r);
	if (!h) {
		free(r);
		return EAGAIN;
	}
	*rw = h;
	return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *rw)
{
	if (!rw)
		return EINVAL;
	if (*rw == 0 || *rw == HANDLE_UNSET)
		return 0; /* never used */
	struct rwlock_rec *r = handle_get(&rwlock_handles, *rw);
	if (!r)
		return EINVAL;
	if (r->readers || r->writer)
		return EBUSY;
	handle_free(&rwlock_handles, *rw);
	free(r);
	*rw = HANDLE_UNSET;
	return 0;
}

/* Take for reading; deadline 0 waits forever, try returns EBUSY at once. */
static int rdlock(pthread_rwlock_t *rw, int try, uint64_t deadline)
{
	struct rwlock_rec *r = rwlock_get(rw);
	int err = 0;

	if (!r)
		return EINVAL;
	sk_mutex_lock(&r->lock);
	if (!try && r->writer == sched_current()) {
		err = EDEADLK;
		goto out;
	}
	while (r->writer) {
		if (try) {
			err = EBUSY;
			goto out;
		}
		if (sk_cond_wait_until(&r->readers_q, &r->lock, deadline) && deadline) {
			if (r->writer) {
				err = ETIMEDOUT;
				goto out;
			}
		}
	}
	r->readers++;
out:
	sk_mutex_unlock(&r->lock);
	return err;
}

static int wrlock(pthread_rwlock_t *rw, int try, uint64_t deadline)
{
	struct rwlock_rec *r = rwlock_get(rw);
	int err = 0;

	if (!r)
		return EINVAL;
	sk_mutex_lock(&r->lock);
	if (!try && r->writer == sched_current()) {
		err = EDEADLK;
		goto out;
	}
	r->writers_waiting++;
	while (r->writer || r->readers) {
		if (try) {
			err = EBUSY;
			break;
		}
		if (sk_cond_wait_until(&r->writers_q, &r->lock, deadline) && deadline) {
			if (r->writer || r->readers) {
				err = ETIMEDOUT;
				break;
			}
		}
	}
	r->writers_waiting--;
	if (!err)
		r->writer = sched_current();
out:
	sk_mutex_unlock(&r->lock);
	return err;
}

static int deadline_of(const struct timespec *abs, uint64_t *deadline)
{
	if (!abs)
		return EINVAL;
	return shim_abstime_to_deadline(CLOCK_REALTIME, abs, deadline);
}

int pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
	return rdlock(rw, 0, 0);
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
	return rdlock(rw, 1, 0);
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *abs)
{
	uint64_t deadline;
	int err = deadline_of(abs, &deadline);

	return err ? err : rdlock(rw, 0, deadline);
}

int pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
	return wrlock(rw, 0, 0);
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
	return wrlock(rw, 1, 0);
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *abs)
{
	uint64_t deadline;
	int err = deadline_of(abs, &deadline);

	return err ? err : wrlock(rw, 0, deadline);
}

int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
	struct rwlock_rec *r = rw ? handle_get(&rwlock_handles, *rw) : NULL;
	int err = 0;

	if (!r)
		return EINVAL;
	sk_mutex_lock(&r->lock);
	if (r->writer == sched_current()) {
		r->writer = NULL;
		sk_cond_broadcast(&r->readers_q); /* the only time readers wait */
	} else if (!r->writer && r->readers) {
		r->readers--;
	} else {
		err = EPERM; /* not held (or another thread's write lock) */
	}
	if (!err && !r->readers && r->writers_waiting)
		sk_cond_signal(&r->writers_q);
	sk_mutex_unlock(&r->lock);
	return err;
}
