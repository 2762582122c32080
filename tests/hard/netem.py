#!/usr/bin/env python3
"""A userspace netem: moves Ethernet frames between a tap device and QEMU's UDP netdev, losing,
reordering and duplicating them with a seeded RNG (the host kernel here has no sch_netem).

Run inside the test's network namespace (it opens the tap by name through /dev/net/tun):
    netem.py --tap tap0 --listen 40001 --qemu 40002 --loss 0.05 --reorder 0.05 --dup 0.02 --seed 1
`skiff run IMAGE --net udp:40002:40001` is the guest's side. Each direction is treated alike:
a frame is dropped with probability --loss; else duplicated with --dup; else, with --reorder,
held back and sent after the next frame in the same direction (or after --hold-ms, whichever
comes first). Prints "netem: ready" once both ends are open, and on SIGTERM/SIGINT one JSON
line of counters per direction.
"""
import argparse
import fcntl
import json
import os
import random
import select
import signal
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454ca
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000


def open_tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    os.set_blocking(fd, False)
    return fd


class Direction:
    """One way through the relay: its own impairments and counters."""

    def __init__(self, name, send, rng, args):
        self.name, self.send, self.rng, self.args = name, send, rng, args
        self.held = None          # (deadline, frame) of a frame being reordered
        self.counts = dict(frames=0, sent=0, dropped=0, duplicated=0, reordered=0, send_errors=0)

    def _out(self, frame):
        try:
            self.send(frame)
            self.counts["sent"] += 1
        except OSError:           # the tap is down (EIO), or a full queue: the frame is lost
            self.counts["send_errors"] += 1

    def frame(self, frame):
        c, a, r = self.counts, self.args, self.rng.random()
        c["frames"] += 1
        if r < a.loss:
            c["dropped"] += 1
            return
        if r < a.loss + a.dup:
            c["duplicated"] += 1
            self._out(frame)
            self._out(frame)
        elif r < a.loss + a.dup + a.reorder and self.held is None:
            c["reordered"] += 1
            self.held = (time.monotonic() + a.hold_ms / 1000, frame)
            return
        else:
            self._out(frame)
        self.flush(force=True)

    def flush(self, force=False):
        if self.held and (force or time.monotonic() >= self.held[0]):
            frame, self.held = self.held[1], None
            self._out(frame)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tap", required=True)
    ap.add_argument("--listen", type=int, required=True, help="our UDP port on 127.0.0.1")
    ap.add_argument("--qemu", type=int, required=True, help="QEMU's UDP port on 127.0.0.1")
    ap.add_argument("--loss", type=float, default=0.0)
    ap.add_argument("--reorder", type=float, default=0.0)
    ap.add_argument("--dup", type=float, default=0.0)
    ap.add_argument("--hold-ms", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not 0 <= args.loss + args.reorder + args.dup <= 1:
        ap.error("--loss + --reorder + --dup must lie in [0, 1]")

    tap = open_tap(args.tap)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", args.listen))
    udp.setblocking(False)
    qemu = ("127.0.0.1", args.qemu)
    rng = random.Random(args.seed)
    to_guest = Direction("to_guest", lambda f: udp.sendto(f, qemu), rng, args)
    to_host = Direction("to_host", lambda f: os.write(tap, f), rng, args)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    print("netem: ready", flush=True)
    while not stop:
        try:
            ready, _, _ = select.select([tap, udp], [], [], args.hold_ms / 1000)
        except InterruptedError:
            continue
        if tap in ready:
            for _ in range(64):
                try:
                    to_guest.frame(os.read(tap, 65536))
                except (BlockingIOError, InterruptedError):
                    break
                except OSError:    # the tap went down under us
                    break
        if udp in ready:
            for _ in range(64):
                try:
                    to_host.frame(udp.recv(65536))
                except (BlockingIOError, InterruptedError):
                    break
                except OSError:    # ICMP port unreachable from QEMU's side (not up yet)
                    break
        to_guest.flush()
        to_host.flush()
    print(json.dumps({d.name: d.counts for d in (to_guest, to_host)}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
