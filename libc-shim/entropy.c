/* getentropy(): the kernel's entropy source (RDSEED/RDRAND, else TSC jitter,
 * logged once: not cryptographic). newlib's arc4random() seeds itself from here. */
#include <errno.h>
#include <skiff/entropy.h>
#include <unistd.h>

#include "shim.h"

#define GETENTROPY_MAX 256 /* POSIX: larger requests fail with EIO */

int getentropy(void *buf, size_t len)
{
	if (len > GETENTROPY_MAX) {
		errno = EIO;
		return -1;
	}
	if (!entropy_fill(buf, len))
		shim_log_once("getentropy-jitter",
			      "getentropy(): no RDRAND/RDSEED, using TSC jitter (not cryptographic)");
	return 0;
}
