/* glibc's program_invocation_name and program_invocation_short_name, set from argv[0] before main. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include <skiff/boot.h>

char *program_invocation_name = "";
char *program_invocation_short_name = "";

__attribute__((constructor)) static void progname_init(void)
{
	char **argv = boot_app_argv();

	if (!argv || !argv[0])
		return;
	program_invocation_name = argv[0];
	char *slash = strrchr(argv[0], '/');
	program_invocation_short_name = slash ? slash + 1 : argv[0];
}
