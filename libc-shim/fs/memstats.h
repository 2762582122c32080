/* /dev/memstats (memstats.c): memory figures as a read-only text file. */
#ifndef SKIFF_SHIM_MEMSTATS_H
#define SKIFF_SHIM_MEMSTATS_H

#include "fd.h"

struct stat;

#define MEMSTATS_INO 20 /* devfs: after the character and block devices */

/* A new open file holding a snapshot taken now; 0 or -errno (read-only). */
int memstats_open(int flags, struct file **out);
int memstats_stat(struct stat *st);

#endif
