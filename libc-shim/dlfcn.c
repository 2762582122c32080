/* dlopen() and friends: no dynamic loading in a static image; each failure leaves a message for dlerror(). */
#include <dlfcn.h>
#include <stdio.h>

static char dl_message[160];
static int dl_pending; /* dlerror() reports a message once */

static void dl_fail(const char *what, const char *name)
{
	snprintf(dl_message, sizeof(dl_message),
		 "%s%s%s: skiff images are linked statically; there is no dynamic loading",
		 what, name ? " " : "", name ? name : "");
	dl_pending = 1;
}

void *dlopen(const char *file, int mode)
{
	(void)mode;
	dl_fail("dlopen", file);
	return NULL;
}

void *dlsym(void *handle, const char *name)
{
	(void)handle;
	dl_fail("dlsym", name);
	return NULL;
}

int dlclose(void *handle)
{
	(void)handle;
	dl_fail("dlclose", NULL);
	return -1;
}

int dladdr(const void *addr, Dl_info *info)
{
	(void)addr;
	(void)info;
	return 0; /* no shared object holds addr */
}

char *dlerror(void)
{
	if (!dl_pending)
		return NULL;
	dl_pending = 0;
	return dl_message;
}
