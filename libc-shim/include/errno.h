/* newlib's <errno.h> plus ESOCKTNOSUPPORT and glibc's program_invocation_name pair (set from argv[0] before main). */
#ifndef SKIFF_ERRNO_H
#define SKIFF_ERRNO_H

#include_next <errno.h>

/* newlib numbers it only under __LINUX_ERRNO_EXTENSIONS__; Linux programs test for it. */
#ifndef ESOCKTNOSUPPORT
#define ESOCKTNOSUPPORT 124
#endif

#ifdef _GNU_SOURCE
extern char *program_invocation_name;       /* argv[0] as the program was started */
extern char *program_invocation_short_name; /* its part after the last '/' */
#endif

#endif
