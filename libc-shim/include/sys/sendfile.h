/* Linux's <sys/sendfile.h>: sendfile (libc-shim/fd/sendfile.c). */
#ifndef SKIFF_SYS_SENDFILE_H
#define SKIFF_SYS_SENDFILE_H

#include <sys/types.h>

ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count);

#endif
