/* Guest for tests/cli/test_runenv.py: prints environ (hex), cwd, host names; "touch" and "sethost" test -w and sethostname. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

extern char **environ;

static void hex_line(const char *tag, const char *s)
{
	printf("%s ", tag);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		printf("%02x", *p);
	printf("\n");
}

int main(int argc, char **argv)
{
	char cwd[256], host[128];
	struct utsname u;

	for (char **e = environ; *e; e++)
		hex_line("env", *e);
	if (!getcwd(cwd, sizeof(cwd)) || gethostname(host, sizeof(host)) || uname(&u))
		return 3;
	printf("cwd %s\nhostname %s\nnodename %s\n", cwd, host, u.nodename);
	if (getenv("HOSTNAME") && strcmp(getenv("HOSTNAME"), host) != 0)
		printf("HOSTNAME differs\n");
	if (gethostname(host, strlen(u.nodename)) == 0 || errno != ENAMETOOLONG)
		printf("gethostname into a short buffer did not fail with ENAMETOOLONG\n");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "touch") == 0) {
			/* a relative path lands in the working directory */
			FILE *f = fopen("made-here", "w");
			struct stat st;
			if (!f || fputs("x", f) < 0 || fclose(f))
				return 4;
			snprintf(host, sizeof(host), "%s/made-here", cwd);
			printf("touch %s %s\n", host, stat(host, &st) == 0 ? "ok" : "missing");
		} else if (strcmp(argv[i], "sethost") == 0) {
			if (sethostname("renamed", 7) || gethostname(host, sizeof(host)) || uname(&u))
				return 5;
			printf("after sethostname %s %s %s\n", host, u.nodename, getenv("HOSTNAME"));
		}
	}
	return 0;
}
