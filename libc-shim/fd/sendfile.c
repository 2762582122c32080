/* sendfile: copy up to count bytes from a readable fd (at *offset, or its position) to any writable fd, sockets included, through a bounce buffer. */
#include <errno.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <unistd.h>

#define BOUNCE 16384

ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)
{
	char *buf = malloc(BOUNCE);
	off_t pos = offset ? *offset : 0;
	size_t done = 0;
	int err = 0;

	if (!buf) {
		errno = ENOMEM;
		return -1;
	}
	if (offset && pos < 0)
		err = EINVAL;
	while (!err && done < count) {
		size_t want = count - done < BOUNCE ? count - done : BOUNCE;
		ssize_t got = offset ? pread(in_fd, buf, want, pos) : read(in_fd, buf, want);
		if (got < 0) {
			err = errno;
			break;
		}
		if (got == 0)
			break; /* end of the input */
		ssize_t put = 0;
		while (put < got) {
			ssize_t w = write(out_fd, buf + put, (size_t)(got - put));
			if (w < 0) {
				err = errno;
				break;
			}
			put += w;
		}
		done += (size_t)put;
		pos += put;
		if (!offset && put < got)
			lseek(in_fd, put - got, SEEK_CUR); /* unread what was not sent */
		if (put < got)
			break;
	}
	free(buf);
	if (offset)
		*offset = pos;
	if (done == 0 && err) {
		errno = err;
		return -1;
	}
	return (ssize_t)done; /* a later error waits for the next call, as write's does */
}
