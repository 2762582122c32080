/* CPU set-up at boot: SSE, GDT, TSS. */
#ifndef SKIFF_KERNEL_CPU_INIT_H
#define SKIFF_KERNEL_CPU_INIT_H

#define IST_FAULT 1        /* page faults: survive a stack overflow */
#define IST_DOUBLE_FAULT 2 /* double faults and NMIs */

void cpu_init(void);
/* The same on application processor `cpu` (1..SMP_MAX_CPUS-1), its IST stacks' tops given. */
void cpu_init_ap(int cpu, uint64_t fault_top, uint64_t double_fault_top);

#endif
