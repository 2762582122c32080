/* newlib's <glob.h> plus GLOB_NOMATCH, which POSIX's glob() returns when nothing matches. */
#ifndef SKIFF_GLOB_H
#define SKIFF_GLOB_H

#include_next <glob.h>

#ifndef GLOB_NOMATCH
#define GLOB_NOMATCH (-3)
#endif

#endif
