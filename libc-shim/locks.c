/* newlib's retargetable locks (stdio, malloc, atexit, env...) on kernel mutexes.
 * These definitions replace the no-op ones in newlib's libc.a (lock.o); crt.o
 * uses __retarget_lock_try_acquire_recursive, which pulls this file in first. */
#include <errno.h>
#include <stdlib.h>
#include <sys/lock.h>

#include "shim.h"

struct __lock {
	struct sk_mutex mutex;
};

/* The nine locks newlib names statically (sys/lock.h __LOCK_INIT). */
struct __lock __lock___sinit_recursive_mutex = { SK_MUTEX_RECURSIVE_INIT };
struct __lock __lock___sfp_recursive_mutex = { SK_MUTEX_RECURSIVE_INIT };
struct __lock __lock___atexit_recursive_mutex = { SK_MUTEX_RECURSIVE_INIT };
struct __lock __lock___at_quick_exit_mutex = { SK_MUTEX_INIT };
struct __lock __lock___malloc_recursive_mutex = { SK_MUTEX_RECURSIVE_INIT };
struct __lock __lock___env_recursive_mutex = { SK_MUTEX_RECURSIVE_INIT };
struct __lock __lock___tz_mutex = { SK_MUTEX_INIT };
struct __lock __lock___dd_hash_mutex = { SK_MUTEX_INIT };
struct __lock __lock___arc4random_mutex = { SK_MUTEX_INIT };

/* Handed out when malloc fails (newlib cannot handle a failed lock init):
 * every such lock is this one shared recursive lock — slower, still correct. */
static struct __lock fallback_lock = { SK_MUTEX_RECURSIVE_INIT };

static void lock_new(_LOCK_T *lock, int recursive)
{
	struct __lock *l = malloc(sizeof(*l));

	if (!l) {
		*lock = &fallback_lock;
		return;
	}
	sk_mutex_init(&l->mutex, recursive);
	*lock = l;
}

static void lock_delete(_LOCK_T lock)
{
	if (lock && lock != &fallback_lock)
		free(lock);
}

void __retarget_lock_init(_LOCK_T *lock)
{
	lock_new(lock, 0);
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	lock_new(lock, 1);
}

void __retarget_lock_close(_LOCK_T lock)
{
	lock_delete(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	lock_delete(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	sk_mutex_lock(&lock->mutex);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	sk_mutex_lock(&lock->mutex);
}

/* 0 when taken, EBUSY when another thread holds it (RTEMS's convention). */
int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return sk_mutex_trylock(&lock->mutex) == 0 ? 0 : EBUSY;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	return sk_mutex_trylock(&lock->mutex) == 0 ? 0 : EBUSY;
}

void __retarget_lock_release(_LOCK_T lock)
{
	sk_mutex_unlock(&lock->mutex);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	sk_mutex_unlock(&lock->mutex);
}
