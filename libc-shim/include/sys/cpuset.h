/* cpu_set_t and the CPU_* macros (glibc's names); newlib's <sched.h> declares the affinity calls when this is included. */
#ifndef _SYS_CPUSET_H_
#define _SYS_CPUSET_H_

#include <stddef.h>

#define CPU_SETSIZE 1024
#define __CPU_WORD_BITS (8 * sizeof(unsigned long))

typedef struct {
	unsigned long __bits[CPU_SETSIZE / (8 * sizeof(unsigned long))];
} cpu_set_t;

#define CPU_ZERO(set) __builtin_memset((set), 0, sizeof(cpu_set_t))
#define CPU_SET(cpu, set) \
	((void)((size_t)(cpu) < CPU_SETSIZE && \
		((set)->__bits[(size_t)(cpu) / __CPU_WORD_BITS] |= 1ul << ((size_t)(cpu) % __CPU_WORD_BITS))))
#define CPU_CLR(cpu, set) \
	((void)((size_t)(cpu) < CPU_SETSIZE && \
		((set)->__bits[(size_t)(cpu) / __CPU_WORD_BITS] &= ~(1ul << ((size_t)(cpu) % __CPU_WORD_BITS)))))
#define CPU_ISSET(cpu, set) \
	((size_t)(cpu) < CPU_SETSIZE && \
	 (((set)->__bits[(size_t)(cpu) / __CPU_WORD_BITS] >> ((size_t)(cpu) % __CPU_WORD_BITS)) & 1))
#define CPU_COUNT(set) __cpu_count(set)

static inline int __cpu_count(const cpu_set_t *set)
{
	int n = 0;

	for (size_t i = 0; i < sizeof(set->__bits) / sizeof(set->__bits[0]); i++)
		n += __builtin_popcountl(set->__bits[i]);
	return n;
}

#endif
