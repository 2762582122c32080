/* lwIP counting semaphores (sys_sem_*) on the kernel's sk_sem. */
#include "lwip/sys.h"
#include "sys_arch_time.h"

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
	sk_sem_init(&sem->sem, count);
	sem->valid = 1;
	return ERR_OK;
}

void sys_sem_free(sys_sem_t *sem)
{
	sem->valid = 0;
}

void sys_sem_signal(sys_sem_t *sem)
{
	sk_sem_up(&sem->sem);
}

/* Wait up to timeout ms (0 = forever). Returns the ms waited, or SYS_ARCH_TIMEOUT. */
u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
	uint64_t start = sys_arch_now_ns();

	if (sk_sem_down_until(&sem->sem, sys_arch_deadline(start, timeout)) < 0)
		return SYS_ARCH_TIMEOUT;
	return sys_arch_elapsed_ms(start);
}
