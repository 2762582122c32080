/* Boot test: popen fails with ENOSYS and says so once on the log; pclose has no child to wait for. */
#include <errno.h>
#include <stdio.h>

int main(void)
{
	errno = 0;
	FILE *p = popen("ls", "r");
	int e1 = errno;
	FILE *q = popen("true", "w");
	int e2 = errno;

	errno = 0;
	int c = pclose(stdout);
	if (p || q || e1 != ENOSYS || e2 != ENOSYS || c != -1 || errno != ECHILD) {
		printf("popen FAIL: %p %p errno %d %d pclose %d errno %d\n", (void *)p, (void *)q,
		       e1, e2, c, errno);
		return 1;
	}
	printf("popen ok\n");
	return 0;
}
