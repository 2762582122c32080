#!/usr/bin/env python3
"""Boot figures (issue 2): hello's image size, smallest --mem, guest boot time, wall time vs a trivial kernel.

Prints a Markdown table and writes build/bench/boot.json. Figures, not asserts: the
machine is shared and noisy, so the wall-time comparison is a ratio of medians over
interleaved runs measured side by side in one go.
"""
import os
import platform
import re
import shlex
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.path.join(ROOT, "tools", "skiff")
BUILD = os.path.join(ROOT, "build")
HELLO = os.path.join(BUILD, "apps", "hello", "hello.elf")
TRIVIAL = os.path.join(BUILD, "bench", "trivial.elf")

from skiffpy.qemu import without_console_link  # noqa: E402
from skiffpy.bench.memsearch import smallest_of
from skiffpy.bench.progress import progress
from skiffpy.bench.stats import NO_SAMPLES, median_range, without_n
from skiffpy.bench.suite import arguments, save_json

ENV = dict(os.environ, SKIFF_ACCEL=os.environ.get("SKIFF_ACCEL", "tcg"))


def run(cmd, timeout=30):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=ENV)
    return p.returncode, p.stdout, p.stderr, time.perf_counter() - t0


def qemu_command(image, mem, log=os.devnull):
    rc, out, err, _ = run([SKIFF, "run", "--dry-run", "--mem", mem, image])
    if rc != 0:
        sys.exit(f"bench: skiff run --dry-run failed: {err.strip()}")
    return without_console_link(shlex.split(out.strip().splitlines()[-1]), log)


def boots_with(mem_mib):
    """Does hello print its line with exactly mem_mib MiB of guest RAM? (QEMU run directly,
    past skiff's own up-front check, so this measures the guest itself.)"""
    cmd = qemu_command(HELLO, "64M")
    i = cmd.index("-m")
    cmd[i + 1] = f"{mem_mib}M"
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=10)
    except subprocess.TimeoutExpired:
        return False
    return b"Hello from skiff" in p.stdout


def instructions_to_main():
    """Guest instructions from the first one to main(), counted by QEMU's -icount (one
    instruction = 1 ns of virtual time, the TSC follows it): the same on any host or
    accelerator, so it says what KVM would run without the cost of TCG's translation."""
    log = os.path.join(BUILD, "bench", "icount.log")
    cmd = qemu_command(HELLO, "64M", log)
    i = cmd.index("-accel")
    cmd[i + 1:i + 2] = ["tcg", "-icount", "shift=0,align=off,sleep=off"]
    cmd[cmd.index("-append") + 1] = "bootstat " + cmd[cmd.index("-append") + 1]
    os.makedirs(os.path.dirname(log), exist_ok=True)
    if os.path.exists(log):
        os.remove(log)  # QEMU appends: an old run's figure would be read first
    subprocess.run(cmd, capture_output=True, timeout=30)
    with open(log) as f:
        m = re.search(r"first-instruction-to-main (\d+) ns", f.read())
    return int(m.group(1)) if m else None


def main():
    args = arguments(__doc__, 15, "boot.json", "interleaved runs per variant").parse_args()

    progress("building hello and the trivial kernel")
    subprocess.run(["make", "-s", "-C", ROOT, "all"], check=True)
    subprocess.run([SKIFF, "build-trivial", TRIVIAL], check=True, stdout=subprocess.DEVNULL)

    size = os.path.getsize(HELLO)

    progress("finding the smallest --mem that boots hello")
    min_mem = smallest_of(boots_with, (1, 2, 3, 4, 6, 8, 16))[0]

    progress(f"{args.runs} runs with bootstat")
    boot_ns = []
    for _ in range(args.runs):
        rc, out, err, _ = run([SKIFF, "run", "--append", "bootstat", HELLO])
        m = re.search(r"first-instruction-to-main (\d+) ns", err)
        if rc == 0 and m:
            boot_ns.append(int(m.group(1)))

    progress("counting guest instructions to main under -icount")
    insns = instructions_to_main()

    progress(f"{args.runs} interleaved wall-time runs: hello vs trivial kernel (after a warm-up)")
    # Both kernels as bare QEMU commands (skiff run's own line for each, less the console
    # link, on the same QEMU binary): the guest's cost over the VMM floor. `skiff run
    # hello` as typed is timed beside them (the trivial kernel is no skiff image: skiff run
    # would hand it to its Python path, so the front ends would differ).
    bare = {"hello": qemu_command(HELLO, "64M"), "trivial": qemu_command(TRIVIAL, "64M")}
    for cmd in bare.values():
        run(cmd)
    run([SKIFF, "run", HELLO])
    wall = {"hello": [], "trivial": [], "cli": []}
    for _ in range(args.runs):
        for name, cmd in bare.items():
            rc, out, err, secs = run(cmd)
            if rc == 1:         # isa-debug-exit: status 0 -> 1
                wall[name].append(secs * 1000)
        rc, out, err, secs = run([SKIFF, "run", HELLO])
        if rc == 0:
            wall["cli"].append(secs * 1000)

    hello, trivial, cli = (median_range(wall[k]) for k in ("hello", "trivial", "cli"))
    boot = median_range([ns / 1000 for ns in boot_ns]) or NO_SAMPLES
    hello_ms, trivial_ms, cli_ms, boot_us = (tuple(without_n(c).values())
                                             for c in (hello, trivial, cli, boot))
    ratio = hello_ms[0] / trivial_ms[0]
    qemu_version = subprocess.run([bare["hello"][0], "--version"], capture_output=True,
                                  text=True).stdout.splitlines()[0]
    accel = ENV["SKIFF_ACCEL"]
    results = {
        "image_size_bytes": size,
        "min_mem_mib": min_mem,
        "guest_boot_us": without_n(boot),
        "guest_instructions_to_main": insns,
        "wall_ms_hello": without_n(hello),
        "wall_ms_trivial": without_n(trivial),
        "wall_ms_skiff_run_hello": without_n(cli),
        "qemu_binary": bare["hello"][0],
        "wall_ratio": ratio,
        "runs": args.runs,
        "accel": accel,
        "qemu": qemu_version,
        "cpu": platform.processor() or platform.machine(),
        "kernel": platform.release(),
    }
    shown = save_json(args.out, results)

    print(f"skiff boot figures — QEMU microvm ({bare['hello'][0]}), accel {accel}, {qemu_version}, host kernel "
          f"{platform.release()}, {args.runs} runs (median, min–max)\n")
    print("| figure | skiff | goal | Unikraft (published) |")
    print("|---|---|---|---|")
    print(f"| hello image size, stripped | {size / 1000:.1f} KB | ≤ 150 KB | 197 KB (LTO) |")
    print(f"| smallest --mem that boots hello | {min_mem} MiB | 2 MiB | 2 MB |")
    print(f"| guest first instruction → main | {boot_us[0]:.0f} µs ({boot_us[1]:.0f}–{boot_us[2]:.0f}) "
          f"| ≤ 50 µs | 54 µs (KVM) |")
    print(f"| guest instructions, first → main (QEMU -icount) | {insns:,} | | |")
    print(f"| hello wall time, bare QEMU | {hello_ms[0]:.1f} ms ({hello_ms[1]:.1f}–{hello_ms[2]:.1f}) | | |")
    print(f"| trivial kernel wall time, bare QEMU | {trivial_ms[0]:.1f} ms ({trivial_ms[1]:.1f}–{trivial_ms[2]:.1f}) | | |")
    print(f"| ratio hello / trivial | {ratio:.2f} | ≤ 1.15 | |")
    print(f"| `skiff run hello` wall time (as typed) | {cli_ms[0]:.1f} ms ({cli_ms[1]:.1f}–{cli_ms[2]:.1f}) | | |")
    print(f"\nraw results: {shown}")


if __name__ == "__main__":
    main()
