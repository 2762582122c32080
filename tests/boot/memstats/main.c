/* Boot test: /dev/memstats reports RAM, free pages with a low-water mark, the heap's high-water mark and malloc's bytes in use. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct figures {
	unsigned long long ram, free, free_low, heap, heap_high, in_use;
};

static int fail(const char *what)
{
	printf("memstats FAILED: %s\n", what);
	return 1;
}

static int snapshot(struct figures *f)
{
	char text[512];
	int fd = open("/dev/memstats", O_RDONLY);
	ssize_t n = 0, k;

	if (fd < 0)
		return -1;
	while ((k = read(fd, text + n, sizeof(text) - 1 - (size_t)n)) > 0)
		n += k;
	close(fd);
	text[n] = 0;
	memset(f, 0xff, sizeof(*f));
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char name[32];
		unsigned long long v;
		if (sscanf(line, "%31s %llu", name, &v) != 2)
			return -1;
		if (!strcmp(name, "ram")) f->ram = v;
		else if (!strcmp(name, "free")) f->free = v;
		else if (!strcmp(name, "free_low")) f->free_low = v;
		else if (!strcmp(name, "heap")) f->heap = v;
		else if (!strcmp(name, "heap_high")) f->heap_high = v;
		else if (!strcmp(name, "malloc_in_use")) f->in_use = v;
	}
	return f->ram == ~0ULL || f->free == ~0ULL || f->free_low == ~0ULL || f->heap == ~0ULL ||
	       f->heap_high == ~0ULL || f->in_use == ~0ULL ? -1 : 0;
}

int main(void)
{
	struct figures a, b, c;
	struct stat st;

	if (stat("/dev/memstats", &st) || !S_ISREG(st.st_mode))
		return fail("stat");
	if (open("/dev/memstats", O_WRONLY) >= 0 || errno != EACCES)
		return fail("a write-only open must fail with EACCES");
	if (snapshot(&a))
		return fail("first snapshot");
	if (a.ram < (30ULL << 20) || a.free > a.ram || a.free_low > a.free || a.heap > a.heap_high)
		return fail("first figures out of order");
	size_t big = 4 << 20;
	char *p = malloc(big);
	if (!p)
		return fail("malloc");
	memset(p, 1, big);
	if (snapshot(&b))
		return fail("second snapshot");
	if (b.heap_high < a.heap_high + big || b.heap < a.heap + big || b.in_use < a.in_use + big ||
	    b.free + big > a.free || b.free_low > b.free)
		return fail("a 4 MiB malloc did not show");
	free(p);
	if (snapshot(&c))
		return fail("third snapshot");
	if (c.heap_high != b.heap_high || c.free_low != b.free_low || c.free_low > c.free ||
	    c.in_use + big > b.in_use)
		return fail("the marks moved back after free");
	printf("memstats ok: ram %llu KiB, heap_high %llu -> %llu KiB, free_low %llu KiB, malloc_in_use %llu -> %llu -> %llu B\n",
	       a.ram >> 10, a.heap_high >> 10, c.heap_high >> 10, c.free_low >> 10, a.in_use,
	       b.in_use, c.in_use);
	return 0;
}
