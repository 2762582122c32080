#!/usr/bin/env python3
"""Console figures (issue 13 item 9): 10 MB of app stdout to a file and through a pipe, 10 MB
of stdin, and how soon `| head -c 100` stops the VM.

Prints a Markdown table and writes build/bench/console.json. Figures, not asserts: each
transfer time is the median wall time of `skiff run` minus the median of the same image
writing nothing (boot and exit), over interleaved runs.
"""
import os
import platform
import subprocess
import tempfile
import time
from skiffpy.bench.progress import progress
from skiffpy.bench.stats import NO_SAMPLES, median_range, without_n
from skiffpy.bench.suite import arguments, save_json

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.path.join(ROOT, "tools", "skiff")
BUILD = os.path.join(ROOT, "build")
SOURCE = os.path.join(ROOT, "tests", "cli", "guest", "console_app.c")
IMAGE = os.path.join(BUILD, "bench", "console_app.elf")
ENV = dict(os.environ, SKIFF_ACCEL=os.environ.get("SKIFF_ACCEL", "tcg"))
MB10 = 10_000_000


def timed(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL):
    """Wall seconds of one `skiff run IMAGE -- args`, and its status."""
    t0 = time.perf_counter()
    p = subprocess.run([SKIFF, "run", IMAGE, "--", *args], env=ENV, stdin=stdin, stdout=stdout,
                       stderr=subprocess.DEVNULL, timeout=600)
    return time.perf_counter() - t0, p.returncode


def to_file(tmp):
    with open(os.path.join(tmp, "out"), "wb") as f:
        secs, rc = timed(["volume", str(MB10)], stdout=f)
    return secs, rc == 0 and os.path.getsize(os.path.join(tmp, "out")) == MB10


def through_pipe(_tmp):
    t0 = time.perf_counter()
    p = subprocess.Popen([SKIFF, "run", IMAGE, "--", "volume", str(MB10)], env=ENV,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    n = 0
    while True:
        chunk = p.stdout.read(1 << 16)
        if not chunk:
            break
        n += len(chunk)
    p.wait()
    return time.perf_counter() - t0, p.returncode == 0 and n == MB10


def stdin_file(tmp):
    path = os.path.join(tmp, "in")
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(b"y" * MB10)
    with open(path, "rb") as f:
        secs, rc = timed(["cat"], stdin=f)
    return secs, rc == 0


def head_closes(_tmp):
    t0 = time.perf_counter()
    p = subprocess.Popen([SKIFF, "run", IMAGE, "--", "volume", "100000000000"], env=ENV,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    p.stdout.read(100)
    p.stdout.close()
    p.wait(timeout=600)
    return time.perf_counter() - t0, p.returncode == 141


def baseline(_tmp):
    secs, rc = timed(["volume", "0"])
    return secs, rc == 0


CASES = [
    ("baseline", "boot, write nothing, exit", baseline),
    ("file", "10 MB stdout to a file", to_file),
    ("pipe", "10 MB stdout through a pipe", through_pipe),
    ("stdin", "10 MB stdin from a file (app copies it to /dev/null)", stdin_file),
    ("head", "`| head -c 100` of endless stdout: exit 141", head_closes),
]


def main():
    args = arguments(__doc__, 7, "console.json").parse_args()

    progress("building the console test guest")
    os.makedirs(os.path.dirname(IMAGE), exist_ok=True)
    subprocess.run([SKIFF, "build", SOURCE, "-o", IMAGE, "-q"], check=True, env=ENV)
    times = {name: [] for name, _, _ in CASES}
    failures = {name: 0 for name, _, _ in CASES}
    progress(f"{args.runs} interleaved runs of {len(CASES)} cases")
    with tempfile.TemporaryDirectory(prefix="skiff-bench-console-") as tmp:
        for _ in range(args.runs):
            for name, _, fn in CASES:
                secs, ok = fn(tmp)
                if ok:
                    times[name].append(secs)
                else:
                    failures[name] += 1

    def med(name):
        return tuple(without_n(median_range(times[name]) or NO_SAMPLES).values())

    base = med("baseline")[0]
    results = {"runs": args.runs, "accel": ENV["SKIFF_ACCEL"],
               "qemu": subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                                      text=True).stdout.splitlines()[0],
               "cpu": platform.processor() or platform.machine(), "cases": {}}
    print(f"skiff console figures — accel {ENV['SKIFF_ACCEL']}, {args.runs} runs "
          "(median, min–max); transfer = wall − baseline wall\n")
    print("| case | wall s | transfer s | MB/s | failed runs |")
    print("|---|---|---|---|---|")
    for name, label, _ in CASES:
        m, lo, hi = med(name)
        transfer = m - base if name in ("file", "pipe", "stdin") else None
        rate = MB10 / 1e6 / transfer if transfer and transfer > 0 else None
        results["cases"][name] = {"label": label, "wall_s": {"median": m, "min": lo, "max": hi},
                                  "transfer_s": transfer, "mb_per_s": rate,
                                  "failed_runs": failures[name]}
        print(f"| {label} | {m:.2f} ({lo:.2f}–{hi:.2f}) | "
              f"{'' if transfer is None else f'{transfer:.2f}'} | "
              f"{'' if rate is None else f'{rate:.0f}'} | {failures[name]} |")
    print("\ngoal: 10 MB of stdout in ≤ 1 s under TCG (before the console link: 24 s to a "
          "file, 40 s through a pipe)")
    shown = save_json(args.out, results)
    print(f"raw results: {shown}")


if __name__ == "__main__":
    main()
