/* Boot test: flockfile/ftrylockfile/funlockfile: recursive for the owner, refused to another thread until released. */
#include <pthread.h>
#include <stdio.h>

static int try_result;

static void *other(void *arg)
{
	FILE *fp = arg;

	try_result = ftrylockfile(fp);
	if (try_result == 0)
		funlockfile(fp);
	return NULL;
}

/* ftrylockfile(fp) from a second thread: 0 if it got the lock. */
static int try_from_thread(FILE *fp)
{
	pthread_t t;

	if (pthread_create(&t, NULL, other, fp) || pthread_join(t, NULL))
		return -99;
	return try_result;
}

int main(void)
{
	FILE *fp = fopen("/tmp/locked", "w+");

	if (!fp) {
		printf("stdio_lock FAIL: fopen\n");
		return 1;
	}
	flockfile(stdout); /* before any other stdio call on it: stdio set-up happens here */
	flockfile(fp);
	if (ftrylockfile(fp) != 0) { /* recursive for its owner */
		printf("stdio_lock FAIL: owner's ftrylockfile\n");
		return 1;
	}
	int held = try_from_thread(fp);
	funlockfile(fp);
	funlockfile(fp);
	int freed = try_from_thread(fp);
	funlockfile(stdout);
	if (held == 0 || freed != 0) {
		printf("stdio_lock FAIL: other thread got %d while held, %d when free\n", held, freed);
		return 1;
	}
	/* The unlocked getc variant Lua uses between flockfile and funlockfile. */
	fputs("ab", fp);
	rewind(fp);
	flockfile(fp);
	int a = getc_unlocked(fp), b = getc_unlocked(fp), end = getc_unlocked(fp);
	funlockfile(fp);
	fclose(fp);
	if (a != 'a' || b != 'b' || end != EOF) {
		printf("stdio_lock FAIL: getc_unlocked %d %d %d\n", a, b, end);
		return 1;
	}
	printf("stdio_lock ok\n");
	return 0;
}
