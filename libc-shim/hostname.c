/* gethostname/sethostname: the name from the `hostname=` kernel argument (skiff run --hostname), else "skiff". */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <skiff/boot.h>

#include "shim.h"

#define NAME_MAX_LEN 64 /* HOST_NAME_MAX on Linux */

static char name[NAME_MAX_LEN + 1]; /* (name_lock); "" until first use */
static struct sk_mutex name_lock = SK_MUTEX_INIT;

/* Copy the host name into buf[size] (truncated, always NUL-terminated); its length. */
size_t shim_hostname(char *buf, size_t size)
{
	sk_mutex_lock(&name_lock);
	if (!name[0]) {
		const char *given = boot_karg("hostname");
		strncpy(name, given && *given ? given : "skiff", NAME_MAX_LEN);
	}
	size_t n = strlen(name);
	if (size) {
		size_t m = n < size ? n : size - 1;
		memcpy(buf, name, m);
		buf[m] = '\0';
	}
	sk_mutex_unlock(&name_lock);
	return n;
}

int gethostname(char *buf, size_t len)
{
	char tmp[NAME_MAX_LEN + 1];
	size_t n = shim_hostname(tmp, sizeof(tmp));

	if (!buf) {
		errno = EFAULT;
		return -1;
	}
	if (n >= len) {
		errno = ENAMETOOLONG; /* as glibc when the name and its NUL do not fit */
		return -1;
	}
	memcpy(buf, tmp, n + 1);
	return 0;
}

/* Changes what gethostname and uname report; $HOSTNAME stays as it was (as on Linux). */
int sethostname(const char *buf, size_t len)
{
	if (len > NAME_MAX_LEN || len == 0) {
		errno = EINVAL;
		return -1;
	}
	if (!buf) {
		errno = EFAULT;
		return -1;
	}
	shim_hostname(NULL, 0); /* take the boot-time name first so it is not re-read later */
	sk_mutex_lock(&name_lock);
	memcpy(name, buf, len);
	name[len] = '\0';
	sk_mutex_unlock(&name_lock);
	return 0;
}
