/* Directories: opendir, readdir, closedir, scandir over skiff's initrd and /tmp. */
#ifndef SKIFF_DIRENT_H
#define SKIFF_DIRENT_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MAXNAMLEN 255

struct dirent {
	ino_t d_ino;
	off_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[MAXNAMLEN + 1];
};

#define DT_UNKNOWN 0
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10

typedef struct skiff_dir DIR;

DIR *opendir(const char *path);
DIR *fdopendir(int fd);
struct dirent *readdir(DIR *d);
int readdir_r(DIR *__restrict d, struct dirent *__restrict entry, struct dirent **__restrict result);
void rewinddir(DIR *d);
int closedir(DIR *d);
int dirfd(DIR *d);
long telldir(DIR *d);
void seekdir(DIR *d, long pos);
int scandir(const char *path, struct dirent ***list, int (*keep)(const struct dirent *),
	    int (*cmp)(const struct dirent **, const struct dirent **));
int alphasort(const struct dirent **a, const struct dirent **b);

#ifdef __cplusplus
}
#endif

#endif
