/* Boot test: --add-host NAME:ADDR entries answer getaddrinfo and gethostbyname before DNS
 * (any case, a trailing dot, the first entry for a name wins); AI_NUMERICHOST skips them. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static int fails;

static void want(const char *name, const char *addr)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res;
	int err = getaddrinfo(name, "80", &hints, &res);
	char got[INET_ADDRSTRLEN] = "";

	if (!err) {
		inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, got, sizeof(got));
		freeaddrinfo(res);
	}
	struct hostent *he = gethostbyname(name);
	char old[INET_ADDRSTRLEN] = "";
	if (he)
		inet_ntop(AF_INET, he->h_addr_list[0], old, sizeof(old));
	if (err || strcmp(got, addr) != 0 || strcmp(old, addr) != 0) {
		printf("FAIL %s: getaddrinfo %s (%s), gethostbyname %s\n", name, got,
		       err ? gai_strerror(err) : "ok", old);
		fails++;
	}
}

int main(void)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_flags = AI_NUMERICHOST }, *res;

	want("redis", "10.77.0.2");
	want("REDIS", "10.77.0.2");
	want("redis.", "10.77.0.2");
	want("db.internal", "192.168.7.9");
	want("twice", "10.1.1.1");
	if (getaddrinfo("redis", NULL, &hints, &res) != EAI_NONAME) {
		printf("FAIL AI_NUMERICHOST resolved a name\n");
		fails++;
	}
	if (getaddrinfo("redis2", NULL, NULL, &res) == 0) { /* not in the table: DNS, no server */
		printf("FAIL redis2 resolved\n");
		fails++;
	}
	if (!fails)
		printf("add_host ok\n");
	return fails != 0;
}
