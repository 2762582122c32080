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
TUNSETOFFLOAD = 0x400454d0
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000


def open_tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    # A QEMU that used this persistent tap before left its offloads on (checksum, TSO):
    # without a vnet header the kernel would hand us frames with partial checksums and
    # 64 KiB TCP segments. Off: every frame complete and at most the MTU.
    fcntl.ioctl(fd, TUNSETOFFLOAD, 0)
    os.set_blocking(fd, False)
    return fd


def summary(frame):
    """One line about a frame for --log: ARP op, or IPv4 addresses and TCP flags/seq/ack/len."""
    if len(frame) < 14:
        return "runt"
    kind = struct.unpack("!H", frame[12:14])[0]
    if kind == 0x0806 and len(frame) >= 42:
        op = struct.unpack("!H", frame[20:22])[0]
        return f"arp {'who-has' if op == 1 else 'is-at'} {socket.inet_ntoa(frame[38:42])}"
    if kind != 0x0800 or len(frame) < 34:
        return f"ethertype {kind:#06x}"
    ihl, proto = (frame[14] & 15) * 4, frame[23]
    src, dst = socket.inet_ntoa(frame[26:30]), socket.inet_ntoa(frame[30:34])
    total = struct.unpack("!H", frame[16:18])[0]
    if proto != 6 or len(frame) < 14 + ihl + 20:
        return f"ip {src} > {dst} proto {proto}"
    t = 14 + ihl
    sport, dport, seq, ack = struct.unpack("!HHII", frame[t:t + 12])
    off, flags = frame[t + 12] >> 4, frame[t + 13]
    names = "".join(n for bit, n in zip((1, 2, 4, 8, 16), "FSRPA") if flags & bit)
    return (f"tcp {src}:{sport} > {dst}:{dport} {names} seq {seq} ack {ack} "
            f"len {total - ihl - off * 4}")


class Direction:
    """One way through the relay: its own impairments and counters."""

    def __init__(self, name, send, rng, args, log=None):
        self.name, self.send, self.rng, self.args, self.log = name, send, rng, args, log
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
        if self.log:
            action = ("drop" if r < a.loss else "dup" if r < a.loss + a.dup else
                      "hold" if r < a.loss + a.dup + a.reorder and self.held is None else "pass")
            self.log.write(f"{time.monotonic():.4f} {self.name} {action} {summary(frame)}\n")
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
    ap.add_argument("--log", help="write one line per frame (what was done to it) to this file")
    args = ap.parse_args()
    if not 0 <= args.loss + args.reorder + args.dup <= 1:
        ap.error("--loss + --reorder + --dup must lie in [0, 1]")

    tap = open_tap(args.tap)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", args.listen))
    udp.setblocking(False)
    qemu = ("127.0.0.1", args.qemu)
    rng = random.Random(args.seed)
    log = open(args.log, "w", buffering=1 << 16) if args.log else None
    to_guest = Direction("to_guest", lambda f: udp.sendto(f, qemu), rng, args, log)
    to_host = Direction("to_host", lambda f: os.write(tap, f), rng, args, log)
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
    if log:
        log.close()
    print(json.dumps({d.name: d.counts for d in (to_guest, to_host)}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
