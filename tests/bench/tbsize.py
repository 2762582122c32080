#!/usr/bin/env python3
"""What a smaller TCG translation buffer (-accel tcg,tb-size=N) costs in speed: hello's start
-> exit and apps/bench/cpu.c's time, interleaved runs per size, medians (min-max). Decides
whether `skiff run` could take the density bench's tb-size. Writes build/bench/tbsize.json.
    tools/skiff bench tbsize [--runs 5] [--units 10] [--sizes default,1,4,32]"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from skiffpy.bench import build as bench_build  # noqa: E402
from skiffpy.cmdline import guest_cmdline  # noqa: E402
from skiffpy.memsize import MIB  # noqa: E402
from skiffpy.qemu import qemu_command  # noqa: E402

OUT = os.path.join(ROOT, "build", "bench")
CPU_RESULT = re.compile(rb"elapsed_ms=([0-9.]+)")


def argv(image, size, args):
    cmd = qemu_command(image, mem=16 * MIB, cmdline=guest_cmdline("", "app.elf", args),
                       out_path="/proc/self/fd/1", log_path="/dev/null")
    if size != "default":
        cmd[cmd.index("-accel") + 1] = f"tcg,tb-size={size}"
    return cmd


def one(image, size, args):
    t0 = time.monotonic()
    r = subprocess.run(argv(image, size, args), stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    wall = (time.monotonic() - t0) * 1000
    if r.returncode != 0 and b"skiff: exit 0" not in r.stdout and not r.stdout:
        raise RuntimeError(f"tb-size={size}: QEMU status {r.returncode}")
    found = CPU_RESULT.search(r.stdout)
    return wall, float(found.group(1)) if found else None


def cell(values):
    return (f"{statistics.median(values):,.1f} ({min(values):,.1f}–{max(values):,.1f})"
            if values else "n/a")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--units", type=int, default=10)
    ap.add_argument("--sizes", default="default,1,4,32")
    args = ap.parse_args()
    sizes = args.sizes.split(",")
    for s in sizes:
        if s != "default" and not (s.isdigit() and int(s) > 0):
            print(f"tbsize: bad size {s!r} (default or MiB)", file=sys.stderr)
            return 2
    work = os.path.join(OUT, "work")
    os.makedirs(work, exist_ok=True)
    hello = bench_build.skiff_image("hello", bench_build.resolve_app("hello")[1], work)
    cpu = bench_build.skiff_image("cpu", [bench_build.CPU_JOB], work)
    res = {s: {"hello_exit_ms": [], "cpu_job_ms": []} for s in sizes}
    for _ in range(args.runs):
        for s in sizes:
            res[s]["hello_exit_ms"].append(one(hello, s, [])[0])
            res[s]["cpu_job_ms"].append(one(cpu, s, [str(args.units)])[1])
    print(f"| tb-size (MiB) | hello start → exit (ms) | CPU job, {args.units} units (ms) |")
    print("|---|---|---|")
    for s in sizes:
        print(f"| {s} | {cell(res[s]['hello_exit_ms'])} | {cell(res[s]['cpu_job_ms'])} |")
    print(f"\n{args.runs} interleaved runs each, median (min–max); load average "
          f"{os.getloadavg()[0]:.1f} at the end")
    with open(os.path.join(OUT, "tbsize.json"), "w") as f:
        json.dump({"runs": args.runs, "units": args.units, "results": res}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
