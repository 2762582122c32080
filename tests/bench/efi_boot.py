#!/usr/bin/env python3
"""UEFI boot figures: hello as .efi and .img under OVMF, time from QEMU start to the app's first stdout byte.

Prints a Markdown table (median of N runs, TCG) and writes build/bench/efi_boot.json. QEMU
runs directly with the argv `skiff run` would use (tools/skiffpy/efirun.py), COM1 on a
pipe, so the clock starts at QEMU's spawn and stops at the first byte after the kernel's
start marker; the stub's banner time splits firmware from kernel. The PVH ELF on microvm
is the reference row.
"""
import json
import os
import platform
import selectors
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from skiffpy import efirun, qemu  # noqa: E402
from skiffpy.cmdline import guest_cmdline  # noqa: E402
from skiffpy.memsize import MIB  # noqa: E402
from skiffpy.bench.progress import progress
from skiffpy.bench.suite import arguments

SKIFF = os.path.join(ROOT, "tools", "skiff")
OUT = os.path.join(ROOT, "build", "bench", "efi")
HELLO_SRC = os.path.join(ROOT, "tests", "boot", "hello")
STUB_BANNER = b"skiff: UEFI stub loading kernel"
RUN_TIMEOUT = 120


def build(suffix):
    image = os.path.join(OUT, f"hello{suffix}")
    subprocess.run([sys.executable, SKIFF, "build", HELLO_SRC, "-o", image, "-q"], check=True)
    return image


def timed_boot(argv, efi):
    """(seconds to the stub banner or None, seconds to the first app byte, QEMU wall seconds)."""
    r, w = os.pipe()
    argv = [a.replace("@OUT@", f"/proc/self/fd/{w}") for a in argv]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, pass_fds=(w,))
    os.close(w)
    filt = efirun.FirmwareFilter() if efi else None
    seen, banner, first = b"", None, None
    sel = selectors.DefaultSelector()
    sel.register(r, selectors.EVENT_READ)
    deadline = start + RUN_TIMEOUT
    while time.perf_counter() < deadline:
        if not sel.select(deadline - time.perf_counter()):
            break
        chunk = os.read(r, 65536)
        if not chunk:
            break
        now = time.perf_counter() - start
        if filt is not None:
            seen += chunk
            if banner is None and STUB_BANNER in seen:
                banner = now
            chunk = filt.feed(chunk)
        if chunk and first is None:
            first = now
    sel.close()
    os.close(r)
    if proc.poll() is None and time.perf_counter() >= deadline:
        proc.kill()
    proc.wait()
    wall = time.perf_counter() - start
    if first is None:
        raise SystemExit(f"bench: no app output from: {' '.join(argv)}")
    return banner, first, wall


def argv_for(kind, image, tmp):
    common = dict(out_path="@OUT@", log_path="/dev/null")
    cmdline = guest_cmdline("", os.path.basename(image), [])
    if kind == "elf":
        return qemu.qemu_command(image, mem=64 * MIB, machine="microvm", accel="tcg",
                                 cmdline=cmdline, **common), False
    stage = os.path.join(tmp, kind)
    os.makedirs(stage, exist_ok=True)
    drive = (efirun.stage_img(stage, image, cmdline) if kind == "img"
             else efirun.stage_dir(stage, image, cmdline))
    return efirun.qemu_command(drive, mem=64 * MIB, machine="q35", accel_name="tcg",
                               firmware=efirun.OVMF, **common), True


def fmt(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "—"
    return f"{statistics.median(xs):.2f} s ({min(xs):.2f}–{max(xs):.2f})"


def main():
    args = arguments(__doc__, 3, "efi_boot.json", "runs per image").parse_args()

    os.makedirs(OUT, exist_ok=True)
    progress("building hello as .elf, .efi and .img")
    images = {kind: build("." + kind) for kind in ("elf", "efi", "img")}
    results = {}
    with tempfile.TemporaryDirectory(prefix="skiff-efi-bench-") as tmp:
        for kind, image in images.items():
            argv, efi = argv_for(kind, image, tmp)
            progress(f"{args.runs} boots of {os.path.basename(image)}")
            runs = [timed_boot(argv, efi) for _ in range(args.runs)]
            results[kind] = {
                "bytes": os.path.getsize(image),
                "to_stub_s": [b for b, _, _ in runs],
                "to_first_byte_s": [f for _, f, _ in runs],
                "qemu_wall_s": [w for _, _, w in runs],
            }
    qemu_version = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                                  text=True).stdout.splitlines()[0]
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump({"runs": args.runs, "accel": "tcg", "qemu": qemu_version,
                   "firmware": efirun.OVMF, "host_kernel": platform.release(),
                   "images": results}, f, indent=2)

    labels = {"elf": "hello.elf — PVH, microvm (reference)",
              "efi": "hello.efi — OVMF, q35, ESP directory",
              "img": "hello.img — OVMF, q35, GPT disk"}
    print(f"UEFI boot figures — TCG, {qemu_version}, {efirun.OVMF}, 64 MiB, "
          f"median (min–max) of {args.runs}\n")
    print("| image | size (bytes) | QEMU start → stub banner | QEMU start → first stdout byte "
          "| QEMU wall time |")
    print("|---|---|---|---|---|")
    for kind, r in results.items():
        print(f"| {labels[kind]} | {r['bytes']} | {fmt(r['to_stub_s'])} | "
              f"{fmt(r['to_first_byte_s'])} | {fmt(r['qemu_wall_s'])} |")
    print(f"\nraw results: {os.path.relpath(args.out, ROOT)}")


if __name__ == "__main__":
    main()
