/* glibc's <features.h>, which Linux programs include directly: newlib keeps it in <sys/features.h>. */
#ifndef SKIFF_FEATURES_H
#define SKIFF_FEATURES_H

#include <sys/features.h>

#endif
