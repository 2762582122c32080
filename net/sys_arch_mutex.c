/* lwIP mutexes (sys_mutex_*) on the kernel's sk_mutex; the tcpip core lock is one. */
#include "lwip/sys.h"
#include "net_internal.h"

err_t sys_mutex_new(sys_mutex_t *mutex)
{
	sk_mutex_init(&mutex->mutex, 0);
	mutex->valid = 1;
	return ERR_OK;
}

void sys_mutex_free(sys_mutex_t *mutex)
{
	mutex->valid = 0;
}

void sys_mutex_lock(sys_mutex_t *mutex)
{
	sk_mutex_lock(&mutex->mutex);
}

void sys_mutex_unlock(sys_mutex_t *mutex)
{
	sk_mutex_unlock(&mutex->mutex);
}

/* For LWIP_ASSERT_CORE_LOCKED: does the calling thread hold mutex? */
int sys_mutex_is_mine(sys_mutex_t *mutex)
{
	return mutex->mutex.owner == sched_current();
}
