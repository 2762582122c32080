#!/usr/bin/env python3
"""SMP figures (issue 17): the bench's CPU job split over 2 threads, at 1 and 2 vCPUs, skiff vs a Linux VM.

skiff: apps/bench/cpu_par.c through `skiff run --cpus 1` and `--cpus 2` (2 vCPUs run under
`-accel tcg,thread=multi`). Linux VM: the same source built static for Linux, as /app of
the bench's initramfs (tools/skiffpy/bench/linuxvm.py), on the same QEMU command line with
`-smp 1` / `-smp 2` and the same accelerator options. The figure is the program's own
elapsed time (CLOCK_MONOTONIC around the threads' work: boot is not in it), the median of
--runs interleaved rounds, and the speed-up 1 vCPU / 2 vCPUs. Every run must print the same result.
Prints a Markdown table and writes build/bench/smp.json. Figures, not asserts: the host has
2 cores shared with other work, so a noisy figure is expected; the table says the load."""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from skiffpy.bench import build as bench_build  # noqa: E402
from skiffpy.bench import host as bench_host  # noqa: E402
from skiffpy.bench.linuxvm import LinuxVM  # noqa: E402
from skiffpy.qemu import accel_args  # noqa: E402

SKIFF = os.path.join(ROOT, "tools", "skiff")
OUT_DIR = os.path.join(ROOT, "build", "bench")
SOURCE = os.path.join(ROOT, "apps", "bench", "cpu_par.c")
RESULT = re.compile(r"cpu_par: threads=\d+ units=\d+ result=([0-9a-f]+) elapsed_ms=([0-9.]+)")
ENV = dict(os.environ, SKIFF_ACCEL=os.environ.get("SKIFF_ACCEL", "tcg"))
THREADS = 2


class Prog:
    """What LinuxVM.prepare/argv read from a bench program."""
    def __init__(self, linux_bin, args):
        self.name, self.linux_bin, self.files, self.args = "cpu_par", linux_bin, None, args
        self.marker = "cpu_par:"


def parse(text, what):
    found = RESULT.search(text)
    if not found:
        raise SystemExit(f"bench smp: {what}: no cpu_par line in its output:\n{text[-2000:]}")
    return found.group(1), float(found.group(2))


def run_skiff(image, cpus, args):
    p = subprocess.run([SKIFF, "run", "--quiet", "--cpus", str(cpus), image, "--", *args],
                       capture_output=True, text=True, env=ENV, timeout=900)
    return parse(p.stdout, f"skiff --cpus {cpus} (status {p.returncode})")


def run_linux(vm, prog, cpus):
    argv = vm.argv(prog, 256 << 20)
    i = argv.index("-accel")
    argv[i:i + 2] = accel_args(vm.accel, cpus)
    if cpus == 1:
        argv += ["-smp", "1"]
    p = subprocess.run(argv, capture_output=True, timeout=900, stdin=subprocess.DEVNULL)
    return parse(p.stdout.decode(errors="replace"), f"Linux VM -smp {cpus} (status {p.returncode})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=16, help="work units in all (default 16)")
    ap.add_argument("--runs", type=int, default=3, help="runs per configuration (median)")
    ap.add_argument("--quick", action="store_true", help="6 units, 1 run")
    ap.add_argument("--no-linux", action="store_true", help="skiff only")
    opts = ap.parse_args()
    if opts.quick:
        opts.units, opts.runs = 6, 1
    os.makedirs(OUT_DIR, exist_ok=True)
    args = [str(THREADS), str(opts.units)]
    image = os.path.join(OUT_DIR, "cpu_par.elf")
    subprocess.run([SKIFF, "build", SOURCE, "-o", image], check=True, capture_output=True)
    vm = prog = None
    if not opts.no_linux:
        linux_bin = os.path.join(OUT_DIR, "cpu_par-linux")
        subprocess.run(["gcc", "-O2", "-static", "-pthread", "-o", linux_bin, SOURCE], check=True)
        init = bench_build.helper("init", OUT_DIR)
        vm = LinuxVM(ENV["SKIFF_ACCEL"], bench_host.tsc_khz(), OUT_DIR, init)
        if vm.unavailable:
            print(f"Linux VM unavailable: {vm.unavailable}", file=sys.stderr)
            vm = None
        else:
            prog = Prog(linux_bin, args)
            vm.prepare(prog, OUT_DIR)
    # Rounds in which every configuration takes a turn (A B C D A B C D ...), so load
    # from other work on the host hits them alike.
    configs = [("skiff", 1), ("skiff", 2)] + ([("linux", 1), ("linux", 2)] if vm else [])
    times, results = {c: [] for c in configs}, set()
    for _ in range(opts.runs):
        for who, cpus in configs:
            res, ms = run_skiff(image, cpus, args) if who == "skiff" else run_linux(vm, prog, cpus)
            results.add(res)
            times[(who, cpus)].append(ms)
    rows = {c: statistics.median(t) for c, t in times.items()}
    if len(results) != 1:
        raise SystemExit(f"bench smp: runs disagree on the result: {sorted(results)}")
    load = os.getloadavg()[0]
    print(f"CPU job ({opts.units} units, {THREADS} threads), in-guest ms, median of {opts.runs} "
          "interleaved rounds; "
          f"TCG thread=multi at 2 vCPUs; host {os.cpu_count()} cores, load {load:.1f}\n")
    print("| | 1 vCPU | 2 vCPUs | speed-up (medians) | speed-up (fastest runs) |")
    print("|---|---|---|---|---|")
    out = {"units": opts.units, "threads": THREADS, "runs": opts.runs, "load": load, "rows": {}}
    for who, label in (("skiff", "skiff --cpus N"), ("linux", "Linux VM -smp N")):
        if (who, 1) not in rows:
            continue
        one, two = rows[(who, 1)], rows[(who, 2)]
        best = min(times[(who, 1)]) / min(times[(who, 2)])
        print(f"| {label} | {one:.0f} ms | {two:.0f} ms | {one / two:.2f}x | {best:.2f}x |")
        out["rows"][who] = {"1": one, "2": two, "speedup": one / two,
                            "runs_1": times[(who, 1)], "runs_2": times[(who, 2)]}
    with open(os.path.join(OUT_DIR, "smp.json"), "w") as f:
        json.dump(out, f, indent=1)
    print("\nraw results: build/bench/smp.json")


if __name__ == "__main__":
    main()
