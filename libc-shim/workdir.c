/* The app's first working directory: the `workdir=DIR` kernel argument (skiff run -w), created like Docker does if missing. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <skiff/boot.h>

#include "shim.h"

/* Weak: an image whose program opens no files links no file system (hello stays small);
 * then these stay NULL and a workdir= argument is refused with a reason. */
extern int chdir(const char *path) __attribute__((weak));
extern int mkdir(const char *path, mode_t mode) __attribute__((weak));
extern int stat(const char *restrict path, struct stat *restrict st) __attribute__((weak));

#define WORKDIR_MAX 1024 /* fs/vfs.h VFS_PATH_MAX */

/* mkdir -p: every missing component of the absolute path dir; 0 or an errno. */
static int make_dirs(const char *dir)
{
	char path[WORKDIR_MAX];
	struct stat st;
	size_t len = strlen(dir);

	if (len >= sizeof(path))
		return ENAMETOOLONG;
	memcpy(path, dir, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		char saved = path[i];
		path[i] = '\0';
		if (path[i - 1] != '/' && stat(path, &st) != 0 && mkdir(path, 0755) != 0 &&
		    errno != EEXIST)
			return errno;
		path[i] = saved;
	}
	return 0;
}

void shim_workdir_init(void)
{
	const char *dir = boot_karg("workdir");

	if (!dir)
		return;
	if (!chdir || !mkdir || !stat)
		sk_refuse("workdir %s: this image has no file system code (its program opens no files)",
			  dir);
	if (chdir(dir) == 0)
		return;
	int err = errno;
	if (err == ENOENT && (err = make_dirs(dir)) == 0 && chdir(dir) == 0)
		return;
	if (err == 0)
		err = errno;
	if (err == EROFS)
		sk_refuse("workdir %s: cannot create it: %s (only /tmp is writable)", dir,
			  strerror(err));
	sk_refuse("workdir %s: %s", dir, strerror(err));
}
