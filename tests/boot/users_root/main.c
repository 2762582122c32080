/* Boot test: one user, root: getuid and friends, getpwuid/getpwnam, chown that cannot give a file away. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			printf("users FAIL line %d: %s (errno %d)\n",     \
			       __LINE__, #cond, errno);                  \
			return 1;                                        \
		}                                                        \
	} while (0)

int main(void)
{
	CHECK(getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0);
	struct passwd *pw = getpwuid(0);
	CHECK(pw && strcmp(pw->pw_name, "root") == 0 && strcmp(pw->pw_dir, "/") == 0);
	CHECK(pw->pw_uid == 0 && pw->pw_gid == 0);
	CHECK(getpwnam("root") == pw);
	CHECK(getpwuid(1000) == NULL && getpwnam("nobody") == NULL);

	int fd = open("/tmp/owned", O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	CHECK(chown("/tmp/owned", 0, 0) == 0 && chown("/tmp/owned", (uid_t)-1, (gid_t)-1) == 0);
	CHECK(chown("/tmp/owned", 1000, 0) == -1 && errno == EPERM);
	CHECK(lchown("/tmp/owned", 0, 1000) == -1 && errno == EPERM);
	CHECK(chown("/tmp/missing", 0, 0) == -1 && errno == ENOENT);
	CHECK(fchown(fd, 0, 0) == 0);
	CHECK(fchown(fd, 5, 5) == -1 && errno == EPERM);
	CHECK(fchown(77, 0, 0) == -1 && errno == EBADF);
	printf("users ok\n");
	return 0;
}
