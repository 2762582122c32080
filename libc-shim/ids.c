/* Changing identity: the program runs as root (uid/gid 0) and stays so; becoming root succeeds, becoming anyone else is EPERM. */
#include <errno.h>
#include <grp.h>
#include <unistd.h>

/* 0 if every id is 0 or -1 ("unchanged"); else EPERM. */
static int only_root(long a, long b, long c)
{
	if ((a != 0 && a != -1) || (b != 0 && b != -1) || (c != 0 && c != -1)) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

int setuid(uid_t uid)
{
	return uid == (uid_t)-1 ? (errno = EINVAL, -1) : only_root((long)uid, 0, 0);
}

int setgid(gid_t gid)
{
	return gid == (gid_t)-1 ? (errno = EINVAL, -1) : only_root((long)gid, 0, 0);
}

int seteuid(uid_t uid)
{
	return uid == (uid_t)-1 ? (errno = EINVAL, -1) : only_root((long)uid, 0, 0);
}

int setegid(gid_t gid)
{
	return gid == (gid_t)-1 ? (errno = EINVAL, -1) : only_root((long)gid, 0, 0);
}

/* -1 for (uid_t)-1 ("unchanged"; ids are 16 bits in newlib), else the id. */
#define ID(x) ((x) == (__typeof__(x))-1 ? -1L : (long)(x))

int setreuid(uid_t ruid, uid_t euid)
{
	return only_root(ID(ruid), ID(euid), 0);
}

int setregid(gid_t rgid, gid_t egid)
{
	return only_root(ID(rgid), ID(egid), 0);
}

/* Supplementary groups: none. */
int getgroups(int size, gid_t list[])
{
	(void)size;
	(void)list;
	return 0;
}

int setgroups(int n, const gid_t *list)
{
	for (int i = 0; i < n; i++) {
		if (list[i] != 0) {
			errno = EPERM;
			return -1;
		}
	}
	return 0;
}

int initgroups(const char *user, gid_t group)
{
	(void)user;
	return only_root(ID(group), 0, 0);
}
