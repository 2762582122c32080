/* pthread condition variables on kernel condition variables. Timed waits
 * take an absolute time on the cond's clock (CLOCK_REALTIME unless set with
 * pthread_condattr_setclock) and turn it into a monotonic deadline. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "shim.h"

struct cond_rec {
	struct sk_cond cond;
	clockid_t clock;
};

static struct handle_table cond_handles = HANDLE_TABLE_INIT;

static struct cond_rec *cond_rec_new(clockid_t clock)
{
	struct cond_rec *c = malloc(sizeof(*c));

	if (c) {
		sk_cond_init(&c->cond);
		c->clock = clock;
	}
	return c;
}

static void *cond_rec_new_default(void)
{
	return cond_rec_new(CLOCK_REALTIME);
}

static struct cond_rec *cond_lookup(pthread_cond_t *cond)
{
	return cond ? handle_resolve(&cond_handles, cond, cond_rec_new_default) : NULL;
}

int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr)
{
	clockid_t clock = CLOCK_REALTIME;

	if (attr) {
		if (!attr->is_initialized)
			return EINVAL;
		clock = (clockid_t)attr->clock;
	}
	struct cond_rec *c = cond_rec_new(clock);
	uint32_t h = c ? handle_alloc(&cond_handles, c) : 0;
	if (!h) {
		free(c);
		return ENOMEM;
	}
	__atomic_store_n(cond, h, __ATOMIC_RELEASE);
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *cond)
{
	uint32_t h = *cond;

	if (h == 0 || h == HANDLE_UNSET)
		return 0;
	struct cond_rec *c = handle_get(&cond_handles, h);
	if (!c)
		return EINVAL;
	if (c->cond.waiters.head)
		return EBUSY;
	handle_free(&cond_handles, h);
	free(c);
	*cond = HANDLE_UNSET;
	return 0;
}

/* Wait with a kernel deadline (0 = none). */
static int cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex,
		     const struct timespec *abstime)
{
	struct cond_rec *c = cond_lookup(cond);
	struct sk_mutex *m = shim_mutex_get(mutex);
	uint64_t deadline = 0;

	if (!c || !m)
		return EINVAL;
	if (m->owner != sched_current())
		return EPERM;
	if (abstime) {
		int err = shim_abstime_to_deadline(c->clock, abstime, &deadline);
		if (err)
			return err;
	}
	return sk_cond_wait_until(&c->cond, m, deadline) == 0 ? 0 : ETIMEDOUT;
}

int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
	return cond_wait(cond, mutex, NULL);
}

int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
			   const struct timespec *abstime)
{
	if (!abstime)
		return EINVAL;
	return cond_wait(cond, mutex, abstime);
}

int pthread_cond_signal(pthread_cond_t *cond)
{
	struct cond_rec *c = cond_lookup(cond);

	if (!c)
		return EINVAL;
	sk_cond_signal(&c->cond);
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *cond)
{
	struct cond_rec *c = cond_lookup(cond);

	if (!c)
		return EINVAL;
	sk_cond_broadcast(&c->cond);
	return 0;
}

int pthread_condattr_init(pthread_condattr_t *attr)
{
	attr->is_initialized = 1;
	attr->clock = CLOCK_REALTIME;
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
	attr->is_initialized = 0;
	return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock)
{
	if (!attr->is_initialized ||
	    (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC))
		return EINVAL;
	attr->clock = (clock_t)clock;
	return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *restrict attr,
			      clockid_t *restrict clock)
{
	if (!attr->is_initialized)
		return EINVAL;
	*clock = (clockid_t)attr->clock;
	return 0;
}
