/* File tree walks: ftw and nftw (libc-shim/fs/nftw.c). */
#ifndef SKIFF_FTW_H
#define SKIFF_FTW_H

#include <sys/stat.h>

/* The type argument of the callback. */
#define FTW_F 0   /* a file that is not a directory */
#define FTW_D 1   /* a directory (before its contents) */
#define FTW_DNR 2 /* a directory that cannot be read */
#define FTW_NS 3  /* stat failed */
#define FTW_SL 4  /* a symbolic link (FTW_PHYS) */
#define FTW_DP 5  /* a directory, after its contents (FTW_DEPTH) */
#define FTW_SLN 6 /* a symbolic link to nothing */

/* nftw's flags. */
#define FTW_PHYS 1  /* do not follow symbolic links */
#define FTW_MOUNT 2 /* stay on the root's file system */
#define FTW_CHDIR 4 /* chdir into each directory: not offered (EINVAL) */
#define FTW_DEPTH 8 /* directories after their contents */

struct FTW {
	int base;  /* offset of the file's name in the path */
	int level; /* depth below the root (0) */
};

int ftw(const char *path, int (*fn)(const char *, const struct stat *, int), int fd_limit);
int nftw(const char *path, int (*fn)(const char *, const struct stat *, int, struct FTW *),
	 int fd_limit, int flags);

#endif
