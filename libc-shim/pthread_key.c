/* Thread-specific data: pthread_key_create/delete, get/setspecific, and the
 * destructors run when a thread exits. A key's sequence number changes on
 * every create, so a value stored under a deleted key is never returned
 * under the key that reuses its slot. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>

#include "shim.h"

struct key_def {
	unsigned seq;               /* 0 = free slot */
	void (*destructor)(void *);
};

struct key_slot {
	unsigned seq;               /* key_def.seq when value was stored */
	void *value;
};

static struct sk_mutex keys_lock = SK_MUTEX_INIT;
static struct key_def keys[PTHREAD_KEYS_MAX]; /* (keys_lock for writes) */
static unsigned last_seq;                     /* (keys_lock) */

static unsigned key_seq(pthread_key_t key)
{
	return key < PTHREAD_KEYS_MAX ? __atomic_load_n(&keys[key].seq, __ATOMIC_ACQUIRE) : 0;
}

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	int err = EAGAIN;

	sk_mutex_lock(&keys_lock);
	for (pthread_key_t k = 0; k < PTHREAD_KEYS_MAX; k++) {
		if (keys[k].seq)
			continue;
		if (++last_seq == 0)
			last_seq = 1;
		keys[k].destructor = destructor;
		__atomic_store_n(&keys[k].seq, last_seq, __ATOMIC_RELEASE);
		*key = k;
		err = 0;
		break;
	}
	sk_mutex_unlock(&keys_lock);
	return err;
}

int pthread_key_delete(pthread_key_t key)
{
	int err = EINVAL;

	sk_mutex_lock(&keys_lock);
	if (key_seq(key)) {
		__atomic_store_n(&keys[key].seq, 0, __ATOMIC_RELEASE);
		keys[key].destructor = NULL;
		err = 0;
	}
	sk_mutex_unlock(&keys_lock);
	return err;
}

void *pthread_getspecific(pthread_key_t key)
{
	struct pthread_rec *self = shim_pthread_current();
	unsigned seq = key_seq(key);

	if (!self || !self->keys || !seq || self->keys[key].seq != seq)
		return NULL;
	return self->keys[key].value;
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	struct pthread_rec *self = shim_pthread_current();
	unsigned seq = key_seq(key);

	if (!seq)
		return EINVAL;
	if (!self)
		return ENOMEM;
	if (!self->keys) {
		self->keys = calloc(PTHREAD_KEYS_MAX, sizeof(*self->keys));
		if (!self->keys)
			return ENOMEM;
	}
	self->keys[key].seq = seq;
	self->keys[key].value = (void *)value;
	return 0;
}

void shim_keys_run_destructors(struct pthread_rec *self)
{
	if (!self->keys)
		return;
	for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
		int called = 0;
		for (pthread_key_t k = 0; k < PTHREAD_KEYS_MAX; k++) {
			struct key_slot *s = &self->keys[k];
			void (*destructor)(void *) = keys[k].destructor;
			if (!s->value || s->seq != key_seq(k) || !destructor)
				continue;
			void *value = s->value;
			s->value = NULL;
			destructor(value);
			called = 1;
		}
		if (!called)
			break;
	}
}
