#!/usr/bin/env python3
"""TLS figures (issue 13 item 10): what a context switch costs with and without thread-locals.

Two threads ping-pong with sched_yield; one image touches a __thread variable (so every
switch loads the FS base), the other a plain global. Each image runs under TCG (wall ns
per switch, median of interleaved runs: noisy on a shared machine) and under QEMU's
-icount (guest instructions per switch: the same on any host, what KVM would run).
Prints a Markdown table and writes build/bench/tls.json. Figures, not asserts.
"""
import os
import re
import shlex
import statistics
import subprocess
import sys
from skiffpy.bench.suite import arguments, save_json

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.path.join(ROOT, "tools", "skiff")
BUILD = os.path.join(ROOT, "build")
SRC = os.path.join(ROOT, "tests", "bench", "tls_switch")
ENV = dict(os.environ, SKIFF_ACCEL=os.environ.get("SKIFF_ACCEL", "tcg"))
VARIANTS = {"no thread-locals": [], "__thread touched": ["-D", "WITH_TLS"]}


def build(name, flags):
    out = os.path.join(BUILD, "bench", "tls", name, name + ".elf")
    subprocess.run([SKIFF, "build", SRC, "-o", out, "-q", *flags], check=True, env=ENV)
    return out


def switch_ns(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=ENV)
    m = re.search(r"switch_ns ([0-9.]+)", p.stdout)
    if not m:
        sys.exit(f"bench: no figure from {shlex.join(cmd)}:\n{p.stdout}{p.stderr}")
    return float(m.group(1))


def icount_command(image, rounds):
    """QEMU run directly with -icount shift=0: 1 ns of guest time = 1 instruction."""
    p = subprocess.run([SKIFF, "run", "--dry-run", image, "--", str(rounds)],
                       capture_output=True, text=True, env=ENV, check=True)
    cmd = shlex.split(p.stdout.strip().splitlines()[-1])
    i = cmd.index("-accel")
    cmd[i + 1:i + 2] = ["tcg", "-icount", "shift=0,align=off,sleep=off"]
    return cmd


def main():
    ap = arguments(__doc__, 7, "tls.json", "interleaved runs per variant")
    ap.add_argument("--rounds", type=int, default=50000, help="yield rounds per run (default 50000)")
    args = ap.parse_args()
    images = {v: build(f"tls_switch{i}", flags) for i, (v, flags) in enumerate(VARIANTS.items())}
    wall = {v: [] for v in VARIANTS}
    for _ in range(args.runs):
        for v, image in images.items():
            wall[v].append(switch_ns([SKIFF, "run", image, "--", str(args.rounds)]))
    insns = {v: switch_ns(icount_command(image, args.rounds)) for v, image in images.items()}
    results = {v: {"tcg_switch_ns_median": statistics.median(wall[v]), "tcg_switch_ns": wall[v],
                   "icount_insns_per_switch": insns[v]} for v in VARIANTS}
    print(f"context switch, two threads yielding, {args.rounds} rounds, {args.runs} runs (TCG)\n")
    print("| image | TCG ns per switch (median, min–max) | guest instructions per switch (-icount) |")
    print("|---|---|---|")
    for v in VARIANTS:
        w = wall[v]
        print(f"| {v} | {statistics.median(w):.0f} ({min(w):.0f}–{max(w):.0f}) | {insns[v]:.1f} |")
    shown = save_json(args.out, results)
    print(f"\nraw results: {shown}")


if __name__ == "__main__":
    main()
