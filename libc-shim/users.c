/* Users: one, root (uid and gid 0), home "/"; getuid and friends, getpwuid/getpwnam, chown (ownership never changes). */
#include <errno.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"

uid_t getuid(void)
{
	return 0;
}

uid_t geteuid(void)
{
	return 0;
}

gid_t getgid(void)
{
	return 0;
}

gid_t getegid(void)
{
	return 0;
}

static char root_name[] = "root", no_password[] = "x", root_dir[] = "/", no_shell[] = "";
static struct passwd root_entry = {
	.pw_name = root_name,
	.pw_passwd = no_password,
	.pw_uid = 0,
	.pw_gid = 0,
	.pw_comment = no_shell,
	.pw_gecos = root_name,
	.pw_dir = root_dir,
	.pw_shell = no_shell,
};

/* A missing user is a NULL with errno untouched, as POSIX asks. */
struct passwd *getpwuid(uid_t uid)
{
	return uid == 0 ? &root_entry : NULL;
}

struct passwd *getpwnam(const char *name)
{
	return name && strcmp(name, root_name) == 0 ? &root_entry : NULL;
}

/* Every file belongs to root: "changing" it to root (or -1, no change)
 * succeeds, any other owner is refused. */
static int owner_ok(uid_t owner, gid_t group)
{
	if ((owner != 0 && owner != (uid_t)-1) || (group != 0 && group != (gid_t)-1)) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

int chown(const char *path, uid_t owner, gid_t group)
{
	struct stat st;

	return stat(path, &st) ? -1 : owner_ok(owner, group);
}

int lchown(const char *path, uid_t owner, gid_t group)
{
	return chown(path, owner, group); /* no symbolic links */
}

int fchown(int fd, uid_t owner, gid_t group)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : owner_ok(owner, group);
}
