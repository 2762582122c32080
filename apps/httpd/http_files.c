/* Request path -> file: refuse ".." segments, serve index.html for directories, guess a Content-Type. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http_files.h"
#include "http_parse.h"

static const struct { const char *ext, *type; } types[] = {
	{ "html", "text/html; charset=utf-8" }, { "htm", "text/html; charset=utf-8" },
	{ "txt", "text/plain; charset=utf-8" }, { "css", "text/css" },
	{ "js", "text/javascript" }, { "json", "application/json" },
	{ "png", "image/png" }, { "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" },
	{ "gif", "image/gif" }, { "svg", "image/svg+xml" }, { "ico", "image/x-icon" },
	{ "wasm", "application/wasm" }, { "pdf", "application/pdf" },
};

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (dot && (!slash || dot > slash))
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcasecmp(dot + 1, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

/* Does path contain a "." or ".." segment? */
static int has_dot_segment(const char *path)
{
	for (const char *p = path; (p = strchr(p, '/')); p++) {
		if (p[1] == '.' && (p[2] == '/' || p[2] == '\0' ||
				    (p[2] == '.' && (p[3] == '/' || p[3] == '\0'))))
			return 1;
	}
	return 0;
}

int http_open(const char *root, const char *path, off_t *size, const char **type, int *status)
{
	char full[HTTP_PATH_MAX + 256];
	struct stat st;

	*status = 404;
	if (has_dot_segment(path) || strlen(root) + strlen(path) + 12 > sizeof(full)) {
		*status = 403;
		return -1;
	}
	snprintf(full, sizeof(full), "%s%s", root, path);
	if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
		size_t n = strlen(full);
		snprintf(full + n, sizeof(full) - n, "%sindex.html", n && full[n - 1] == '/' ? "" : "/");
	}
	int fd = open(full, O_RDONLY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		*status = 403;
		return -1;
	}
	*size = st.st_size;
	*type = type_of(full);
	return fd;
}
