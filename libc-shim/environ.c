/* The app's environment: Docker's defaults (PATH, HOME=/, HOSTNAME), then each `env=KEY=VALUE` kernel argument in order. */
#include <stdlib.h>
#include <string.h>

#include <skiff/boot.h>

#include "shim.h"

extern char **environ;

#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Put "KEY=VALUE" into env[0..*n): replace the entry with the same KEY, else append. */
static void set_entry(char **env, int *n, char *entry)
{
	size_t keylen = strcspn(entry, "=");

	for (int i = 0; i < *n; i++)
		if (strncmp(env[i], entry, keylen + 1) == 0) {
			free(env[i]);
			env[i] = entry;
			return;
		}
	env[(*n)++] = entry;
}

static char *host_entry(void)
{
	char host[65];
	size_t n = shim_hostname(host, sizeof(host));
	char *e = malloc(sizeof("HOSTNAME=") + n);

	if (e) {
		memcpy(e, "HOSTNAME=", 9);
		memcpy(e + 9, host, n + 1);
	}
	return e;
}

void shim_environ_init(void)
{
	int count = 0, n = 0;
	const char *w;

	while (boot_karg_word(count))
		count++;
	char **env = malloc(sizeof(char *) * (size_t)(count + 4));
	char *defaults[] = { strdup(DEFAULT_PATH), strdup("HOME=/"), host_entry() };
	if (!env || !defaults[0] || !defaults[1] || !defaults[2]) {
		shim_log_once("environ-nomem", "out of memory building the environment: it is empty");
		return;
	}
	for (int i = 0; i < 3; i++)
		set_entry(env, &n, defaults[i]);
	for (int i = 0; (w = boot_karg_word(i)); i++) {
		if (strncmp(w, "env=", 4) != 0 || w[4] == '=' || !strchr(w + 4, '='))
			continue; /* skiff run only sends KEY=VALUE with a non-empty KEY */
		char *entry = strdup(w + 4);
		if (!entry) {
			shim_log_once("environ-nomem", "out of memory building the environment");
			break;
		}
		set_entry(env, &n, entry);
	}
	env[n] = NULL;
	environ = env;
}
