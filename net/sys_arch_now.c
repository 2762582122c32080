/* lwIP's clock (sys_now, ms since boot) and its sys_init hook. */
#include "lwip/sys.h"
#include "sys_arch_time.h"

u32_t sys_now(void)
{
	return (u32_t)(sys_arch_now_ns() / 1000000u);
}

void sys_init(void)
{
}
