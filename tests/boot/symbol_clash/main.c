/* Boot test: an app may define names the kernel uses internally (they are hidden at link time). */
#include <stdio.h>

int schedule(int x) { return x + 1; }
int panic(const char *why) { return why[0]; }
int mm_init(void) { return 7; }
int trap_dispatch = 3;
int cpu_init(void) { return 5; }
int bootstat_print(void) { return 11; }

int main(void)
{
	int sum = schedule(1) + panic("A") + mm_init() + trap_dispatch + cpu_init() + bootstat_print();
	printf("no clash: %d\n", sum);
	return sum == 2 + 65 + 7 + 3 + 5 + 11 ? 0 : 1;
}
