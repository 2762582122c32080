#!/usr/bin/env python3
"""FLUSHDB figures: the time Redis takes to FLUSHDB N keys (freeing them all: malloc's free
path), skiff against the same Redis sources in a Linux VM (same QEMU, accelerator and
memory; tests/bench/redis.py's variants) and as a host process. Keys go in by pipelined
SETs; FLUSHDB is timed from sending it to its +OK on the host side. A second skiff image
(--baseline, e.g. one linked with newlib's allocator) can run beside them.

Prints a Markdown table and writes build/bench/redis_flush.json. Figures, not asserts.
    tools/skiff bench redis-flush [--keys 100000] [--rounds 3] [--no-linux-vm]
                                       [--elf IMAGE] [--baseline LABEL=IMAGE]
"""
import argparse
import importlib.util
import json
import os
import random
import socket
import statistics
import sys
import time

from skiffpy.bench.suite import print_notes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "build", "bench")
FLUSH_TIMEOUT_S = 900
BATCH = 1000
MAX_VALUE = 512


def load_redis_bench():
    """tests/bench/redis.py as a module (its name would clash with a redis package)."""
    spec = importlib.util.spec_from_file_location("skiff_bench_redis",
                                                  os.path.join(ROOT, "tests", "bench", "redis.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def resp(*words):
    out = [b"*%d\r\n" % len(words)]
    for w in words:
        w = w if isinstance(w, bytes) else str(w).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(w), w))
    return b"".join(out)


class Conn:
    """A bare RESP client: enough for SET, DBSIZE and FLUSHDB replies."""

    def __init__(self, port, timeout):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise RuntimeError("connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def call(self, *words):
        self.s.sendall(resp(*words))
        return self.line()

    def close(self):
        self.s.close()


def fill(c, keys):
    """keys SETs of key:N, N in a fixed shuffled order, values of 1..MAX_VALUE bytes."""
    rng = random.Random(1)
    order = list(range(keys))
    rng.shuffle(order)
    for base in range(0, keys, BATCH):
        n = min(BATCH, keys - base)
        c.s.sendall(b"".join(resp(b"SET", b"key:%d" % order[base + i],
                                  b"v" * rng.randint(1, MAX_VALUE)) for i in range(n)))
        for _ in range(n):
            if c.line() != b"+OK":
                raise RuntimeError("SET failed")


def one_round(mod, variants, key, keys, progress):
    port = mod.netutil.free_port()
    with variants.start(key, port):
        mod.ping_until_up(port)
        c = Conn(port, FLUSH_TIMEOUT_S)
        try:
            t0 = time.monotonic()
            fill(c, keys)
            fill_s = time.monotonic() - t0
            if c.call(b"DBSIZE") != b":%d" % keys:
                raise RuntimeError("DBSIZE after the SETs is wrong")
            t0 = time.monotonic()
            if c.call(b"FLUSHDB") != b"+OK":
                raise RuntimeError("FLUSHDB failed")
            flush_s = time.monotonic() - t0
            if c.call(b"DBSIZE") != b":0":
                raise RuntimeError("keys left after FLUSHDB")
        finally:
            c.close()
    progress(f"  {key}: {keys} SETs {fill_s:.2f} s, FLUSHDB {flush_s:.3f} s")
    return fill_s, flush_s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keys", type=int, default=100000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-linux-vm", action="store_true")
    ap.add_argument("--elf", help="skiff image (default: built by apps/redis/recipe.py)")
    ap.add_argument("--baseline", action="append", default=[], metavar="LABEL=IMAGE",
                    help="another skiff Redis image to time beside it (one round)")
    args = ap.parse_args()
    if args.keys < 1 or args.rounds < 1:
        sys.exit("bench-redis-flush: --keys and --rounds must be at least 1")
    baselines = []
    for b in args.baseline:
        label, sep, path = b.partition("=")
        if not sep or not os.path.isfile(path):
            sys.exit(f"bench-redis-flush: --baseline {b}: want LABEL=IMAGE, an existing file")
        baselines.append((label, os.path.abspath(path)))

    mod = load_redis_bench()
    progress = lambda m: print(f"[bench-redis-flush] {m}", file=sys.stderr, flush=True)  # noqa: E731
    os.makedirs(mod.WORK, exist_ok=True)
    elf = os.path.abspath(args.elf) if args.elf else mod.skiff_image()
    linux_bin = mod.linux_binary()
    accel = mod.skiff_accel.choose(quiet=True)
    variants = mod.Variants(elf, linux_bin, accel, mod.tsc_khz(), not args.no_linux_vm)
    keys = variants.keys()
    start = variants.start

    def start_any(key, port):
        for label, path in baselines:
            if key == label:
                variants.elf, saved = path, variants.elf
                try:
                    return start("skiff", port)
                finally:
                    variants.elf = saved
        return start(key, port)
    variants.start = start_any

    times = {k: {"fill_s": [], "flush_s": []} for k in keys + [b[0] for b in baselines]}
    errors = []
    for rnd in range(1, args.rounds + 1):
        for key in keys + ([b[0] for b in baselines] if rnd == 1 else []):
            progress(f"round {rnd}/{args.rounds}: {key}")
            try:
                fill_s, flush_s = one_round(mod, variants, key, args.keys, progress)
                times[key]["fill_s"].append(fill_s)
                times[key]["flush_s"].append(flush_s)
            except Exception as e:  # noqa: BLE001 - one failed round is reported, not fatal
                errors.append(f"round {rnd} {key}: {e}")
                progress(f"  failed: {e}")

    med = {k: statistics.median(v["flush_s"]) if v["flush_s"] else None for k, v in times.items()}
    ratio = med["skiff"] / med["linux_vm"] if med.get("linux_vm") and med.get("skiff") else None
    results = {"keys": args.keys, "value_bytes": f"1..{MAX_VALUE}", "rounds": args.rounds,
               "times": times, "flush_median_s": med, "ratio_skiff_over_linux_vm": ratio,
               "accelerator": "TCG for every VM" if accel != "kvm" else "KVM",
               "guest_memory_mib": mod.MEM_MIB, "cpu": mod.cpu_model(), "errors": errors}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "redis_flush.json"), "w") as f:
        json.dump(results, f, indent=2)

    labels = {"skiff": "skiff (microvm, TCG)", "linux_vm": "Linux VM (microvm, TCG)",
              "process": "host process"}
    cols = keys + [b[0] for b in baselines]

    def cell(v):
        if not v:
            return "—"
        return f"{statistics.median(v):.3f} s ({min(v):.3f}–{max(v):.3f})"

    print(f"| figure | {' | '.join(labels.get(k, k) for k in cols)} |")
    print("|---|" + "---|" * len(cols))
    extra = f" (skiff/Linux VM {ratio:.2f}×)" if ratio else ""
    print(f"| FLUSHDB of {args.keys:,} keys{extra} | "
          + " | ".join(cell(times[k]["flush_s"]) for k in cols) + " |")
    print(f"| {args.keys:,} pipelined SETs | " + " | ".join(cell(times[k]["fill_s"]) for k in cols) + " |")
    print()
    print_notes([f"{results['accelerator']}; QEMU microvm, {mod.MEM_MIB} MiB each; keys key:N, "
                 f"values of 1..{MAX_VALUE} bytes (fixed seed), keys in shuffled order, SETs "
                 f"{BATCH} per write; FLUSHDB timed on the host from send to +OK; {args.rounds} "
                 "rounds (baselines one), a fresh server each; median (min–max)"], errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
