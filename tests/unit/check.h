/* Tiny host test harness: CHECK macros, one "ok NAME" / "FAIL NAME: why" line per test. */
#ifndef SKIFF_TESTS_CHECK_H
#define SKIFF_TESTS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed_tests;
static int check_current_failed;

/* Fail the running test with a printf-style reason, then return from it. */
#define CHECK_FAIL(...)                                                  \
	do {                                                             \
		printf("FAIL %s: %s:%d: ", check_test_name, __FILE__, __LINE__); \
		printf(__VA_ARGS__);                                     \
		printf("\n");                                            \
		check_current_failed = 1;                                \
		return;                                                  \
	} while (0)

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond))                                             \
			CHECK_FAIL("%s", #cond);                         \
	} while (0)

#define CHECK_INT(got, want)                                             \
	do {                                                             \
		long long got_ = (long long)(got), want_ = (long long)(want); \
		if (got_ != want_)                                       \
			CHECK_FAIL("%s is %lld, want %lld", #got, got_, want_); \
	} while (0)

#define CHECK_HEX(got, want)                                             \
	do {                                                             \
		unsigned long long got_ = (got), want_ = (want);         \
		if (got_ != want_)                                       \
			CHECK_FAIL("%s is %#llx, want %#llx", #got, got_, want_); \
	} while (0)

#define CHECK_STR(got, want)                                             \
	do {                                                             \
		const char *got_ = (got), *want_ = (want);               \
		if (got_ == NULL || want_ == NULL ? got_ != want_ : strcmp(got_, want_) != 0) \
			CHECK_FAIL("%s is \"%s\", want \"%s\"", #got,     \
				   got_ ? got_ : "(null)", want_ ? want_ : "(null)"); \
	} while (0)

/* Each test is `static void test_x(const char *check_test_name)`. */
#define TEST(name) static void name(const char *check_test_name __attribute__((unused)))

#define RUN(name)                                                        \
	do {                                                             \
		check_current_failed = 0;                                \
		name(#name);                                             \
		if (check_current_failed)                                \
			check_failed_tests++;                            \
		else                                                     \
			printf("ok %s\n", #name);                        \
		fflush(stdout);                                          \
	} while (0)

/* main()'s return value: non-zero when any test failed. */
#define CHECK_EXIT_STATUS() (check_failed_tests != 0)

#endif
