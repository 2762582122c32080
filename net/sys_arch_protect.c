/* lwIP's SYS_ARCH_PROTECT critical sections: interrupts off on the one vCPU. */
#include "lwip/sys.h"

sys_prot_t sys_arch_protect(void)
{
	return irq_save();
}

void sys_arch_unprotect(sys_prot_t pval)
{
	irq_restore(pval);
}
