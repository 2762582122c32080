/* Host unit tests for the kernel command-line parser (kernel/cmdline.c). */
// needs: kernel/cmdline.c
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmdline.h"

static struct cmdline cl; /* 6 KiB: keep it off the stack */

static int parse(const char *s)
{
	return cmdline_parse(&cl, s, strlen(s), "app");
}

TEST(test_plain_words)
{
	CHECK_INT(parse("  bootstat\tip=10.0.2.15  verbose \n"), CMDLINE_OK);
	CHECK_INT(cl.nkargs, 3);
	CHECK_STR(cl.kargs[0], "bootstat");
	CHECK_STR(cl.kargs[1], "ip=10.0.2.15");
	CHECK_STR(cl.kargs[2], "verbose");
}

TEST(test_empty_line)
{
	CHECK_INT(parse(""), CMDLINE_OK);
	CHECK_INT(cl.nkargs, 0);
	CHECK_INT(cl.nargs, 1);
	CHECK_STR(cl.args[0], "app");
	CHECK(cl.args[1] == NULL);
	CHECK_INT(parse("   \t "), CMDLINE_OK);
	CHECK_INT(cl.nkargs, 0);
	CHECK_INT(cl.nargs, 1);
}

TEST(test_null_src)
{
	CHECK_INT(cmdline_parse(&cl, NULL, 0, "app"), CMDLINE_OK);
	CHECK_INT(cl.nkargs, 0);
	CHECK_INT(cl.nargs, 1);
}

TEST(test_quoting)
{
	CHECK_INT(parse("-- prog \"hello world\" a\"b c\"d \"  \""), CMDLINE_OK);
	CHECK_INT(cl.nargs, 4);
	CHECK_STR(cl.args[0], "prog");
	CHECK_STR(cl.args[1], "hello world");
	CHECK_STR(cl.args[2], "ab cd");
	CHECK_STR(cl.args[3], "  ");
	CHECK(cl.args[4] == NULL);
}

TEST(test_escapes)
{
	CHECK_INT(parse("-- p a\\ b \"q\\\"uote\" back\\\\slash \"\\\\\" \\\"x"), CMDLINE_OK);
	CHECK_INT(cl.nargs, 6);
	CHECK_STR(cl.args[1], "a b");
	CHECK_STR(cl.args[2], "q\"uote");
	CHECK_STR(cl.args[3], "back\\slash");
	CHECK_STR(cl.args[4], "\\");
	CHECK_STR(cl.args[5], "\"x");
	CHECK_INT(parse("-- p \\n"), CMDLINE_OK);
	CHECK_STR(cl.args[1], "n");
}

TEST(test_empty_args)
{
	CHECK_INT(parse("-- p \"\" x \"\"\"\" \"\""), CMDLINE_OK);
	CHECK_INT(cl.nargs, 5);
	CHECK_STR(cl.args[1], "");
	CHECK_STR(cl.args[2], "x");
	CHECK_STR(cl.args[3], "");
	CHECK_STR(cl.args[4], "");
	CHECK(cl.args[5] == NULL);
}

TEST(test_separator)
{
	CHECK_INT(parse("bootstat ip=dhcp -- hello.elf alpha -- beta"), CMDLINE_OK);
	CHECK_INT(cl.nkargs, 2);
	CHECK_STR(cl.kargs[0], "bootstat");
	CHECK_STR(cl.kargs[1], "ip=dhcp");
	CHECK_INT(cl.nargs, 4);
	CHECK_STR(cl.args[0], "hello.elf");
	CHECK_STR(cl.args[1], "alpha");
	CHECK_STR(cl.args[2], "--"); /* only the first "--" separates */
	CHECK_STR(cl.args[3], "beta");
	CHECK(cl.args[4] == NULL);
}

TEST(test_separator_first_and_last)
{
	CHECK_INT(parse("-- prog"), CMDLINE_OK);
	CHECK_INT(cl.nkargs, 0);
	CHECK_INT(cl.nargs, 1);
	CHECK_STR(cl.args[0], "prog");
	CHECK_INT(parse("quiet --"), CMDLINE_OK);
	CHECK_INT(cl.nkargs, 1);
	CHECK_INT(cl.nargs, 1);
	CHECK_STR(cl.args[0], "app"); /* empty app side: the default argv0 */
	CHECK(cl.args[1] == NULL);
}

TEST(test_quoted_separator_is_a_word)
{
	CHECK_INT(parse("a \"--\" b \\-- c"), CMDLINE_OK);
	CHECK_INT(cl.nkargs, 5);
	CHECK_STR(cl.kargs[1], "--");
	CHECK_STR(cl.kargs[3], "--");
	CHECK_INT(cl.nargs, 1);
	CHECK_STR(cl.args[0], "app");
	CHECK_INT(parse("a --x b"), CMDLINE_OK);
	CHECK_INT(cl.nkargs, 3);
}

TEST(test_no_separator)
{
	CHECK_INT(parse("bootstat quiet"), CMDLINE_OK);
	CHECK_INT(cl.nkargs, 2);
	CHECK_INT(cl.nargs, 1);
	CHECK_STR(cl.args[0], "app");
	CHECK(cl.args[1] == NULL);
}

TEST(test_default_argv0)
{
	CHECK_INT(cmdline_parse(&cl, "x", 1, "hello.elf"), CMDLINE_OK);
	CHECK_STR(cl.args[0], "hello.elf");
	cl.args[0][0] = 'H'; /* argv strings are writable */
	CHECK_STR(cl.args[0], "Hello.elf");
	CHECK_INT(cmdline_parse(&cl, "x", 1, NULL), CMDLINE_OK);
	CHECK_INT(cl.nargs, 0);
	CHECK(cl.args[0] == NULL);
}

TEST(test_not_nul_terminated)
{
	const char src[] = { 'a', ' ', 'b', 'c', 'X', 'Y' };
	CHECK_INT(cmdline_parse(&cl, src, 4, "app"), CMDLINE_OK);
	CHECK_INT(cl.nkargs, 2);
	CHECK_STR(cl.kargs[1], "bc");
	/* A NUL inside len ends the line. */
	CHECK_INT(cmdline_parse(&cl, "a\0b", 3, "app"), CMDLINE_OK);
	CHECK_INT(cl.nkargs, 1);
}

static char *filled(size_t n, char c)
{
	char *s = malloc(n + 1);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

TEST(test_length_limit)
{
	char *s = filled(CMDLINE_MAX - 1, 'a');
	int err = cmdline_parse(&cl, s, strlen(s), "app");
	int n = cl.nkargs;
	size_t wlen = n == 1 ? strlen(cl.kargs[0]) : 0;
	free(s);
	CHECK_INT(err, CMDLINE_OK);
	CHECK_INT(n, 1);
	CHECK_INT(wlen, CMDLINE_MAX - 1);
	CHECK_STR(cl.args[0], "app");

	s = filled(CMDLINE_MAX, 'a');
	err = cmdline_parse(&cl, s, strlen(s), "app");
	free(s);
	CHECK_INT(err, CMDLINE_TOO_LONG);
	CHECK_INT(cl.nkargs, 0);
	CHECK_INT(cl.nargs, 0);
	CHECK(cl.args[0] == NULL);
}

/* 255 words in 4095 bytes: the split words fill all 4096 bytes of buf,
 * so the default argv0 cannot be copied there and points at the caller's. */
TEST(test_length_limit_buffer_full)
{
	static const char argv0[] = "app";
	char *s = filled(CMDLINE_MAX - 1, 'w');
	for (int i = 1; i < 255; i++)
		s[i * 16 - 1] = ' ';
	int err = cmdline_parse(&cl, s, strlen(s), argv0);
	free(s);
	CHECK_INT(err, CMDLINE_OK);
	CHECK_INT(cl.nkargs, 255);
	CHECK_INT(strlen(cl.kargs[0]), 15);
	CHECK_INT(strlen(cl.kargs[254]), CMDLINE_MAX - 1 - 254 * 16);
	CHECK(cl.kargs[254] + strlen(cl.kargs[254]) == &cl.buf[CMDLINE_MAX - 1]);
	CHECK(cl.args[0] == argv0);
	CHECK(cl.args[1] == NULL);
}

/* 2048 one-letter words fit the byte limit but not the word limit. */
TEST(test_length_limit_many_words)
{
	char *s = filled(CMDLINE_MAX - 1, ' ');
	for (size_t i = 0; i < CMDLINE_MAX - 1; i += 2)
		s[i] = 'w';
	int err = cmdline_parse(&cl, s, strlen(s), "app");
	free(s);
	CHECK_INT(err, CMDLINE_TOO_MANY);
	CHECK_INT(cl.nkargs, 0);
}

/* Builds "w w w ..." with n words on the kernel side and m on the app side. */
static int parse_words(int n, int m)
{
	static char s[CMDLINE_MAX * 2];
	size_t len = 0;
	for (int i = 0; i < n; i++)
		len += (size_t)sprintf(s + len, "k%d ", i);
	len += (size_t)sprintf(s + len, "-- ");
	for (int i = 0; i < m; i++)
		len += (size_t)sprintf(s + len, "a ");
	return cmdline_parse(&cl, s, len, "app");
}

TEST(test_too_many_words)
{
	CHECK_INT(parse_words(CMDLINE_MAX_ARGS, CMDLINE_MAX_ARGS), CMDLINE_OK);
	CHECK_INT(cl.nkargs, CMDLINE_MAX_ARGS);
	CHECK_INT(cl.nargs, CMDLINE_MAX_ARGS);
	CHECK_STR(cl.kargs[CMDLINE_MAX_ARGS - 1], "k255");
	CHECK(cl.args[CMDLINE_MAX_ARGS] == NULL);
	CHECK_INT(parse_words(CMDLINE_MAX_ARGS + 1, 1), CMDLINE_TOO_MANY);
	CHECK_INT(cl.nkargs, 0);
	CHECK_INT(cl.nargs, 0);
	CHECK_INT(parse_words(1, CMDLINE_MAX_ARGS + 1), CMDLINE_TOO_MANY);
	CHECK_INT(cl.nkargs, 0);
	CHECK_INT(cl.nargs, 0);
}

TEST(test_bad_quote)
{
	CHECK_INT(parse("a \"unterminated"), CMDLINE_BAD_QUOTE);
	CHECK_INT(cl.nkargs, 0);
	CHECK_INT(cl.nargs, 0);
	CHECK_INT(parse("-- p \"x\\\""), CMDLINE_BAD_QUOTE);
	CHECK_INT(parse("trailing\\"), CMDLINE_BAD_QUOTE);
	CHECK_INT(parse("\""), CMDLINE_BAD_QUOTE);
	CHECK_INT(parse("\"\""), CMDLINE_OK);
}

TEST(test_karg_lookup)
{
	CHECK_INT(parse("bootstat ip=10.0.2.15/24 empty= ipv6 -- p bootstat x=1"), CMDLINE_OK);
	CHECK_STR(cmdline_karg(&cl, "bootstat"), "");
	CHECK_STR(cmdline_karg(&cl, "ip"), "10.0.2.15/24");
	CHECK_STR(cmdline_karg(&cl, "empty"), "");
	CHECK_STR(cmdline_karg(&cl, "ipv6"), "");
	CHECK(cmdline_karg(&cl, "ipv") == NULL);  /* prefix of a word is no match */
	CHECK(cmdline_karg(&cl, "i") == NULL);
	CHECK(cmdline_karg(&cl, "x") == NULL);    /* app args are not kernel args */
	CHECK(cmdline_karg(&cl, "quiet") == NULL);
	CHECK(cmdline_karg(&cl, "") == NULL);
	CHECK(cmdline_karg(&cl, NULL) == NULL);
}

TEST(test_karg_quoted_value_and_override)
{
	CHECK_INT(parse("msg=\"a b\" ip=1 ip=2"), CMDLINE_OK);
	CHECK_STR(cmdline_karg(&cl, "msg"), "a b");
	CHECK_STR(cmdline_karg(&cl, "ip"), "2"); /* the last one wins */
}

TEST(test_strerror)
{
	CHECK(strstr(cmdline_strerror(CMDLINE_TOO_LONG), "long") != NULL);
	CHECK(strstr(cmdline_strerror(CMDLINE_TOO_MANY), "many") != NULL);
	CHECK(strstr(cmdline_strerror(CMDLINE_BAD_QUOTE), "quote") != NULL);
	CHECK(cmdline_strerror(CMDLINE_OK) != NULL);
	CHECK(cmdline_strerror(-99) != NULL);
}

int main(void)
{
	RUN(test_plain_words);
	RUN(test_empty_line);
	RUN(test_null_src);
	RUN(test_quoting);
	RUN(test_escapes);
	RUN(test_empty_args);
	RUN(test_separator);
	RUN(test_separator_first_and_last);
	RUN(test_quoted_separator_is_a_word);
	RUN(test_no_separator);
	RUN(test_default_argv0);
	RUN(test_not_nul_terminated);
	RUN(test_length_limit);
	RUN(test_length_limit_buffer_full);
	RUN(test_length_limit_many_words);
	RUN(test_too_many_words);
	RUN(test_bad_quote);
	RUN(test_karg_lookup);
	RUN(test_karg_quoted_value_and_override);
	RUN(test_strerror);
	return CHECK_EXIT_STATUS();
}
