/* Cancellation: the cancel state and type are kept per thread, but no thread can be cancelled (pthread_cancel: ENOSYS, logged once). */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>

#include "shim.h"

/* Per-thread state in a key: bit 0 disabled, bit 1 asynchronous
 * (0 = PTHREAD_CANCEL_ENABLE + DEFERRED, the initial state). */
static pthread_key_t state_key;
static pthread_once_t state_once = PTHREAD_ONCE_INIT;

static void make_key(void)
{
	pthread_key_create(&state_key, NULL);
}

static uintptr_t get_state(void)
{
	pthread_once(&state_once, make_key);
	return (uintptr_t)pthread_getspecific(state_key);
}

static void set_state(uintptr_t s)
{
	pthread_setspecific(state_key, (void *)s);
}

int pthread_setcancelstate(int state, int *old)
{
	uintptr_t s = get_state();

	if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
		return EINVAL;
	if (old)
		*old = s & 1 ? PTHREAD_CANCEL_DISABLE : PTHREAD_CANCEL_ENABLE;
	set_state((s & ~(uintptr_t)1) | (state == PTHREAD_CANCEL_DISABLE));
	return 0;
}

int pthread_setcanceltype(int type, int *old)
{
	uintptr_t s = get_state();

	if (type != PTHREAD_CANCEL_DEFERRED && type != PTHREAD_CANCEL_ASYNCHRONOUS)
		return EINVAL;
	if (old)
		*old = s & 2 ? PTHREAD_CANCEL_ASYNCHRONOUS : PTHREAD_CANCEL_DEFERRED;
	set_state((s & ~(uintptr_t)2) | (type == PTHREAD_CANCEL_ASYNCHRONOUS ? 2u : 0u));
	return 0;
}

int pthread_cancel(pthread_t thread)
{
	(void)thread;
	shim_log_once("pthread_cancel", "pthread_cancel() is not supported (ENOSYS)");
	return ENOSYS;
}

void pthread_testcancel(void)
{
	/* nothing can be pending */
}
