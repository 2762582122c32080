/* Boot test: stacks are committed as they grow: three 4 MiB-stack threads (as Redis asks) fit a 6 MiB VM and may use 1 MiB each. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define DEPTH_BYTES (1 << 20)

__attribute__((noinline)) static long dig(long left)
{
	volatile char pad[1024];
	memset((char *)pad, (int)left, sizeof(pad));
	return left <= 0 ? pad[7] : dig(left - (long)sizeof(pad)) + pad[3];
}

static void *worker(void *arg)
{
	return (void *)dig((long)arg);
}

int main(void)
{
	pthread_t t[3];
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 4 << 20);
	for (int i = 0; i < 3; i++)
		if (pthread_create(&t[i], &attr, worker, (void *)(long)DEPTH_BYTES)) {
			printf("pthread_create %d failed\n", i);
			return 1;
		}
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], 0);
	printf("main dug %ld\n", dig(2 * DEPTH_BYTES) != 12345);  /* main: 8 MiB, 2 MiB used */
	printf("three 4 MiB stacks in a 6 MiB VM\n");
	return 0;
}
