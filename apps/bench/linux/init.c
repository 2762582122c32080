/* init: /init of the bench's Linux VM: load modules, configure eth0, mount a share, run /app, print its status, power off. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * The kernel runs this as PID 1 with the words after `--` on its command line as
 * argv[1..] and unknown `NAME=value` kernel arguments as the environment:
 *   BENCH_IP=10.0.2.15/24 BENCH_GW=10.0.2.2   bring up eth0 (after /modules/order)
 *   BENCH_MOUNT=TYPE:SOURCE:OPTIONS            devtmpfs at /dev, then SOURCE (a 9p or
 *                                              virtiofs tag) at /data; TYPE dev: /dev only
 * The app's exit status is printed as `bench-init: exit N` (N = 128 + signal if it
 * was killed); then the VM powers off, which ends QEMU.
 */

#define MODULES_ORDER "/modules/order"
#define APP "/app"

static void say(const char *what)
{
	fprintf(stderr, "bench-init: %s: %s\n", what, strerror(errno));
}

/* Load each module named in /modules/order (one file name a line), in that order. */
static void load_modules(void)
{
	FILE *order = fopen(MODULES_ORDER, "r");
	char name[256], path[300];

	if (!order)
		return;
	while (fgets(name, sizeof(name), order)) {
		name[strcspn(name, "\n")] = 0;
		if (!name[0])
			continue;
		snprintf(path, sizeof(path), "/modules/%s", name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || syscall(SYS_finit_module, fd, "", 0) != 0)
			say(path);
		if (fd >= 0)
			close(fd);
	}
	fclose(order);
}

static int set_addr(int sock, const char *ifname, unsigned long request, in_addr_t addr)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = addr;
	return ioctl(sock, request, &ifr);
}

static int link_up(int sock, const char *ifname)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	return ioctl(sock, SIOCSIFFLAGS, &ifr);
}

static int default_route(int sock, in_addr_t gw)
{
	struct rtentry rt = { 0 };
	struct sockaddr_in *dst = (struct sockaddr_in *)&rt.rt_dst;
	struct sockaddr_in *mask = (struct sockaddr_in *)&rt.rt_genmask;
	struct sockaddr_in *via = (struct sockaddr_in *)&rt.rt_gateway;

	dst->sin_family = mask->sin_family = via->sin_family = AF_INET;
	via->sin_addr.s_addr = gw;
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	return ioctl(sock, SIOCADDRT, &rt);
}

/* BENCH_IP=a.b.c.d/len [BENCH_GW=e.f.g.h]: loopback and eth0 up, address, route. */
static void configure_network(void)
{
	const char *ip = getenv("BENCH_IP"), *gw = getenv("BENCH_GW");
	char addr[32];
	struct in_addr in;
	int prefix = 24;

	if (!ip)
		return;
	snprintf(addr, sizeof(addr), "%s", ip);
	char *slash = strchr(addr, '/');
	if (slash) {
		*slash = 0;
		prefix = atoi(slash + 1);
	}
	if (inet_aton(addr, &in) == 0 || prefix < 1 || prefix > 32) {
		fprintf(stderr, "bench-init: bad BENCH_IP %s\n", ip);
		return;
	}
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		say("socket");
		return;
	}
	in_addr_t netmask = htonl(prefix == 32 ? 0xffffffffu : ~(0xffffffffu >> prefix));
	if (link_up(sock, "lo") < 0)
		say("lo up");
	if (set_addr(sock, "eth0", SIOCSIFADDR, in.s_addr) < 0 ||
	    set_addr(sock, "eth0", SIOCSIFNETMASK, netmask) < 0 || link_up(sock, "eth0") < 0)
		say("eth0");
	if (gw && inet_aton(gw, &in) && default_route(sock, in.s_addr) < 0)
		say("default route");
	close(sock);
}

/* BENCH_MOUNT=TYPE:SOURCE:OPTIONS: /dev (block devices), then the share at /data. */
static void mount_share(void)
{
	const char *spec = getenv("BENCH_MOUNT");
	char copy[256];

	if (!spec)
		return;
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0 && errno != EBUSY)
		say("mount /dev");
	snprintf(copy, sizeof(copy), "%s", spec);
	char *source = strchr(copy, ':');
	if (!source || !strcmp(copy, "dev"))
		return;
	*source++ = 0;
	char *options = strchr(source, ':');
	if (options)
		*options++ = 0;
	mkdir("/data", 0755);
	if (mount(source, "/data", copy, 0, options) != 0)
		say("mount /data");
}

static int run_app(char **argv)
{
	pid_t pid = fork();
	int status;

	if (pid < 0) {
		say("fork");
		return 125;
	}
	if (pid == 0) {
		argv[0] = APP;
		execv(APP, argv);
		say(APP);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			say("waitpid");
			return 125;
		}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	(void)argc;
	load_modules();
	configure_network();
	mount_share();
	int code = run_app(argv);
	printf("bench-init: exit %d\n", code);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
