/* Linux's <sys/sysinfo.h>: sysinfo and get_nprocs (libc-shim/sysinfo.c). */
#ifndef SKIFF_SYS_SYSINFO_H
#define SKIFF_SYS_SYSINFO_H

struct sysinfo {
	long uptime;             /* seconds since boot */
	unsigned long loads[3];  /* 1, 5, 15 minute load averages, << SI_LOAD_SHIFT */
	unsigned long totalram;  /* in mem_unit units */
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	unsigned short procs;    /* threads */
	unsigned short pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	unsigned int mem_unit;   /* bytes */
	char _f[20 - 2 * sizeof(long) - sizeof(int)];
};

#define SI_LOAD_SHIFT 16

int sysinfo(struct sysinfo *info);
int get_nprocs(void);
int get_nprocs_conf(void);
long get_phys_pages(void);
long get_avphys_pages(void);

#endif
