/* Address -> function name from the .ksyms table: sorted (offset, name) pairs after a count. */
#include <stddef.h>
#include "ksyms.h"
#include "layout.h"

extern const char __ksyms_start[], __ksyms_end[], __text_end[];

struct ksym {
	uint32_t addr_off; /* address - IMAGE_BASE */
	uint32_t name_off; /* into the string blob that follows the array */
};

const char *ksyms_lookup(uint64_t addr, uint64_t *offset)
{
	if ((size_t)(__ksyms_end - __ksyms_start) < 8 || addr < IMAGE_BASE ||
	    addr >= (uint64_t)__text_end)
		return NULL;
	uint32_t n = *(const uint32_t *)__ksyms_start;
	const struct ksym *tab = (const struct ksym *)(__ksyms_start + 8);
	const char *names = (const char *)(tab + n);
	uint32_t off = (uint32_t)(addr - IMAGE_BASE);
	int lo = 0, hi = (int)n - 1, best = -1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (tab[mid].addr_off <= off) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	if (best < 0)
		return NULL;
	*offset = off - tab[best].addr_off;
	return names + tab[best].name_off;
}
