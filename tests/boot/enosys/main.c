/* Boot test: fork() fails with ENOSYS, never crashes, and is logged only once. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 2; i++) {
		errno = 0;
		pid_t pid = fork();
		if (pid != -1 || errno != ENOSYS) {
			printf("enosys FAIL: fork() = %d, errno %d\n", (int)pid, errno);
			return 1;
		}
	}
	printf("enosys ok\n");
	return 0;
}
