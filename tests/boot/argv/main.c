/* Boot test: app arguments survive the trip (spaces, quotes, empty ones). */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	static const char *want[] = { "alpha", "beta gamma", "", "say \"hi\"", "back\\slash" };
	int n = sizeof(want) / sizeof(want[0]);
	if (argc != n + 1) {
		printf("argv: argc %d, want %d\n", argc, n + 1);
		return 1;
	}
	for (int i = 0; i < n; i++)
		if (strcmp(argv[i + 1], want[i])) {
			printf("argv: argv[%d] = [%s], want [%s]\n", i + 1, argv[i + 1], want[i]);
			return 1;
		}
	printf("argv ok: argv[0]=%s\n", argv[0]);
	return 0;
}
