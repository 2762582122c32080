/* Mapping request paths to files under httpd's document root. */
#ifndef HTTPD_HTTP_FILES_H
#define HTTPD_HTTP_FILES_H

#include <sys/types.h>

/* Open the file for a decoded request path under root: "/" and directories
 * serve their index.html. Returns an fd and sets *size and *type, or -1 with
 * *status 404 (missing) or 403 (a ".." segment, not a regular file). */
int http_open(const char *root, const char *path, off_t *size, const char **type, int *status);

#endif
