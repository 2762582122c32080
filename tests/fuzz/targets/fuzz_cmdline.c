/* Fuzz target: the kernel command-line parser (kernel/cmdline.c), checked against a second, plain splitter. */
// needs: kernel/cmdline.c
//
// Input: mode:u8 then the command line. mode picks default_argv0 (NULL, a
// short name, or one too long to fit beside the words) and a kernel-argument
// name to look up. The line is passed without a terminating NUL.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../kernel/cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cmdline cl;


static void fail(const char *why, size_t i)
{
	fprintf(stderr, "cmdline invariant broken: %s (word %zu)\n", why, i);
	abort();
}

/* Split src[0..len) by the rules in cmdline.h into out (words NUL-separated;
 * starts[i], side[i]: where word i begins, 1 if after "--"). Returns
 * the error the parser must give (OK, TOO_LONG, TOO_MANY, BAD_QUOTE). */
static int reference(const char *src, size_t len, char *out, size_t *starts, int *side,
		     size_t *nwords)
{
	size_t n = 0, o = 0, i = 0, per_side[2] = { 0, 0 };
	int app = 0;

	len = strnlen(src, len);
	if (len > CMDLINE_MAX - 1)
		return CMDLINE_TOO_LONG;
	for (;;) {
		while (i < len && strchr(" \t\n\r", src[i]))
			i++;
		if (i == len)
			break;
		size_t start = o;
		int quoted = 0, bare = 1;
		while (i < len) {
			char c = src[i++];
			if (c == '\\') {
				bare = 0;
				if (i == len)
					return CMDLINE_BAD_QUOTE;
				out[o++] = src[i++];
			} else if (c == '"') {
				bare = 0;
				quoted = !quoted;
			} else if (!quoted && strchr(" \t\n\r", c)) {
				break;
			} else {
				out[o++] = c;
			}
		}
		if (quoted)
			return CMDLINE_BAD_QUOTE;
		out[o++] = '\0';
		if (bare && !app && strcmp(out + start, "--") == 0) {
			app = 1;
			continue;
		}
		if (++per_side[app] > CMDLINE_MAX_ARGS)
			return CMDLINE_TOO_MANY;
		starts[n] = start;
		side[n++] = app;
	}
	*nwords = n;
	return CMDLINE_OK;
}

static int inside_buf(const char *p)
{
	return p >= cl.buf && p < cl.buf + sizeof(cl.buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char long_name[CMDLINE_MAX + 16];
	static char out[CMDLINE_MAX * 2];
	static size_t starts[CMDLINE_MAX];
	static int side[CMDLINE_MAX];
	const char *argv0 = NULL;
	size_t nwords = 0;

	if (size < 1)
		return 0;
	unsigned mode = data[0];
	const char *src = (const char *)data + 1;
	size_t len = size - 1;
	if ((mode & 3) == 1)
		argv0 = "app";
	if ((mode & 3) == 2) {
		memset(long_name, 'x', sizeof(long_name) - 1);
		argv0 = long_name + (mode >> 2) * 16; /* 3,103 to 4,111 bytes */
	}
	int want = reference(src, len, out, starts, side, &nwords);
	int got = cmdline_parse(&cl, src, len, argv0);
	if (got != want) {
		fprintf(stderr, "cmdline_parse returned %d, the reference %d\n", got, want);
		abort();
	}
	if (got != CMDLINE_OK) {
		if (cl.nkargs || cl.nargs || cl.args[0] || cl.kargs[0] || cl.buf[0])
			fail("not empty after an error", 0);
		if (!cmdline_strerror(got) || strstr(cmdline_strerror(got), "unknown"))
			fail("no message for the error", 0);
		return 0;
	}
	int k = 0, a = 0, napp = 0;
	for (size_t i = 0; i < nwords; i++)
		napp += side[i];
	for (size_t i = 0; i < nwords; i++) {
		const char *w = side[i] ? cl.args[a++] : cl.kargs[k++];
		if (!w || !inside_buf(w) || !memchr(w, '\0', (size_t)(cl.buf + sizeof(cl.buf) - w)))
			fail("word outside the buffer", i);
		if (strcmp(w, out + starts[i]) != 0)
			fail("word differs from the reference", i);
	}
	if (k != cl.nkargs || k > CMDLINE_MAX_ARGS)
		fail("kernel argument count", (size_t)k);
	if (napp == 0) {
		if (cl.nargs != (argv0 ? 1 : 0) || (argv0 && strcmp(cl.args[0], argv0) != 0))
			fail("default argv[0]", 0);
	} else if (a != cl.nargs) {
		fail("app argument count", (size_t)a);
	}
	if (cl.args[cl.nargs] != NULL)
		fail("args not NULL-terminated", (size_t)cl.nargs);
	/* Lookups: the last "name" or "name=..." word wins, and points into it. */
	if (cl.nkargs) {
		const char *w = cl.kargs[(mode >> 2) % cl.nkargs];
		size_t n = strcspn(w, "=");
		char name[CMDLINE_MAX];
		memcpy(name, w, n);
		name[n] = '\0';
		const char *v = cmdline_karg(&cl, name);
		if (n && (!v || !inside_buf(v)))
			fail("cmdline_karg lost a present argument", 0);
		if (!n && v)
			fail("cmdline_karg found the empty name", 0);
		for (int i = cl.nkargs - 1; n && i >= 0; i--) {
			const char *x = cl.kargs[i];
			if (strncmp(x, name, n) == 0 && (x[n] == '\0' || x[n] == '=')) {
				if (v != x + n + (x[n] == '='))
					fail("cmdline_karg is not the last match", (size_t)i);
				break;
			}
		}
	}
	return 0;
}
