/* skiff-run: `skiff run IMAGE [--quiet] [--mem SIZE] [-- ARGS]` without Python (the common case); anything else is handed to tools/skiff's Python. */
/*
 * tools/skiff execs this for `skiff run` when build/bin/skiff-run is current. It does what
 * tools/skiffpy/cmd_run.py + vmrun.py + timeserve.py do for a plain microvm boot of a PVH
 * ELF that does not use the network: the same image and --mem checks, the same accelerator
 * verdict (the cache tools/skiffpy/accel.py writes), the same guest command line and QEMU
 * command, the same console link frames, log filtering, COM2 time service and exit
 * statuses. Whatever it does not handle itself (other options, a .efi, a networked image,
 * no cached verdict, an over-long command line, an error to explain) it hands, untouched,
 * to the Python front end: `python3 -S tools/skiff run ...` — so every message and status
 * of an unusual case comes from one place.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024ULL * 1024)
#define HEADROOM (512 * 1024ULL)
#define CMDLINE_MAX 4095
#define FRAME_MAX 65532
#define HIDDEN_KEPT 64
#define LOG_LINE_MAX (64 * 1024)
/* tools/skiffpy/qemu.py QEMU_TUNABLES, which says why (the parity test compares them) */
#define QEMU_TUNABLES "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=4194304:glibc.malloc.arena_max=1"

enum { FR_STDIN, FR_STDOUT, FR_STDERR, FR_STDIN_EOF };
enum { EXIT_VM_DID_NOT_START = 125, EXIT_REFUSED = 126, EXIT_CRASHED = 134,
       EXIT_SIGPIPE = 141 };

static char **orig_argv;
static volatile sig_atomic_t got_signal;
static const char *skiff_script;

/* Hand the whole command to the Python front end. SIGINT, SIGTERM and SIGHUP stay blocked
 * across the exec: one that came meanwhile waits, pending, until tools/skiffpy/stopsignals.py
 * takes it. */
static void fallback(void)
{
	int n = 0;
	while (orig_argv[n])
		n++;
	char **argv = calloc(n + 3, sizeof(char *));
	argv[0] = "python3";
	argv[1] = "-S";
	argv[2] = (char *)skiff_script;
	for (int i = 1; i < n; i++)
		argv[i + 2] = orig_argv[i];
	execvp("python3", argv);
	fprintf(stderr, "skiff run: cannot start python3: %s\n", strerror(errno));
	exit(EXIT_VM_DID_NOT_START);
}

static void *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	char *buf = malloc(st.st_size + 1);
	size_t got = 0;
	while (buf && got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, st.st_size - got);
		if (r <= 0)
			break;
		got += r;
	}
	close(fd);
	if (!buf || got != (size_t)st.st_size) {
		free(buf);
		return NULL;
	}
	buf[got] = 0;
	*len = got;
	return buf;
}

/* The image, mapped read-only (only the pages check_elf reads come in); NULL if it is not a
 * regular file. munmap(d, *len) when done. */
static unsigned char *map_image(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	void *d = MAP_FAILED;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0)
		d = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (d == MAP_FAILED)
		return NULL;
	*len = (size_t)st.st_size;
	return d;
}

/* ELF64 little-endian checks as elfimage.py: PVH note, no network note; memory needed. */
static int check_elf(const unsigned char *d, size_t len, uint64_t *need)
{
	if (len < 64 || memcmp(d, "\x7f" "ELF", 4) || d[4] != 2 || d[5] != 1)
		return -1;
	uint64_t phoff, top = 0;
	uint16_t phentsize, phnum;
	memcpy(&phoff, d + 32, 8);
	memcpy(&phentsize, d + 54, 2);
	memcpy(&phnum, d + 56, 2);
	int pvh = 0, net = 0;
	for (unsigned i = 0; i < phnum; i++) {
		uint64_t at = phoff + (uint64_t)i * phentsize;
		if (phentsize < 56 || at + 56 > len)
			return -1;
		uint32_t type;
		uint64_t off, paddr, filesz, memsz;
		memcpy(&type, d + at, 4);
		memcpy(&off, d + at + 8, 8);
		memcpy(&paddr, d + at + 24, 8);
		memcpy(&filesz, d + at + 32, 8);
		memcpy(&memsz, d + at + 40, 8);
		if (type == 1 && paddr + memsz > top)
			top = paddr + memsz;
		if (type != 4)
			continue;
		uint64_t pos = off, end = off + filesz;
		while (pos + 12 <= end && pos + 12 <= len) {
			uint32_t namesz, descsz, ntype;
			memcpy(&namesz, d + pos, 4);
			memcpy(&descsz, d + pos + 4, 4);
			memcpy(&ntype, d + pos + 8, 4);
			const char *name = (const char *)d + pos + 12;
			if (pos + 12 + namesz > len)
				break;
			if (namesz >= 4 && !memcmp(name, "Xen", 4) && ntype == 18)
				pvh = 1;
			if (namesz >= 6 && !memcmp(name, "skiff", 6) && ntype == 0x101)
				net = 1;
			pos += 12 + ((namesz + 3) & ~3U) + ((descsz + 3) & ~3U);
		}
	}
	if (!pvh || net)
		return -1;
	uint64_t n = (top + HEADROOM + MIB - 1) / MIB * MIB;
	*need = n < 2 * MIB ? 2 * MIB : n;
	return 0;
}

/* "64M", "1G", "512" (MiB): bytes, or 0 for anything else (Python explains). */
static uint64_t parse_mem(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || v == 0 || v > (1ULL << 20))
		return 0;
	if (!*end || !strcmp(end, "M") || !strcmp(end, "m"))
		return v * MIB;
	if (!strcmp(end, "G") || !strcmp(end, "g"))
		return v * 1024 * MIB;
	return 0;
}

/* The string value of "field": "..." in a flat reading of accel.json; NULL if absent or escaped. */
static char *json_string(const char *json, const char *field)
{
	char pat[64];
	snprintf(pat, sizeof(pat), "\"%s\": \"", field);
	const char *p = strstr(json, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	const char *q = strchr(p, '"');
	if (!q || memchr(p, '\\', q - p))
		return NULL;
	return strndup(p, q - p);
}

static char *which(const char *name)
{
	if (strchr(name, '/'))
		return strdup(name);
	const char *path = getenv("PATH");
	if (!path)
		return NULL;
	char *copy = strdup(path), *save, *dir;
	for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char cand[PATH_MAX];
		snprintf(cand, sizeof(cand), "%s/%s", dir, name);
		if (!access(cand, X_OK)) {
			free(copy);
			return strdup(cand);
		}
	}
	free(copy);
	return NULL;
}

/* accel.py's choose(): SKIFF_ACCEL, else a cached verdict whose key matches this host. */
static const char *choose_accel(const char *resolved, int quiet)
{
	const char *forced = getenv("SKIFF_ACCEL");
	if (forced && !strcmp(forced, "tcg"))
		return "tcg";
	if (forced && *forced && strcmp(forced, "kvm"))
		fallback();
	char path[PATH_MAX];
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(path, sizeof(path), "%s/skiff/accel.json", xdg);
	else if (home)
		snprintf(path, sizeof(path), "%s/.cache/skiff/accel.json", home);
	else
		fallback();
	size_t len;
	char *json = slurp(path, &len);
	if (!json)
		fallback(); /* no verdict yet: Python probes and caches it */
	struct utsname u;
	uname(&u);
	char *kernel = json_string(json, "kernel"), *qemu_id = json_string(json, "qemu_id");
	char *accel = json_string(json, "accel"), *reason = json_string(json, "reason");
	char real[PATH_MAX], want_id[PATH_MAX + 64];
	struct stat st;
	if (!realpath(resolved, real) || stat(real, &st))
		fallback();
	snprintf(want_id, sizeof(want_id), "%s:%lld:%lld", real, (long long)st.st_size,
		 (long long)st.st_mtime);
	int kvm_present = access("/dev/kvm", F_OK) == 0;
	const char *kvm_field = kvm_present ? "\"kvm\": true" : "\"kvm\": false";
	if (!kernel || !qemu_id || !accel || !reason || strcmp(kernel, u.release) ||
	    strcmp(qemu_id, want_id) || !strstr(json, kvm_field) ||
	    (strcmp(accel, "tcg") && strcmp(accel, "kvm")))
		fallback();
	if (forced && !strcmp(forced, "kvm")) {
		if (strcmp(accel, "kvm"))
			fallback(); /* Python says why KVM cannot be forced */
		return "kvm";
	}
	if (!strcmp(accel, "tcg") && !quiet)
		fprintf(stderr, "skiff: using TCG: %s (SKIFF_ACCEL=tcg skips this check)\n", reason);
	return strcmp(accel, "kvm") ? "tcg" : "kvm";
}

/* cmdline.py quote_arg: "..." with " and \ escaped. */
static void quoted(char *out, size_t cap, size_t *at, const char *s)
{
	if (*at + 1 < cap)
		out[(*at)++] = '"';
	for (; *s; s++) {
		if ((*s == '"' || *s == '\\') && *at + 1 < cap)
			out[(*at)++] = '\\';
		if (*at + 1 < cap)
			out[(*at)++] = *s;
	}
	if (*at + 1 < cap)
		out[(*at)++] = '"';
	out[*at] = 0;
}

/* runenv.py default_hostname: the file name up to its first '.', runs of other characters
 * than letters, digits and '-' made one '-', '-' stripped at both ends, at most 63. */
static void default_hostname(const char *image, char *out)
{
	const char *base = strrchr(image, '/');
	base = base ? base + 1 : image;
	size_t n = 0;
	int in_bad = 0;
	for (const char *p = base; *p && *p != '.'; p++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
		if (ok) {
			out[n++] = c;
			in_bad = 0;
		} else if (!in_bad) {
			out[n++] = '-';
			in_bad = 1;
		}
		if (n >= 255)
			break;
	}
	out[n] = 0;
	/* strip, cut at 63, strip again */
	char *s = out;
	while (*s == '-')
		s++;
	memmove(out, s, strlen(s) + 1);
	n = strlen(out);
	while (n && out[n - 1] == '-')
		out[--n] = 0;
	if (n > 63)
		out[n = 63] = 0;
	while (n && out[n - 1] == '-')
		out[--n] = 0;
	if (!n)
		strcpy(out, "skiff");
}

/* ---- the run: relay, log, time service (vmrun.py, timeserve.py) ---- */

static int stderr_mid_line; /* the last byte written to fd 2 was no newline */

static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	if (fd == 2 && n)
		stderr_mid_line = p[n - 1] != '\n';
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR && !got_signal)
				continue;
			return -1;     /* a stop signal ends a write the reader never takes */
		}
		p += w;
		n -= w;
	}
	return 0;
}

static void frame_header(unsigned char *h, int kind, size_t len)
{
	h[0] = kind;
	h[1] = len & 0xff;
	h[2] = (len >> 8) & 0xff;
	h[3] = (len >> 16) & 0xff;
}

static int foreground(void)
{
	pid_t pg = tcgetpgrp(0);
	return pg < 0 || pg == getpgrp();
}

static unsigned char stdin_buf[4 + FRAME_MAX]; /* one frame: header, then the bytes */

static void *pump_stdin(void *arg)
{
	int sock = (int)(intptr_t)arg;
	unsigned char *buf = stdin_buf;
	int tty = isatty(0);
	for (;;) {
		while (tty && !foreground())
			usleep(200000);
		ssize_t r = read(0, buf + 4, FRAME_MAX);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		frame_header(buf, FR_STDIN, r);
		if (write_all(sock, buf, 4 + r))
			return NULL;
	}
	frame_header(buf, FR_STDIN_EOF, 0);
	write_all(sock, buf, 4);
	return NULL;
}

/*
 * stdin that is not a terminal and can be read at once (/dev/null, a file, a closed pipe):
 * its first frame now, from this thread. 1 when that was the end of file too, so that no
 * pump thread is needed (the common `< /dev/null` or scripted run starts none).
 */
static int stdin_ended_at_once(int sock)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	if (isatty(0) || poll(&p, 1, 0) != 1 || !(p.revents & (POLLIN | POLLHUP)))
		return 0;
	ssize_t r = read(0, stdin_buf + 4, FRAME_MAX);
	if (r < 0)
		return 0; /* the pump reads again and ends the stream */
	frame_header(stdin_buf, r ? FR_STDIN : FR_STDIN_EOF, r);
	return write_all(sock, stdin_buf, 4 + r) || r == 0;
}

/* What the QEMU child needs; it runs on its own stack in our memory (spawn_qemu). */
struct qemu_child {
	pid_t parent;
	const sigset_t *unblocked;
	int keep[4], err_fd;
	const char *path;
	char **argv;
};

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
static void on_signal(int sig);

static int qemu_child_main(void *arg)
{
	const struct qemu_child *c = arg;
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != c->parent)
		_exit(1);
	signal(SIGPIPE, SIG_DFL);
	/* Our handler would swallow a stop signal (or the parent-death SIGTERM) that is
	 * pending here, and QEMU would run on with no parent: the default, before unblocking. */
	for (unsigned k = 0; k < 3; k++) {
		struct sigaction old;
		sigaction(stop_signals[k], NULL, &old);
		if (old.sa_handler == on_signal)
			signal(stop_signals[k], SIG_DFL);
	}
	sigprocmask(SIG_SETMASK, c->unblocked, NULL);
	for (unsigned k = 0; k < 4; k++)
		fcntl(c->keep[k], F_SETFD, 0);
	int null = open("/dev/null", O_RDONLY);
	dup2(null, 0);
	dup2(c->err_fd, 2);
	execv(c->path, c->argv);
	dprintf(c->err_fd, "\x01%s", strerror(errno));
	_exit(127);
}

/*
 * fork + exec without copying our page tables (a tenth of a millisecond of start-up here):
 * the child borrows our memory (CLONE_VM, own fd table and signal handlers) on a stack of
 * its own, and we wait (CLONE_VFORK) until it has exec'd QEMU or exited.
 */
static pid_t spawn_qemu(struct qemu_child *c)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	return clone(qemu_child_main, stack + sizeof(stack), CLONE_VM | CLONE_VFORK | SIGCHLD, c);
}

struct log {
	int quiet, verbose, seen, final; /* final: 0 none, 1 exit, 2 panic, 3 refused */
	int status;
	char *pending;
	size_t len;
	char *hidden[HIDDEN_KEPT];
	int nhidden;
};

static void hidden_clear(struct log *l)
{
	for (int i = 0; i < l->nhidden; i++)
		free(l->hidden[i]);
	l->nhidden = 0;
}

static void replay_hidden(struct log *l)
{
	for (int i = 0; i < l->nhidden; i++)
		write_all(2, l->hidden[i], strlen(l->hidden[i]));
	hidden_clear(l);
}

static int exit_line(const char *line, size_t n, int *status)
{
	if (n < 12 || memcmp(line, "skiff: exit ", 12))
		return 0;
	size_t i = 12;
	long v = 0;
	if (i >= n || line[i] < '0' || line[i] > '9')
		return 0;
	while (i < n && line[i] >= '0' && line[i] <= '9')
		v = (v * 10 + (line[i++] - '0')) & 0xffffffff;
	while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n'))
		i++;
	if (i != n)
		return 0;
	*status = (int)(v & 0xff);
	return 1;
}

static void log_line(struct log *l, const char *line, size_t n)
{
	int show;
	if (exit_line(line, n, &l->status)) {
		l->final = 1;
		show = l->verbose;
	} else if ((n >= 12 && !memcmp(line, "skiff: panic", 12)) ||
		   (n >= 14 && !memcmp(line, "skiff: refused", 14))) {
		l->final = line[7] == 'p' ? 2 : 3;
		replay_hidden(l);
		show = 1;
	} else {
		show = !(l->quiet && n >= 7 && !memcmp(line, "skiff: ", 7));
		if (!show) {
			if (l->nhidden == HIDDEN_KEPT) {
				free(l->hidden[0]);
				memmove(l->hidden, l->hidden + 1, sizeof(char *) * (HIDDEN_KEPT - 1));
				l->nhidden--;
			}
			l->hidden[l->nhidden++] = strndup(line, n);
		} else {
			hidden_clear(l);
		}
	}
	if (show)
		write_all(2, line, n);
}

static void log_finish(struct log *l)
{
	if (l->len)
		log_line(l, l->pending, l->len);
	l->len = 0;
}

static void log_feed(struct log *l, const char *chunk, size_t n)
{
	l->seen = 1;
	l->pending = realloc(l->pending, l->len + n + 1);
	memcpy(l->pending + l->len, chunk, n);
	l->len += n;
	size_t start = 0;
	for (size_t i = 0; i < l->len; i++)
		if (l->pending[i] == '\n') {
			log_line(l, l->pending + start, i + 1 - start);
			start = i + 1;
		}
	memmove(l->pending, l->pending + start, l->len - start);
	l->len -= start;
	if (l->len > LOG_LINE_MAX)
		log_finish(l);
}

/* Console link frames from the guest: 1 = stdout went away, 2 = a bad frame. */
static int con_feed(unsigned char **buf, size_t *len, const unsigned char *chunk, size_t n,
		    int *bad_kind, size_t *bad_len)
{
	*buf = realloc(*buf, *len + n + 1);
	memcpy(*buf + *len, chunk, n);
	*len += n;
	size_t pos = 0;
	int rc = 0;
	while (*len - pos >= 4) {
		unsigned char *h = *buf + pos;
		size_t flen = h[1] | h[2] << 8 | (size_t)h[3] << 16;
		if ((h[0] != FR_STDOUT && h[0] != FR_STDERR) || flen > FRAME_MAX) {
			*bad_kind = h[0];
			*bad_len = flen;
			rc = 2;
			break;
		}
		if (*len - pos - 4 < flen)
			break;
		if (h[0] == FR_STDERR) {
			write_all(2, h + 4, flen);
		} else if (write_all(1, h + 4, flen)) {
			rc = 1;
			pos += 4 + flen;
			break;
		}
		pos += 4 + flen;
	}
	memmove(*buf, *buf + pos, *len - pos);
	*len -= pos;
	return rc;
}

/* timeserve.py: requests are 0xa5 0x5a SEQ; the latest complete one in a chunk is answered
 * with 0x5a 0xa5 SEQ and the host's CLOCK_REALTIME in ns (8 bytes, little-endian); a request
 * cut in two carries over; any other byte is ignored. */
static void clock_feed(int sock, unsigned char *pend, size_t *plen, const unsigned char *chunk,
		       size_t n)
{
	int seq = -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = chunk[i];
		if (*plen == 2) {
			seq = c; /* the byte after the magic, whatever it is */
			*plen = 0;
		} else if (*plen == 1 && c == 0x5a) {
			*plen = 2;
		} else {
			*plen = c == 0xa5;
		}
		pend[0] = 0xa5;
	}
	if (seq < 0)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	unsigned char reply[11] = { 0x5a, 0xa5, (unsigned char)seq };
	for (int b = 0; b < 8; b++)
		reply[3 + b] = (ns >> (8 * b)) & 0xff;
	write_all(sock, reply, sizeof(reply));
}

static int signal_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;
	got_signal = sig;
	if (write(signal_pipe[1], "", 1) < 0) { /* full: poll wakes up anyway */ }
	errno = saved;
}

/* SIGINT, SIGTERM, SIGHUP: one line (tools/skiffpy/stopsignals.py's words) and 128 + N. */
static int stopped_by_signal(int vm_stopped)
{
	const char *what = got_signal == SIGINT ? "interrupted" :
			   got_signal == SIGTERM ? "terminated (SIGTERM)" : "hung up (SIGHUP)";
	dprintf(2, "%sskiff run: %s%s\n", stderr_mid_line ? "\n" : "", what,
		vm_stopped ? ", VM stopped" : "");
	return 128 + got_signal;
}

static void stop_qemu(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, WNOHANG) == pid)
		return;
	kill(pid, SIGTERM);
	for (int i = 0; i < 300; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

/* value = mine, then ":" and the user's own (if any) */
static void set_ahead(const char *name, const char *mine)
{
	const char *theirs = getenv(name);
	char *value;
	if (theirs && *theirs) {
		if (asprintf(&value, "%s:%s", mine, theirs) < 0)
			return;
	} else {
		value = strdup(mine);
	}
	if (value)
		setenv(name, value, 1);
	free(value);
}

/* The checkout's root: ROOT/tools/skiff -> ROOT, as common.py finds ROOT. 0 on success. */
static int skiff_root(char root[PATH_MAX])
{
	if (!realpath(skiff_script, root))
		return -1;
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(root, '/');
		if (!slash)
			return -1;
		*slash = 0;
	}
	return 0;
}

/* qemu.py qemu_for("microvm"): the lean build (SKIFF_QEMU_LEAN, else build/bin/qemu-lean)
 * where it is built and SKIFF_QEMU is unset, else `debian` (SKIFF_QEMU's or Debian's). */
static char *qemu_for_microvm(char *debian)
{
	const char *forced = getenv("SKIFF_QEMU"), *named = getenv("SKIFF_QEMU_LEAN");
	char root[PATH_MAX], lean[PATH_MAX + 32];
	if (forced && *forced)
		return debian;
	if (named)
		snprintf(lean, sizeof(lean), "%s", named);
	else if (!skiff_root(root))
		snprintf(lean, sizeof(lean), "%s/build/bin/qemu-lean", root);
	else
		return debian;
	return strcmp(lean, "0") && !access(lean, X_OK) ? strdup(lean) : debian;
}

/* qemu.py qemu_environ: QEMU_TUNABLES ahead of the user's GLIBC_TUNABLES (theirs win), and
 * build/lib/qemu (nocapstone.c), once built, first in LD_LIBRARY_PATH. */
static void set_qemu_environment(void)
{
	set_ahead("GLIBC_TUNABLES", QEMU_TUNABLES);
	char root[PATH_MAX], lib[PATH_MAX + 32], stub[PATH_MAX + 64];
	if (skiff_root(root))
		return;
	snprintf(lib, sizeof(lib), "%s/build/lib/qemu", root);
	snprintf(stub, sizeof(stub), "%s/libcapstone.so.4", lib);
	if (!access(stub, F_OK))
		set_ahead("LD_LIBRARY_PATH", lib);
}

static void open_standard_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0) {
			int null = open("/dev/null", O_RDWR);
			if (null >= 0 && null != fd) {
				dup2(null, fd);
				close(null);
			}
		}
}

int main(int argc, char **argv)
{
	orig_argv = argv;
	/* Held from the start: handled below once QEMU runs, or by Python after fallback(). */
	sigset_t stops, unblocked;
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	sigprocmask(SIG_BLOCK, &stops, &unblocked);
	/* argv: skiff-run SKIFF_SCRIPT run ... */
	if (argc < 3 || strcmp(argv[2], "run"))
		return 2;
	skiff_script = argv[1];
	orig_argv = argv + 1; /* fallback() re-runs "SKIFF_SCRIPT run ..." */
	const char *image = NULL, *mem_text = "64M";
	int quiet = 0, nargs = 0;
	char **app = NULL;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			app = argv + i + 1;
			nargs = argc - i - 1;
			break;
		} else if (!strcmp(argv[i], "--quiet")) {
			quiet = 1;
		} else if (!strcmp(argv[i], "--mem") && i + 1 < argc) {
			mem_text = argv[++i];
		} else if (!strncmp(argv[i], "--mem=", 6)) {
			mem_text = argv[i] + 6;
		} else if (argv[i][0] == '-' || image) {
			fallback(); /* any other option, or a second positional (Python's error) */
		} else {
			image = argv[i];
		}
	}
	size_t ilen = image ? strlen(image) : 0;
	if (!image || ilen < 5 || strcmp(image + ilen - 4, ".elf") || getenv("SKIFF_NO_HOST_CHECKS"))
		fallback();
	uint64_t mem = parse_mem(mem_text), need;
	size_t len;
	unsigned char *elf = map_image(image, &len);
	if (!mem || !elf || check_elf(elf, len, &need) || mem < need)
		fallback(); /* Python checks again and says what is wrong */
	munmap(elf, len);

	const char *qemu = getenv("SKIFF_QEMU");
	if (!qemu || !*qemu)
		qemu = "qemu-system-x86_64";
	char *qemu_path = which(qemu);
	if (!qemu_path)
		fallback(); /* Python says QEMU cannot be run */
	const char *accel = choose_accel(qemu_path, quiet); /* keyed by Debian's QEMU, as accel.py */
	char *debian = qemu_path;
	qemu_path = qemu_for_microvm(debian);
	if (qemu_path != debian)
		qemu = qemu_path; /* argv[0] as qemu.py writes it: the lean build's path */

	/* the guest command line: ttys=, hostname=, then -- argv0 args (cmd_run + runenv) */
	static char cmdline[CMDLINE_MAX + 2];
	size_t at = 0;
	char ttys[8] = "", host[256];
	for (int fd = 0; fd < 3; fd++)
		if (isatty(fd))
			ttys[strlen(ttys)] = '0' + fd;
	default_hostname(image, host);
	char word[300];
	snprintf(word, sizeof(word), "hostname=%s", host);
	quoted(cmdline, sizeof(cmdline), &at, word);
	if (ttys[0])
		at += snprintf(cmdline + at, sizeof(cmdline) - at, " ttys=%s", ttys);
	at += snprintf(cmdline + at, sizeof(cmdline) - at, " -- ");
	const char *base = strrchr(image, '/');
	quoted(cmdline, sizeof(cmdline), &at, base ? base + 1 : image);
	for (int i = 0; i < nargs; i++) {
		if (at + 1 < sizeof(cmdline))
			cmdline[at++] = ' ';
		quoted(cmdline, sizeof(cmdline), &at, app[i]);
	}
	if (at > CMDLINE_MAX)
		fallback(); /* Python states the limit */

	open_standard_fds();
	int logp[2], outp[2], errp[2], con[2], clk[2];
	if (pipe2(logp, O_CLOEXEC) || pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC) ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, con) ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, clk)) {
		fprintf(stderr, "skiff run: VM did not start: %s\n", strerror(errno));
		return EXIT_VM_DID_NOT_START;
	}
	char memarg[32], outpath[64], logpath[64], conarg[64], clkarg[64], chout[96], chlog[96];
	if (mem % MIB == 0)
		snprintf(memarg, sizeof(memarg), "%lluM", (unsigned long long)(mem / MIB));
	else
		snprintf(memarg, sizeof(memarg), "%lluK", (unsigned long long)((mem + 1023) / 1024));
	snprintf(outpath, sizeof(outpath), "/proc/self/fd/%d", outp[1]);
	snprintf(logpath, sizeof(logpath), "/proc/self/fd/%d", logp[1]);
	snprintf(chout, sizeof(chout), "file,id=out,path=%s,append=on", outpath);
	snprintf(chlog, sizeof(chlog), "file,id=log,path=%s,append=on", logpath);
	snprintf(conarg, sizeof(conarg), "socket,id=con,fd=%d", con[1]);
	snprintf(clkarg, sizeof(clkarg), "socket,id=skiffclk,fd=%d", clk[1]);
	const char *qargv[] = {
		qemu, "-chardev", clkarg, "-device", "isa-serial,chardev=skiffclk,iobase=0x2f8,irq=3",
		/* no ACPI tables for a skiff guest: tools/skiffpy/qemu.py says why */
		"-M", "microvm,x-option-roms=off,rtc=on,acpi=off,auto-kernel-cmdline=off",
		"-accel", accel,
		"-cpu", strcmp(accel, "kvm") ? "max" : "host", "-m", memarg,
		"-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
		"-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
		"-chardev", chout, "-serial", "chardev:out",
		"-chardev", chlog, "-device", "isa-debugcon,iobase=0xe9,chardev=log",
		"-device", "isa-debug-exit,iobase=0xf4,iosize=4",
		"-chardev", conarg, "-device", "virtio-serial-device,max_ports=2",
		"-device", "virtserialport,chardev=con,nr=1",
		"-kernel", image, "-append", cmdline, NULL,
	};

	set_qemu_environment();
	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK)) {
		fprintf(stderr, "skiff run: VM did not start: %s\n", strerror(errno));
		return EXIT_VM_DID_NOT_START;
	}
	struct sigaction sa = { .sa_handler = on_signal };  /* no SA_RESTART: writes end too */
	for (unsigned k = 0; k < 3; k++) {
		struct sigaction old;
		sigaction(stop_signals[k], NULL, &old);
		if (old.sa_handler != SIG_IGN)  /* one ignored (nohup) stays ignored */
			sigaction(stop_signals[k], &sa, NULL);
	}
	signal(SIGPIPE, SIG_IGN);
	struct qemu_child child = {
		.parent = getpid(), .unblocked = &unblocked, .keep = { outp[1], logp[1], con[1], clk[1] },
		.err_fd = errp[1], .path = qemu_path, .argv = (char **)qargv,
	};
	pid_t pid = spawn_qemu(&child);
	close(outp[1]);
	close(logp[1]);
	close(errp[1]);
	close(con[1]);
	close(clk[1]);
	if (pid < 0) {
		fprintf(stderr, "skiff run: VM did not start: cannot run %s: %s\n", qemu, strerror(errno));
		return EXIT_VM_DID_NOT_START;
	}
	if (!stdin_ended_at_once(con[0])) {
		pthread_t th;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_attr_setstacksize(&attr, 64 * 1024); /* its buffer is stdin_buf */
		pthread_create(&th, &attr, pump_stdin, (void *)(intptr_t)con[0]); /* signals blocked there */
	}
	sigprocmask(SIG_SETMASK, &unblocked, NULL);  /* a pending one arrives now, in this thread */

	struct log log = { .quiet = quiet, .verbose = getenv("SKIFF_VERBOSE") &&
				!strcmp(getenv("SKIFF_VERBOSE"), "1") };
	unsigned char *conbuf = NULL, clkpend[3];
	size_t conlen = 0, clklen = 0, qerrlen = 0;
	char *qerr = NULL;
	int qemu_complained = 0, exec_failed = 0;
	static unsigned char chunk[65536];
	/* the app's streams before the log when both are ready (vmrun.py's order) */
	struct pollfd pf[6] = {
		{ .fd = con[0], .events = POLLIN }, { .fd = outp[0], .events = POLLIN },
		{ .fd = errp[0], .events = POLLIN }, { .fd = clk[0], .events = POLLIN },
		{ .fd = logp[0], .events = POLLIN },
		{ .fd = signal_pipe[0], .events = POLLIN },  /* wakes poll for a signal that came before it */
	};
	int open_fds = 5, result = -1;
	while (open_fds && result < 0) {
		if (got_signal)
			break;
		int r = poll(pf, 6, -1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 5 && result < 0; i++) {
			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(pf[i].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				if (i != 0 && i != 3)
					close(pf[i].fd);
				pf[i].fd = -1;
				open_fds--;
				continue;
			}
			if (i == 0) {
				int kind;
				size_t blen;
				int rc = con_feed(&conbuf, &conlen, chunk, n, &kind, &blen);
				if (rc == 1) {
					stop_qemu(pid);
					return got_signal ? stopped_by_signal(1) : EXIT_SIGPIPE;
				}
				if (rc == 2) {
					stop_qemu(pid);
					fprintf(stderr, "skiff run: bad frame from the guest (kind %d, %zu "
						"bytes); VM stopped\n", kind, blen);
					return EXIT_CRASHED;
				}
			} else if (i == 1) {
				if (write_all(1, chunk, n)) {
					stop_qemu(pid);
					return got_signal ? stopped_by_signal(1) : EXIT_SIGPIPE;
				}
			} else if (i == 2) {
				if (chunk[0] == 1 && !qerrlen && !qemu_complained) {
					fprintf(stderr, "skiff run: VM did not start: cannot run %s: %.*s\n",
						qemu, (int)n - 1, chunk + 1);
					exec_failed = 1;
					continue;
				}
				qerr = realloc(qerr, qerrlen + n);
				memcpy(qerr + qerrlen, chunk, n);
				qerrlen += n;
				size_t start = 0;
				for (size_t k = 0; k < qerrlen; k++)
					if (qerr[k] == '\n') {
						write_all(2, qerr + start, k + 1 - start);
						start = k + 1;
					}
				memmove(qerr, qerr + start, qerrlen - start);
				qerrlen -= start;
				qemu_complained = 1;
			} else if (i == 3) {
				clock_feed(clk[0], clkpend, &clklen, chunk, n);
			} else {
				log_feed(&log, (char *)chunk, n);
			}
		}
	}
	if (got_signal) {
		stop_qemu(pid);
		return stopped_by_signal(1);
	}
	log_finish(&log);
	if (qerrlen) {
		write_all(2, qerr, qerrlen);
		write_all(2, "\n", 1);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	shutdown(con[0], SHUT_RDWR);
	if (got_signal)
		return stopped_by_signal(1); /* came while the VM was ending */
	if (exec_failed)
		return EXIT_VM_DID_NOT_START;
	if (log.final == 1)
		return log.status;
	if (log.final)
		return log.final == 3 ? EXIT_REFUSED : EXIT_CRASHED;
	int qstatus = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
	if (qstatus != 0 && (qemu_complained || !log.seen)) {
		if (qstatus < 0)
			fprintf(stderr, "skiff run: VM did not start (QEMU killed by signal %d)\n", -qstatus);
		else
			fprintf(stderr, "skiff run: VM did not start (QEMU exited with status %d)\n", qstatus);
		return EXIT_VM_DID_NOT_START;
	}
	replay_hidden(&log);
	fprintf(stderr, "skiff run: VM stopped without an exit line (triple fault?)\n");
	return EXIT_CRASHED;
}
