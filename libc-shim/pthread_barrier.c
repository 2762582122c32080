/* pthread barriers: the count-th arrival releases the whole generation; one waiter gets PTHREAD_BARRIER_SERIAL_THREAD. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "shim.h"

struct barrier_rec {
	struct sk_mutex lock;
	struct sk_cond all_here;
	unsigned count;      /* threads per generation */
	unsigned arrived;    /* in this generation (lock) */
	unsigned generation; /* bumped on each release (lock) */
};

static struct handle_table barrier_handles = HANDLE_TABLE_INIT;

int pthread_barrierattr_init(pthread_barrierattr_t *attr)
{
	if (!attr)
		return EINVAL;
	attr->is_initialized = 1;
	return 0;
}

int pthread_barrierattr_destroy(pthread_barrierattr_t *attr)
{
	if (!attr || !attr->is_initialized)
		return EINVAL;
	attr->is_initialized = 0;
	return 0;
}

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr, unsigned count)
{
	if (!b || count == 0 || (attr && !attr->is_initialized))
		return EINVAL;
	struct barrier_rec *r = calloc(1, sizeof(*r));
	if (!r)
		return ENOMEM;
	sk_mutex_init(&r->lock, 0);
	sk_cond_init(&r->all_here);
	r->count = count;
	uint32_t h = handle_alloc(&barrier_handles, r);
	if (!h) {
		free(r);
		return EAGAIN;
	}
	*b = h;
	return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *b)
{
	struct barrier_rec *r = b ? handle_get(&barrier_handles, *b) : NULL;

	if (!r)
		return EINVAL;
	if (r->arrived)
		return EBUSY;
	handle_free(&barrier_handles, *b);
	free(r);
	*b = 0;
	return 0;
}

int pthread_barrier_wait(pthread_barrier_t *b)
{
	struct barrier_rec *r = b ? handle_get(&barrier_handles, *b) : NULL;
	int ret = 0;

	if (!r)
		return EINVAL;
	sk_mutex_lock(&r->lock);
	unsigned gen = r->generation;
	if (++r->arrived == r->count) {
		r->arrived = 0;
		r->generation++;
		sk_cond_broadcast(&r->all_here);
		ret = PTHREAD_BARRIER_SERIAL_THREAD;
	} else {
		while (gen == r->generation)
			sk_cond_wait_until(&r->all_here, &r->lock, 0);
	}
	sk_mutex_unlock(&r->lock);
	return ret;
}
