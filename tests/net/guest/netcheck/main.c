/* Guest probe of addressing and names: `socket` reports what socket() gives (ENETUNREACH
 * when DHCP found no server); `resolve NAME...` looks names up with getaddrinfo and gethostbyname. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static int try_socket(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0) {
		printf("netcheck: socket failed: %s\n", errno == ENETUNREACH ? "ENETUNREACH" : strerror(errno));
		return 1;
	}
	printf("netcheck: socket ok\n");
	return 0;
}

static int resolve(const char *name)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res;
	char txt[INET_ADDRSTRLEN];
	int err = getaddrinfo(name, "80", &hints, &res);

	if (err) {
		printf("netcheck: %s: getaddrinfo: %s\n", name, gai_strerror(err));
		return 1;
	}
	inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, txt, sizeof(txt));
	freeaddrinfo(res);
	struct hostent *he = gethostbyname(name);
	if (!he || he->h_addrtype != AF_INET || memcmp(he->h_addr_list[0], &(struct in_addr){ inet_addr(txt) }, 4)) {
		printf("netcheck: %s: gethostbyname disagrees\n", name);
		return 1;
	}
	printf("netcheck: %s is %s\n", name, txt);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "socket") == 0)
		return try_socket();
	int bad = 0;
	for (int i = 2; i < argc && strcmp(argv[1], "resolve") == 0; i++)
		bad |= resolve(argv[i]);
	return bad;
}
