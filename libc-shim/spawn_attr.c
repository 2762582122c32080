/* posix_spawn's file actions and attributes: kept faithfully (a program sets them up before posix_spawn, which then fails with ENOSYS). */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>

struct __posix_spawnattr {
	short flags;
	pid_t pgroup;
	sigset_t mask, defaults;
};

/* The actions are never run: only their number is kept. */
struct __posix_spawn_file_actions {
	int count;
};

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
	*fa = calloc(1, sizeof(**fa));
	return *fa ? 0 : ENOMEM;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{
	if (!fa || !*fa)
		return EINVAL;
	free(*fa);
	*fa = NULL;
	return 0;
}

static int add_action(posix_spawn_file_actions_t *fa, int fd)
{
	if (!fa || !*fa)
		return EINVAL;
	if (fd < 0)
		return EBADF;
	(*fa)->count++;
	return 0;
}

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *restrict fa, int fd,
				     const char *restrict path, int oflag, mode_t mode)
{
	(void)oflag;
	(void)mode;
	return path ? add_action(fa, fd) : EINVAL;
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd)
{
	return newfd < 0 ? EBADF : add_action(fa, fd);
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd)
{
	return add_action(fa, fd);
}

int posix_spawnattr_init(posix_spawnattr_t *attr)
{
	*attr = calloc(1, sizeof(**attr));
	return *attr ? 0 : ENOMEM;
}

int posix_spawnattr_destroy(posix_spawnattr_t *attr)
{
	if (!attr || !*attr)
		return EINVAL;
	free(*attr);
	*attr = NULL;
	return 0;
}

int posix_spawnattr_getflags(const posix_spawnattr_t *restrict attr, short *restrict flags)
{
	*flags = (*attr)->flags;
	return 0;
}

int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags)
{
	(*attr)->flags = flags;
	return 0;
}

int posix_spawnattr_getpgroup(const posix_spawnattr_t *restrict attr, pid_t *restrict pgroup)
{
	*pgroup = (*attr)->pgroup;
	return 0;
}

int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup)
{
	(*attr)->pgroup = pgroup;
	return 0;
}

int posix_spawnattr_getsigmask(const posix_spawnattr_t *restrict attr, sigset_t *restrict mask)
{
	*mask = (*attr)->mask;
	return 0;
}

int posix_spawnattr_setsigmask(posix_spawnattr_t *restrict attr, const sigset_t *restrict mask)
{
	(*attr)->mask = *mask;
	return 0;
}

int posix_spawnattr_getsigdefault(const posix_spawnattr_t *restrict attr, sigset_t *restrict set)
{
	*set = (*attr)->defaults;
	return 0;
}

int posix_spawnattr_setsigdefault(posix_spawnattr_t *restrict attr, const sigset_t *restrict set)
{
	(*attr)->defaults = *set;
	return 0;
}
