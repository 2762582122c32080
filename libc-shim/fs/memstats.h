/* /dev/memstats and /dev/irqstats (memstats.c): kernel figures as read-only text files. */
#ifndef SKIFF_SHIM_MEMSTATS_H
#define SKIFF_SHIM_MEMSTATS_H

#include "fd.h"

struct stat;

#define STATFILE_INO 20 /* devfs: after the character and block devices; one each */
#define STATFILES 2

/* Which of the files /dev/NAME is (0..STATFILES-1), or -1. */
int statfile_index(const char *name);
const char *statfile_name(int i);
/* A new open file holding a snapshot of file i taken now; 0 or -errno (read-only). */
int statfile_open(int i, int flags, struct file **out);
int statfile_stat(int i, struct stat *st);

#endif
