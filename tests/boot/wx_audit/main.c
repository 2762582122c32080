/* Boot test: after threads, a big heap, mmap and the network-free runtime are up, no page is both writable and executable. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <skiff/wx.h>

static void *worker(void *arg)
{
	volatile char buf[4096];
	buf[0] = 1;
	return (void *)(long)buf[0] + (long)arg;
}

int main(void)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], 0, worker, 0);
	char *big = malloc(8 << 20);
	memset(big, 1, 8 << 20);
	void *m = mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 2;
	struct wx_audit a;
	wx_audit(&a);      /* while the threads' stacks are live */
	int bad = wx_audit_report();
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], 0);
	printf("mapped %lu KiB, executable %lu KiB, W+X %lu KiB\n", (unsigned long)a.mapped_kib,
	       (unsigned long)a.exec_kib, (unsigned long)a.wx_kib);
	printf("%s\n", bad ? "W^X BROKEN" : "W^X holds");
	return bad;
}
