/* Boot test: asking mmap or mprotect for executable memory fails with ENOTSUP (W^X), loudly. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(void)
{
	void *p = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap rwx: %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
	void *q = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q == MAP_FAILED)
		return 2;
	int r = mprotect(q, 4096, PROT_READ | PROT_EXEC);
	printf("mprotect rx: %s\n", r ? strerror(errno) : "changed");
	return p == MAP_FAILED && r == -1 && errno == ENOTSUP ? 0 : 1;
}
