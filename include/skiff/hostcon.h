/* The host console link (virtio-console port 0): the app's stdout/stderr out and stdin in, as frames. */
#ifndef SKIFF_HOSTCON_H
#define SKIFF_HOSTCON_H

#include <stddef.h>

/*
 * Protocol (skiff run's vmrun.py is the other end)
 * ------------------------------------------------
 * Both directions carry frames: a 4-byte header, then `length` bytes.
 *   byte 0     kind (HOSTCON_*)
 *   bytes 1-3  length, little-endian (at most HOSTCON_FRAME_MAX)
 * Guest to host: HOSTCON_STDOUT and HOSTCON_STDERR frames, in the order the
 * app wrote them, so the interleaving of the two streams is exact.
 * Host to guest: HOSTCON_STDIN frames, then one HOSTCON_STDIN_EOF (length 0)
 * when the host's stdin ends.
 * Without the device (a plain `qemu -kernel`, UEFI boots) hostcon_present()
 * is 0 and libc-shim falls back to COM1/debugcon, stdin at end-of-file.
 */
#define HOSTCON_STDIN     0
#define HOSTCON_STDOUT    1
#define HOSTCON_STDERR    2
#define HOSTCON_STDIN_EOF 3
#define HOSTCON_HEADER    4
#define HOSTCON_FRAME_MAX 65532

/* Probe the drivers once (thread context); 1 when the host console is there. */
int hostcon_present(void);
/* Send n bytes as frames of `kind` (HOSTCON_STDOUT or HOSTCON_STDERR); waits
 * until the host has taken them. n, or -EIO if the device broke. */
long hostcon_write(int kind, const void *buf, size_t n);
/* stdin bytes: at most n, waiting for some unless nonblock. 0 at end of
 * file, -EAGAIN (nonblock, nothing yet), -EIO. */
long hostcon_read(void *buf, size_t n, int nonblock);
/* Would hostcon_read return at once (data or end of file)? */
int hostcon_readable(void);
/* fn() is called (interrupts off) when stdin input arrives: poll() wake-ups. */
void hostcon_on_input(void (*fn)(void));

#endif
