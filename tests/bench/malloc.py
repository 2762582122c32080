#!/usr/bin/env python3
"""malloc/free microbenchmark: ns per call (in-guest clock) for tests/bench/malloc_micro
(N mixed-size blocks: allocate, free half in random order, churn, free the rest) on
skiff, optionally another skiff image (--baseline, e.g. linked with newlib's allocator),
and the same program built for the host (glibc malloc) for reference.

Prints a Markdown table and writes build/bench/malloc.json. Figures, not asserts.
    tools/skiff bench malloc [-n 100000] [--rounds 3] [--baseline LABEL=IMAGE]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.path.join(ROOT, "tools", "skiff")
SRC = os.path.join(ROOT, "tests", "bench", "malloc_micro", "main.c")
OUT = os.path.join(ROOT, "build", "bench")
WORK = os.path.join(OUT, "malloc")
FIELDS = ("malloc_ns", "free_half_ns", "churn_ns", "free_all_ns")
LINE = re.compile(r"malloc_micro n=\d+ " + " ".join(rf"{f}=([0-9.]+)" for f in FIELDS))


def run(cmd, timeout):
    return subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout)


def figures(cmd):
    r = run(cmd, timeout=1800)
    m = LINE.search(r.stdout)
    if r.returncode != 0 or not m:
        raise RuntimeError(f"{os.path.basename(cmd[0])} failed ({r.returncode}): "
                           f"{(r.stdout + r.stderr)[-300:]}")
    return dict(zip(FIELDS, map(float, m.groups())))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=100000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--baseline", action="append", default=[], metavar="LABEL=IMAGE")
    args = ap.parse_args()
    if args.n < 2 or args.rounds < 1:
        sys.exit("bench-malloc: -n must be at least 2, --rounds at least 1")
    os.makedirs(WORK, exist_ok=True)
    elf = os.path.join(WORK, "malloc_micro.elf")
    r = run([SKIFF, "build", "-q", SRC, "-o", elf], timeout=600)
    if r.returncode != 0:
        sys.exit(f"bench-malloc: skiff build failed: {r.stderr[-1000:]}")
    native = os.path.join(WORK, "malloc_micro.host")
    r = run(["gcc", "-O2", "-o", native, SRC], timeout=120)
    if r.returncode != 0:
        sys.exit(f"bench-malloc: gcc failed: {r.stderr[-1000:]}")
    variants = {"skiff": [SKIFF, "run", "--mem", "256M", elf, "--", str(args.n)]}
    for b in args.baseline:
        label, sep, path = b.partition("=")
        if not sep or not os.path.isfile(path):
            sys.exit(f"bench-malloc: --baseline {b}: want LABEL=IMAGE, an existing file")
        variants[label] = [SKIFF, "run", "--mem", "256M", os.path.abspath(path), "--", str(args.n)]
    variants["host process (glibc)"] = [native, str(args.n)]

    got = {k: {f: [] for f in FIELDS} for k in variants}
    for rnd in range(args.rounds):
        for k, cmd in variants.items():
            print(f"[bench-malloc] round {rnd + 1}/{args.rounds}: {k}", file=sys.stderr, flush=True)
            for f, v in figures(cmd).items():
                got[k][f].append(v)
    med = {k: {f: statistics.median(v) for f, v in d.items()} for k, d in got.items()}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "malloc.json"), "w") as f:
        json.dump({"n": args.n, "rounds": args.rounds, "ns_per_call": got, "median": med}, f,
                  indent=2)
    cols = list(variants)
    print(f"| ns per call, n={args.n:,} (median of {args.rounds}) | " + " | ".join(cols) + " |")
    print("|---|" + "---|" * len(cols))
    names = {"malloc_ns": "malloc, heap growing", "free_half_ns": "free every other block, random order",
             "churn_ns": "free + malloc (other size), random order", "free_all_ns": "free the rest"}
    for f in FIELDS:
        print(f"| {names[f]} | " + " | ".join(f"{med[k][f]:,.0f}" for k in cols) + " |")
    print()
    print("- skiff under QEMU microvm (TCG unless SKIFF_ACCEL says otherwise), in-guest "
          "CLOCK_MONOTONIC; the host process is native, for reference only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
