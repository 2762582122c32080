/* Boot test: chmod, fchmod, utimes, futimes on /tmp; EROFS on the initrd; readlink, lstat and symlink with no links. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#define CHECK(cond)                                                       \
	do {                                                              \
		if (!(cond)) {                                            \
			printf("file_attrs FAIL line %d: %s (errno %d)\n", \
			       __LINE__, #cond, errno);                   \
			return 1;                                         \
		}                                                         \
	} while (0)

int main(void)
{
	struct stat st;
	char buf[16];
	int fd = open("/tmp/f", O_RDWR | O_CREAT, 0644);

	CHECK(fd >= 0);
	CHECK(chmod("/tmp/f", 0600) == 0);
	CHECK(stat("/tmp/f", &st) == 0 && (st.st_mode & 07777) == 0600 && S_ISREG(st.st_mode));
	CHECK(fchmod(fd, 04751) == 0);
	CHECK(fstat(fd, &st) == 0 && (st.st_mode & 07777) == 04751 && S_ISREG(st.st_mode));
	CHECK(mkdir("/tmp/d", 0755) == 0 && chmod("/tmp/d", 0700) == 0);
	CHECK(stat("/tmp/d", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700);

	struct timeval tv[2] = { { 1000000000, 0 }, { 1234567890, 500 } };
	CHECK(utimes("/tmp/f", tv) == 0);
	CHECK(lstat("/tmp/f", &st) == 0 && st.st_mtime == 1234567890);
	tv[1].tv_sec = 1500000000;
	CHECK(futimes(fd, tv) == 0 && fstat(fd, &st) == 0 && st.st_mtime == 1500000000);
	CHECK(utimes("/tmp/f", NULL) == 0 && stat("/tmp/f", &st) == 0 && st.st_mtime > 1600000000);
	tv[1].tv_usec = 1000000;
	CHECK(utimes("/tmp/f", tv) == -1 && errno == EINVAL);

	CHECK(chmod("/tmp/missing", 0600) == -1 && errno == ENOENT);
	CHECK(chmod("/", 0700) == -1 && errno == EROFS);           /* the initrd */
	CHECK(chmod("/dev/null", 0600) == -1 && errno == EROFS);
	CHECK(fchmod(1, 0600) == -1 && errno == EINVAL);            /* the console */
	CHECK(fchmod(99, 0600) == -1 && errno == EBADF);

	CHECK(readlink("/tmp/f", buf, sizeof(buf)) == -1 && errno == EINVAL);
	CHECK(readlink("/tmp/missing", buf, sizeof(buf)) == -1 && errno == ENOENT);
	CHECK(symlink("/tmp/f", "/tmp/l") == -1 && errno == EPERM);
	CHECK(close(fd) == 0);
	printf("file_attrs ok\n");
	return 0;
}
