"""Host wall time for the guest clock: a second UART (COM2) whose every request byte is answered at once.

QEMU's RTC ticks at the host's rate but its seconds start when QEMU created it, so a guest
cannot learn the sub-second part of the host's time from it. skiff run therefore serves
its own clock on COM2 (0x2f8): the guest writes a request (0xa5 0x5a and a sequence byte)
and gets back 0x5a 0xa5, the sequence byte and the host's CLOCK_REALTIME in nanoseconds
(8 bytes, little-endian), written the moment the request is read. Anything else on the
line is ignored: UEFI firmware (OVMF) prints its console on every serial port, and an
answer to that would reach it as key presses. kernel/clock_host.c times the round trip with the
TSC, so the guest knows the host's time within the one-way delay and can discipline its
clock to it. A plain `qemu -kernel` boot has no COM2; the guest then keeps the RTC time."""
import socket
import struct
import threading
import time

IOBASE = 0x2f8
IRQ = 3
CHARDEV_ID = "skiffclk"
MAGIC = b"\xa5\x5a"
REPLY = b"\x5a\xa5"


class TimeService:
    """One socketpair: QEMU gets `fd` (pass it), a daemon thread answers on the other end."""

    def __init__(self):
        self._ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.fd = theirs.detach()
        self._thread = threading.Thread(target=self._serve, name="skiff-time", daemon=True)

    def qemu_args(self):
        return ["-chardev", f"socket,id={CHARDEV_ID},fd={self.fd}",
                "-device", f"isa-serial,chardev={CHARDEV_ID},iobase={IOBASE:#x},irq={IRQ}"]

    def start(self):
        self._thread.start()

    def _serve(self):
        sock, pending = self._ours, b""
        try:
            while True:
                chunk = sock.recv(4096)
                if not chunk:
                    return
                pending += chunk
                at = pending.rfind(MAGIC)
                if at < 0 or at + len(MAGIC) >= len(pending):
                    pending = pending[-(len(MAGIC) + 1):]   # a request may be cut in two
                    continue
                # Only the latest request matters (older ones timed out in the guest).
                seq = pending[at + len(MAGIC):at + len(MAGIC) + 1]
                pending = pending[at + len(MAGIC) + 1:]
                sock.sendall(REPLY + seq + struct.pack("<Q", time.time_ns()))
        except OSError:
            return
        finally:
            sock.close()
