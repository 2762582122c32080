/* getrandom: bytes from the kernel's entropy source (getentropy's), any length; it never blocks (the source is ready at boot). */
#include <errno.h>
#include <sys/random.h>
#include <unistd.h>

#define CHUNK 256 /* getentropy's limit per call */

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
	if (flags & ~(unsigned)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) {
		errno = EINVAL;
		return -1;
	}
	if (len > 0x1ffffff)
		len = 0x1ffffff; /* Linux's most per call (32 MiB - 1) */
	for (size_t done = 0; done < len;) {
		size_t n = len - done < CHUNK ? len - done : CHUNK;
		if (getentropy((char *)buf + done, n))
			return -1;
		done += n;
	}
	return (ssize_t)len;
}
