/* Kernel command line: split into quoted words, kernel args before "--", app args after. */
#include "cmdline.h"

#include <stdbool.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t bounded_strlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n] != '\0')
		n++;
	return n;
}

static bool str_equal(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* If `word` is `name` or starts with "name=", the value ("" for a bare flag). */
static const char *match_karg(const char *word, const char *name)
{
	while (*name != '\0' && *word == *name) {
		word++;
		name++;
	}
	if (*name != '\0')
		return NULL;
	if (*word == '\0')
		return word;
	if (*word == '=')
		return word + 1;
	return NULL;
}

static void clear(struct cmdline *cl)
{
	cl->buf[0] = '\0';
	cl->nkargs = 0;
	cl->kargs[0] = NULL;
	cl->nargs = 0;
	cl->args[0] = NULL;
}

/* Parsing state: the input, the output cursor in cl->buf, which side we fill. */
struct splitter {
	const char *src;
	size_t len, pos;
	size_t out;
	bool app_side; /* a bare "--" has been seen */
};

/* Append one word to the side being filled. */
static int add_word(struct cmdline *cl, struct splitter *sp, char *word)
{
	if (sp->app_side) {
		if (cl->nargs >= CMDLINE_MAX_ARGS)
			return CMDLINE_TOO_MANY;
		cl->args[cl->nargs++] = word;
	} else {
		if (cl->nkargs >= CMDLINE_MAX_ARGS)
			return CMDLINE_TOO_MANY;
		cl->kargs[cl->nkargs++] = word;
	}
	return CMDLINE_OK;
}

/* Copy the word starting at sp->pos (not a blank) into cl->buf, NUL-terminated.
 * *bare is set when the word had neither quotes nor escapes. */
static int split_word(struct cmdline *cl, struct splitter *sp, bool *bare)
{
	bool quoted = false;

	*bare = true;
	while (sp->pos < sp->len) {
		char c = sp->src[sp->pos++];
		if (c == '\\') {
			*bare = false;
			if (sp->pos == sp->len)
				return CMDLINE_BAD_QUOTE;
			c = sp->src[sp->pos++];
		} else if (c == '"') {
			*bare = false;
			quoted = !quoted;
			continue;
		} else if (!quoted && is_blank(c)) {
			break;
		}
		/* Output never outgrows the input (see cmdline_parse); kept as a guard. */
		if (sp->out >= CMDLINE_MAX - 1)
			return CMDLINE_TOO_LONG;
		cl->buf[sp->out++] = c;
	}
	if (quoted)
		return CMDLINE_BAD_QUOTE;
	cl->buf[sp->out++] = '\0';
	return CMDLINE_OK;
}

/* argv[0] when the app side is empty: a writable copy in buf when it fits
 * (C lets main() write to its argv strings), else the caller's string. */
static void set_default_argv0(struct cmdline *cl, size_t out,
			      const char *default_argv0)
{
	size_t n;

	if (default_argv0 == NULL)
		return;
	n = bounded_strlen(default_argv0, CMDLINE_MAX);
	if (out + n + 1 <= CMDLINE_MAX) {
		__builtin_memcpy(&cl->buf[out], default_argv0, n + 1);
		cl->args[0] = &cl->buf[out];
	} else {
		cl->args[0] = (char *)default_argv0;
	}
	cl->nargs = 1;
}

/* The input ends at len or at its first NUL, whichever comes first.
 * Each word costs at most its input bytes plus one NUL and words are
 * separated by at least one blank, so the output is at most input + 1
 * bytes: a 4095-byte line always fits buf. With several "name" kernel
 * args, cmdline_karg returns the last one (later arguments override).
 * A NULL default_argv0 leaves args empty (nargs 0). */
int cmdline_parse(struct cmdline *cl, const char *src, size_t len,
		  const char *default_argv0)
{
	struct splitter sp = { .src = src, .pos = 0, .out = 0, .app_side = false };
	int err = CMDLINE_OK;

	clear(cl);
	sp.len = src == NULL ? 0 : bounded_strlen(src, len);
	if (sp.len > CMDLINE_MAX - 1)
		return CMDLINE_TOO_LONG;

	while (err == CMDLINE_OK) {
		bool bare;
		char *word;

		while (sp.pos < sp.len && is_blank(sp.src[sp.pos]))
			sp.pos++;
		if (sp.pos == sp.len)
			break;
		word = &cl->buf[sp.out];
		err = split_word(cl, &sp, &bare);
		if (err != CMDLINE_OK)
			break;
		if (bare && !sp.app_side && str_equal(word, "--"))
			sp.app_side = true;
		else
			err = add_word(cl, &sp, word);
	}
	if (err != CMDLINE_OK) {
		clear(cl);
		return err;
	}

	if (cl->nargs == 0)
		set_default_argv0(cl, sp.out, default_argv0);
	cl->args[cl->nargs] = NULL;
	return CMDLINE_OK;
}

const char *cmdline_karg(const struct cmdline *cl, const char *name)
{
	const char *found = NULL;

	if (name == NULL || *name == '\0')
		return NULL;
	for (int i = 0; i < cl->nkargs; i++) {
		const char *value = match_karg(cl->kargs[i], name);
		if (value != NULL)
			found = value;
	}
	return found;
}

const char *cmdline_strerror(int err)
{
	switch (err) {
	case CMDLINE_OK:
		return "no error";
	case CMDLINE_TOO_LONG:
		return "command line too long (at most 4095 bytes)";
	case CMDLINE_TOO_MANY:
		return "too many words on the command line (at most 256 per side)";
	case CMDLINE_BAD_QUOTE:
		return "unterminated double quote or trailing backslash";
	default:
		return "unknown command line error";
	}
}
