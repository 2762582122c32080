/* The user and group databases: root (uid 0) in group root (gid 0), and nothing else; the reentrant _r forms too. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>

static char root_name[] = "root", no_password[] = "x";
static char *no_members[] = { NULL };
static struct group root_group = {
	.gr_name = root_name,
	.gr_passwd = no_password,
	.gr_gid = 0,
	.gr_mem = no_members,
};

struct group *getgrgid(gid_t gid)
{
	return gid == 0 ? &root_group : NULL;
}

struct group *getgrnam(const char *name)
{
	return name && strcmp(name, root_name) == 0 ? &root_group : NULL;
}

/* Copy g into grp with its strings in buf; ERANGE when buf is too small. */
static int copy_group(const struct group *g, struct group *grp, char *buf, size_t len,
		      struct group **result)
{
	size_t nlen = strlen(g->gr_name) + 1, plen = strlen(g->gr_passwd) + 1;
	size_t align = (sizeof(char *) - ((size_t)buf % sizeof(char *))) % sizeof(char *);

	*result = NULL;
	if (len < align + sizeof(char *) + nlen + plen)
		return ERANGE;
	char **mem = (char **)(void *)(buf + align);
	mem[0] = NULL;
	char *p = (char *)(mem + 1);
	grp->gr_name = memcpy(p, g->gr_name, nlen);
	grp->gr_passwd = memcpy(p + nlen, g->gr_passwd, plen);
	grp->gr_gid = g->gr_gid;
	grp->gr_mem = mem;
	*result = grp;
	return 0;
}

int getgrgid_r(gid_t gid, struct group *grp, char *buf, size_t len, struct group **result)
{
	const struct group *g = getgrgid(gid);

	*result = NULL;
	return g ? copy_group(g, grp, buf, len, result) : 0;
}

int getgrnam_r(const char *name, struct group *grp, char *buf, size_t len, struct group **result)
{
	const struct group *g = getgrnam(name);

	*result = NULL;
	return g ? copy_group(g, grp, buf, len, result) : 0;
}

/* Append s to buf at *used; NULL when it does not fit. */
static char *put(char *buf, size_t len, size_t *used, const char *s)
{
	size_t n = strlen(s) + 1;

	if (*used + n > len)
		return NULL;
	char *p = memcpy(buf + *used, s, n);
	*used += n;
	return p;
}

static int copy_passwd(const struct passwd *u, struct passwd *pw, char *buf, size_t len,
		       struct passwd **result)
{
	size_t used = 0;

	*result = NULL;
	*pw = *u;
	if (!(pw->pw_name = put(buf, len, &used, u->pw_name)) ||
	    !(pw->pw_passwd = put(buf, len, &used, u->pw_passwd)) ||
	    !(pw->pw_comment = put(buf, len, &used, u->pw_comment)) ||
	    !(pw->pw_gecos = put(buf, len, &used, u->pw_gecos)) ||
	    !(pw->pw_dir = put(buf, len, &used, u->pw_dir)) ||
	    !(pw->pw_shell = put(buf, len, &used, u->pw_shell)))
		return ERANGE;
	*result = pw;
	return 0;
}

int getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t len, struct passwd **result)
{
	const struct passwd *u = getpwnam(name);

	*result = NULL;
	return u ? copy_passwd(u, pw, buf, len, result) : 0;
}

int getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len, struct passwd **result)
{
	const struct passwd *u = getpwuid(uid);

	*result = NULL;
	return u ? copy_passwd(u, pw, buf, len, result) : 0;
}
