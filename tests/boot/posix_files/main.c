/* Boot test: flock, chmod/fchmod/umask, dirname, fnmatch and glob over /tmp. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(cond) do { if (!(cond)) { printf("posix_files FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno); return 1; } } while (0)

static int dn(const char *in, const char *want)
{
	char buf[64];
	strcpy(buf, in);
	return strcmp(dirname(buf), want) == 0;
}

int main(void)
{
	int fd;

	CHECK((fd = open("/tmp/a.conf", O_CREAT | O_WRONLY, 0644)) >= 0);
	CHECK(flock(fd, LOCK_EX | LOCK_NB) == 0 && flock(fd, LOCK_UN) == 0);
	CHECK(flock(fd, 0) == -1 && errno == EINVAL);
	CHECK(flock(555, LOCK_SH) == -1 && errno == EBADF);
	CHECK(fchmod(fd, 0600) == 0);
	CHECK(close(fd) == 0);
	CHECK(chmod("/tmp/a.conf", 0600) == 0);
	CHECK(chmod("/tmp/none", 0600) == -1 && errno == ENOENT);
	CHECK(umask(077) == 022 && umask(022) == 077);

	CHECK(dn("/usr/lib", "/usr") && dn("/usr/", "/") && dn("usr", ".") && dn("/", "/"));
	CHECK(dn("a/b//", "a") && dn("//x", "/") && dn("", "."));

	CHECK(fnmatch("*.conf", "a.conf", 0) == 0);
	CHECK(fnmatch("*.conf", ".a.conf", FNM_PERIOD) == FNM_NOMATCH);
	CHECK(fnmatch("a?[bc]*", "axcdef", 0) == 0 && fnmatch("a?[!bc]", "axc", 0) == FNM_NOMATCH);
	CHECK(fnmatch("[a-c]x", "bx", 0) == 0 && fnmatch("\\*", "*", 0) == 0 && fnmatch("\\*", "a", 0) != 0);
	CHECK(fnmatch("*/b", "a/x/b", FNM_PATHNAME) == FNM_NOMATCH && fnmatch("*/b", "a/x/b", 0) == 0);
	CHECK(fnmatch("A*", "abc", FNM_CASEFOLD) == 0);

	CHECK((fd = open("/tmp/b.conf", O_CREAT | O_WRONLY, 0644)) >= 0 && close(fd) == 0);
	CHECK((fd = open("/tmp/c.txt", O_CREAT | O_WRONLY, 0644)) >= 0 && close(fd) == 0);
	glob_t g;
	CHECK(glob("/tmp/*.conf", 0, NULL, &g) == 0 && g.gl_pathc == 2);
	CHECK(strcmp(g.gl_pathv[0], "/tmp/a.conf") == 0 && strcmp(g.gl_pathv[1], "/tmp/b.conf") == 0);
	CHECK(g.gl_pathv[2] == NULL);
	globfree(&g);
	CHECK(glob("/tmp/c.txt", 0, NULL, &g) == 0 && g.gl_pathc == 1);
	globfree(&g);
	CHECK(glob("/tmp/*.none", 0, NULL, &g) == GLOB_NOMATCH);
	globfree(&g);
	CHECK(glob("/tmp/*.none", GLOB_NOCHECK, NULL, &g) == 0 && strcmp(g.gl_pathv[0], "/tmp/*.none") == 0);
	globfree(&g);

	printf("posix_files ok\n");
	return 0;
}
