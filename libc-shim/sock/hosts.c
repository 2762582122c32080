/* The hosts table (skiff run --add-host NAME:ADDR, kernel arguments `host=NAME:ADDR`), consulted before DNS. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include <skiff/boot.h>
#include "sock_dns.h"

int shim_hosts_lookup(const char *name, uint32_t *addr)
{
	const char *w;
	size_t len = strlen(name);

	if (len && name[len - 1] == '.') /* a fully qualified "redis." */
		len--;
	for (int i = 0; (w = boot_karg_word(i)); i++) {
		if (strncmp(w, "host=", 5) != 0)
			continue;
		const char *colon = strchr(w + 5, ':');
		struct in_addr a;
		if (!colon || (size_t)(colon - (w + 5)) != len || strncasecmp(w + 5, name, len) != 0)
			continue;
		if (inet_aton(colon + 1, &a)) { /* the first entry for a name wins, as in /etc/hosts */
			*addr = a.s_addr;
			return 0;
		}
	}
	return -ENOENT;
}
