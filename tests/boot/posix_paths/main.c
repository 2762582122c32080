/* Boot test: realpath on the initrd and /tmp (".", "..", "//", symbolic links, missing parts), the *at calls on directory fds, scandir/alphasort, nftw over a tree in /tmp, statvfs, utime/utimensat/futimens. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#define CHECK(cond) do { if (!(cond)) { printf("posix_paths FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno); return 1; } } while (0)

static int put_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int check_realpath(void)
{
	char buf[PATH_MAX];
	CHECK(realpath("/data/sub/../a", buf) && strcmp(buf, "/data/a") == 0);
	CHECK(realpath("data/./sub//b", buf) && strcmp(buf, "/data/sub/b") == 0);
	CHECK(realpath("/", buf) && strcmp(buf, "/") == 0);
	CHECK(realpath("/data/..", buf) && strcmp(buf, "/") == 0);
	CHECK(!realpath("/data/nope/../a", buf) && errno == ENOENT); /* each part must exist */
	CHECK(!realpath("/data/a/x", buf) && errno == ENOTDIR);
	CHECK(!realpath("", buf) && errno == ENOENT);
	/* symbolic links from the initrd (root/): relative and absolute targets; ".." after a link is taken from its target */
	CHECK(realpath("/data/link-to-sub/b", buf) && strcmp(buf, "/data/sub/b") == 0);
	CHECK(realpath("/abs/../a", buf) && strcmp(buf, "/data/a") == 0);
	CHECK(realpath("/abs", buf) && strcmp(buf, "/data/sub") == 0);
	CHECK(!realpath("/data/dangling", buf) && errno == ENOENT);
	struct stat lst;
	CHECK(fstatat(AT_FDCWD, "/abs", &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode));
	CHECK(fstatat(AT_FDCWD, "/abs", &lst, 0) == 0 && S_ISDIR(lst.st_mode));
	CHECK(mkdir("/tmp/rp", 0755) == 0 && mkdir("/tmp/rp/in", 0755) == 0 && chdir("/tmp/rp/in") == 0);
	CHECK(realpath("../../../data/sub", buf) && strcmp(buf, "/data/sub") == 0);
	CHECK(realpath(".", buf) && strcmp(buf, "/tmp/rp/in") == 0);
	char *p = realpath("..//in/.", NULL);
	CHECK(p && strcmp(p, "/tmp/rp/in") == 0);
	free(p);
	CHECK(chdir("/") == 0);
	return 0;
}

static int check_at(void)
{
	struct stat st;
	char buf[16];
	CHECK(mkdir("/tmp/at", 0755) == 0);
	int dfd = open("/tmp/at", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0);
	int fd = openat(dfd, "f", O_WRONLY | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0 && write(fd, "hello", 5) == 5 && close(fd) == 0);
	CHECK(fstatat(dfd, "f", &st, 0) == 0 && st.st_size == 5 && S_ISREG(st.st_mode));
	CHECK(stat("/tmp/at/f", &st) == 0 && st.st_size == 5); /* really there */
	CHECK(mkdirat(dfd, "d", 0755) == 0 && stat("/tmp/at/d", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(renameat(dfd, "f", dfd, "d/g") == 0 && stat("/tmp/at/d/g", &st) == 0);
	CHECK(faccessat(dfd, "d/g", R_OK, 0) == 0 && faccessat(dfd, "f", F_OK, 0) == -1 && errno == ENOENT);
	CHECK(fchmodat(dfd, "d/g", 0400, 0) == 0 && stat("/tmp/at/d/g", &st) == 0 && (st.st_mode & 0777) == 0400);
	CHECK(readlinkat(dfd, "d/g", buf, sizeof(buf)) == -1 && errno == EINVAL); /* not a link */
	CHECK(unlinkat(dfd, "d", AT_REMOVEDIR) == -1 && errno == ENOTEMPTY);
	/* a dup'd fd names the same directory; an absolute path ignores dirfd */
	int dfd2 = dup(dfd);
	CHECK(unlinkat(dfd2, "d/g", 0) == 0 && unlinkat(dfd2, "d", AT_REMOVEDIR) == 0);
	CHECK(fstatat(dfd2, "/data/a", &st, 0) == 0 && st.st_size == 6);
	close(dfd2);
	/* AT_FDCWD: relative to the working directory */
	CHECK(chdir("/tmp/at") == 0 && mkdirat(AT_FDCWD, "cwd-made", 0755) == 0);
	CHECK(stat("/tmp/at/cwd-made", &st) == 0 && chdir("/") == 0);
	CHECK(fstatat(dfd, "", &st, AT_EMPTY_PATH) == 0 && S_ISDIR(st.st_mode));
	/* a directory on the initrd */
	int ifd = open("/data", O_RDONLY | O_DIRECTORY);
	CHECK(ifd >= 0);
	fd = openat(ifd, "sub/b", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 5 && memcmp(buf, "beta\n", 5) == 0);
	close(fd);
	CHECK(mkdirat(ifd, "new", 0755) == -1 && errno == EROFS);
	/* bad directory fds */
	fd = open("/data/a", O_RDONLY);
	CHECK(openat(fd, "x", O_RDONLY) == -1 && errno == ENOTDIR);
	CHECK(openat(12345, "x", O_RDONLY) == -1 && errno == EBADF);
	CHECK(fstatat(dfd, "x", &st, 0x4000) == -1 && errno == EINVAL);
	close(fd);
	close(ifd);
	close(dfd);
	return 0;
}

static int no_dots(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

static int check_scandir(void)
{
	struct dirent **list;
	CHECK(mkdir("/tmp/s", 0755) == 0);
	const char *names[] = { "delta", "alpha", "Charlie", "bravo", ".hidden" };
	for (int i = 0; i < 5; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/tmp/s/%s", names[i]);
		CHECK(put_file(path, "x") == 0);
	}
	int n = scandir("/tmp/s", &list, no_dots, alphasort);
	CHECK(n == 4);
	const char *want[] = { "Charlie", "alpha", "bravo", "delta" }; /* C locale: bytes */
	for (int i = 0; i < n; i++) {
		CHECK(strcmp(list[i]->d_name, want[i]) == 0);
		free(list[i]);
	}
	free(list);
	n = scandir("/tmp/s", &list, NULL, NULL);
	CHECK(n >= 5); /* every entry, "." and ".." too where listed */
	while (n--)
		free(list[n]);
	free(list);
	CHECK(scandir("/tmp/none", &list, NULL, alphasort) == -1 && errno == ENOENT);
	return 0;
}

static char walk_log[512];
static int walk_stop_at;
static int walk_calls;

static int walker(const char *path, const struct stat *st, int type, struct FTW *f)
{
	char item[64];
	const char *t = type == FTW_F ? "F" : type == FTW_D ? "D" : type == FTW_DP ? "DP" : "?";
	if ((type == FTW_F) != S_ISREG(st->st_mode))
		return 99;
	snprintf(item, sizeof(item), "%s:%d:%s ", t, f->level, path + f->base);
	strcat(walk_log, item);
	return ++walk_calls == walk_stop_at ? 42 : 0;
}

static int count(const char *s, const char *sub)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, sub)); p++)
		n++;
	return n;
}

static int check_nftw(void)
{
	CHECK(mkdir("/tmp/w", 0755) == 0 && mkdir("/tmp/w/y", 0755) == 0 && mkdir("/tmp/w/y/q", 0755) == 0);
	CHECK(put_file("/tmp/w/x", "1") == 0 && put_file("/tmp/w/y/z", "2") == 0);
	CHECK(nftw("/tmp/w", walker, 8, FTW_PHYS) == 0);
	/* pre-order: the root first, each directory before its contents */
	CHECK(strncmp(walk_log, "D:0:w ", 6) == 0);
	CHECK(count(walk_log, "D:1:y ") == 1 && count(walk_log, "F:1:x ") == 1);
	CHECK(count(walk_log, "D:2:q ") == 1 && count(walk_log, "F:2:z ") == 1 && walk_calls == 5);
	CHECK(strstr(walk_log, "D:1:y ") < strstr(walk_log, "F:2:z "));
	/* FTW_DEPTH: directories after their contents, the root last */
	walk_log[0] = '\0';
	walk_calls = 0;
	CHECK(nftw("/tmp/w/", walker, 8, FTW_DEPTH) == 0 && walk_calls == 5);
	CHECK(strstr(walk_log, "DP:0:") && strcmp(strstr(walk_log, "DP:0:"), "DP:0:w/ ") == 0);
	CHECK(strstr(walk_log, "F:2:z ") < strstr(walk_log, "DP:1:y "));
	CHECK(count(walk_log, "D:") == 0);
	/* a nonzero return stops the walk and is nftw's result */
	walk_log[0] = '\0';
	walk_calls = 0;
	walk_stop_at = 2;
	CHECK(nftw("/tmp/w", walker, 8, 0) == 42 && walk_calls == 2);
	walk_stop_at = 0;
	CHECK(nftw("/tmp/missing", walker, 8, 0) == -1 && errno == ENOENT && walk_calls == 2);
	CHECK(nftw("/tmp/w", walker, 8, FTW_CHDIR) == -1 && errno == EINVAL);
	return 0;
}

static int check_statvfs(void)
{
	struct statvfs vt, vr;
	CHECK(statvfs("/tmp", &vt) == 0);
	CHECK(vt.f_bsize == 4096 && vt.f_frsize == 4096 && vt.f_blocks > 0 && vt.f_bfree <= vt.f_blocks);
	CHECK(vt.f_bavail == vt.f_bfree && !(vt.f_flag & ST_RDONLY) && vt.f_namemax == 255);
	CHECK(statvfs("/data/a", &vr) == 0 && (vr.f_flag & ST_RDONLY) && vr.f_fsid != vt.f_fsid);
	int fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0 && fstatvfs(fd, &vr) == 0 && vr.f_fsid == vt.f_fsid && vr.f_blocks == vt.f_blocks);
	close(fd);
	/* a 4 MiB file in /tmp takes free space */
	fd = open("/tmp/big", O_WRONLY | O_CREAT, 0600);
	static char chunk[65536];
	memset(chunk, 'x', sizeof(chunk));
	for (int i = 0; i < 64; i++)
		CHECK(write(fd, chunk, sizeof(chunk)) == (ssize_t)sizeof(chunk));
	close(fd);
	CHECK(statvfs("/tmp", &vr) == 0 && vr.f_bfree + 512 <= vt.f_bfree);
	CHECK(unlink("/tmp/big") == 0);
	CHECK(statvfs("/nowhere", &vr) == -1 && errno == ENOENT);
	return 0;
}

static int check_utime(void)
{
	struct stat st;
	CHECK(put_file("/tmp/u", "u") == 0);
	struct utimbuf ub = { 1000, 123456789 };
	CHECK(utime("/tmp/u", &ub) == 0 && stat("/tmp/u", &st) == 0 && st.st_mtime == 123456789);
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { 987654321, 0 } };
	CHECK(utimensat(AT_FDCWD, "/tmp/u", ts, 0) == 0 && stat("/tmp/u", &st) == 0 && st.st_mtime == 987654321);
	int fd = open("/tmp/u", O_RDONLY);
	ts[1].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = 5;
	CHECK(futimens(fd, ts) == 0 && fstat(fd, &st) == 0 && st.st_mtime == 987654321);
	time_t before = time(NULL);
	CHECK(futimens(fd, NULL) == 0 && fstat(fd, &st) == 0 && st.st_mtime >= before);
	ts[1].tv_nsec = 1000000000;
	CHECK(futimens(fd, ts) == -1 && errno == EINVAL);
	close(fd);
	CHECK(futimens(fd, NULL) == -1 && errno == EBADF);
	CHECK(utime("/data/a", NULL) == -1 && errno == EROFS);
	CHECK(utime("/tmp/none", NULL) == -1 && errno == ENOENT);
	return 0;
}

int main(void)
{
	if (check_realpath() || check_at() || check_scandir() || check_nftw() || check_statvfs() ||
	    check_utime())
		return 1;
	printf("posix_paths ok\n");
	return 0;
}
