/* Kernel command line: split into words, separate kernel args from app args. */
#ifndef SKIFF_KERNEL_CMDLINE_H
#define SKIFF_KERNEL_CMDLINE_H

#include <stddef.h>

#define CMDLINE_MAX 4096 /* bytes, including the terminating NUL */
#define CMDLINE_MAX_ARGS 256

struct cmdline {
	char buf[CMDLINE_MAX];       /* words, NUL-separated, after splitting */
	int nkargs;                  /* kernel arguments (before "--") */
	char *kargs[CMDLINE_MAX_ARGS];
	int nargs;                   /* app arguments (after "--"), argv[0] first */
	char *args[CMDLINE_MAX_ARGS + 1]; /* NULL-terminated */
};

enum cmdline_error {
	CMDLINE_OK = 0,
	CMDLINE_TOO_LONG = -1,   /* more than CMDLINE_MAX - 1 bytes */
	CMDLINE_TOO_MANY = -2,   /* more than CMDLINE_MAX_ARGS words on a side */
	CMDLINE_BAD_QUOTE = -3,  /* unterminated double quote or trailing backslash */
};

/* Parse src (len bytes, need not be NUL-terminated) into cl.
 * Words are separated by blanks; "..." groups (may be empty: "" is an empty
 * word); backslash escapes the next character inside or outside quotes.
 * The first bare word "--" separates kernel args from app args; without it
 * everything is kernel args. If no app args are given, args holds only
 * default_argv0. When the app side is present, its first word is argv[0].
 * Returns CMDLINE_OK or a negative enum cmdline_error; cl is then empty. */
int cmdline_parse(struct cmdline *cl, const char *src, size_t len,
		  const char *default_argv0);

/* Value of kernel argument `name` ("name=value" → "value", "name" → ""),
 * or NULL if absent. */
const char *cmdline_karg(const struct cmdline *cl, const char *name);

/* Human-readable reason for an error code. */
const char *cmdline_strerror(int err);

#endif
