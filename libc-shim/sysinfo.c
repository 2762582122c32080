/* sysinfo and get_nprocs: one CPU, one process, RAM figures from the kernel (as sysconf's), no swap, loads not tracked (0). */
#include <errno.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "shim.h"

int sysinfo(struct sysinfo *info)
{
	if (!info) {
		errno = EFAULT;
		return -1;
	}
	memset(info, 0, sizeof(*info));
	info->uptime = (long)(clock_monotonic_ns() / 1000000000u);
	info->totalram = (unsigned long)mm_total_bytes();
	info->freeram = (unsigned long)mm_free_bytes();
	info->procs = 1;
	info->mem_unit = 1;
	return 0;
}

int get_nprocs(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

int get_nprocs_conf(void)
{
	return (int)sysconf(_SC_NPROCESSORS_CONF);
}

long get_phys_pages(void)
{
	return sysconf(_SC_PHYS_PAGES);
}

long get_avphys_pages(void)
{
	return sysconf(_SC_AVPHYS_PAGES);
}
