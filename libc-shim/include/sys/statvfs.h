/* POSIX <sys/statvfs.h>: file system figures (libc-shim/fs/statvfs.c). */
#ifndef SKIFF_SYS_STATVFS_H
#define SKIFF_SYS_STATVFS_H

#include <sys/types.h> /* fsblkcnt_t, fsfilcnt_t */


struct statvfs {
	unsigned long f_bsize;   /* block size */
	unsigned long f_frsize;  /* fragment size: the unit of the counts below */
	fsblkcnt_t f_blocks;     /* size in f_frsize units */
	fsblkcnt_t f_bfree;      /* free */
	fsblkcnt_t f_bavail;     /* free for unprivileged users */
	fsfilcnt_t f_files;      /* file nodes */
	fsfilcnt_t f_ffree;
	fsfilcnt_t f_favail;
	unsigned long f_fsid;
	unsigned long f_flag;    /* ST_* */
	unsigned long f_namemax; /* longest file name */
};

#define ST_RDONLY 1
#define ST_NOSUID 2

int statvfs(const char *__restrict path, struct statvfs *__restrict buf);
int fstatvfs(int fd, struct statvfs *buf);

#endif
