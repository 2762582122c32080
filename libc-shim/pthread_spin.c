/* pthread spin locks: an atomic flag; a busy lock yields the CPU (one vCPU: spinning could never see it freed). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>

int pthread_spin_init(pthread_spinlock_t *s, int pshared)
{
	(void)pshared; /* one process: shared or private is the same */
	if (!s)
		return EINVAL;
	__atomic_store_n(s, 0, __ATOMIC_RELEASE);
	return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *s)
{
	if (!s)
		return EINVAL;
	return __atomic_load_n(s, __ATOMIC_ACQUIRE) ? EBUSY : 0;
}

int pthread_spin_trylock(pthread_spinlock_t *s)
{
	if (!s)
		return EINVAL;
	return __atomic_exchange_n(s, 1, __ATOMIC_ACQUIRE) ? EBUSY : 0;
}

int pthread_spin_lock(pthread_spinlock_t *s)
{
	if (!s)
		return EINVAL;
	while (__atomic_exchange_n(s, 1, __ATOMIC_ACQUIRE))
		sched_yield();
	return 0;
}

int pthread_spin_unlock(pthread_spinlock_t *s)
{
	if (!s)
		return EINVAL;
	__atomic_store_n(s, 0, __ATOMIC_RELEASE);
	return 0;
}
