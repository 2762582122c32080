/* pthread_once: the first caller runs the routine, later ones wait for it. */
#include <errno.h>
#include <pthread.h>

#include "shim.h"

/* pthread_once_t.init_executed: PTHREAD_ONCE_INIT starts it at 0. */
enum { ONCE_NOT_RUN = 0, ONCE_RUNNING = 1, ONCE_DONE = 2 };

static struct sk_mutex once_lock = SK_MUTEX_INIT;
static struct sk_cond once_done; /* broadcast whenever a routine finishes */

int pthread_once(pthread_once_t *once, void (*routine)(void))
{
	int state = ONCE_NOT_RUN;

	if (!once || !routine)
		return EINVAL;
	if (__atomic_load_n(&once->init_executed, __ATOMIC_ACQUIRE) == ONCE_DONE)
		return 0;
	if (__atomic_compare_exchange_n(&once->init_executed, &state, ONCE_RUNNING, 0,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		routine();
		sk_mutex_lock(&once_lock);
		__atomic_store_n(&once->init_executed, ONCE_DONE, __ATOMIC_RELEASE);
		sk_cond_broadcast(&once_done);
		sk_mutex_unlock(&once_lock);
		return 0;
	}
	sk_mutex_lock(&once_lock);
	while (__atomic_load_n(&once->init_executed, __ATOMIC_ACQUIRE) != ONCE_DONE)
		sk_cond_wait_until(&once_done, &once_lock, 0);
	sk_mutex_unlock(&once_lock);
	return 0;
}
