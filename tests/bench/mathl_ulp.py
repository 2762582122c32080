#!/usr/bin/env python3
"""Long-double accuracy figures: the worst error, in ulps, of skiff's *l functions on pseudo-random inputs, next to glibc's.

    tools/skiff bench mathl-ulp [-n N]     # N inputs per function and range (default 2000)

The guest (tests/bench/mathl_ulp/guest.c) computes each function in a skiff image and
prints input and result in %La; the host side (ref.c, built with libquadmath) checks each
result against the 113-bit __float128 function and also runs glibc's own long-double
function on the same input. Prints a Markdown table, writes build/bench/mathl_ulp.md.
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "tests", "bench", "mathl_ulp")
OUT = os.path.join(ROOT, "build", "bench")
SKIFF = os.path.join(ROOT, "tools", "skiff")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=2000, help="inputs per function and range")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    guest, ref = os.path.join(OUT, "mathl_ulp.elf"), os.path.join(OUT, "mathl_ulp_ref")
    subprocess.run([SKIFF, "build", "-q", os.path.join(HERE, "guest.c"), "-o", guest], check=True)
    subprocess.run(["gcc", "-O2", "-Wall", "-Werror", "-o", ref, os.path.join(HERE, "ref.c"),
                    "-lquadmath", "-lm"], check=True)
    run = subprocess.run([SKIFF, "run", guest, "--quiet", "--timeout", "600", "--", str(args.n)],
                         capture_output=True, timeout=700)
    if run.returncode != 0:
        sys.exit(f"mathl_ulp: the guest failed ({run.returncode}): {run.stderr.decode()[-500:]}")
    rows = subprocess.run([ref], input=run.stdout, capture_output=True, check=True).stdout.decode()
    rows = rows.replace("L,", ",").replace("L]", "]")
    lines = run.stdout.count(b"\n")
    short = [r for r in rows.splitlines() if r.split("|")[2].strip() != str(args.n)]
    if short:  # every row must have all its inputs: a lost line is a failure, not a figure
        sys.exit(f"mathl_ulp: the guest printed {lines} lines; rows short of {args.n} inputs:\n"
                 + "\n".join(short))
    cpu = ""
    with open("/proc/cpuinfo") as f:
        cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    table = (f"Worst error in ulps over {args.n} inputs per row: skiff's function in the guest "
             f"(QEMU's x87) vs glibc's on the host's x87 ({cpu}); "
             "reference: libquadmath.\n\n"
             "| function [range] | inputs | skiff | glibc |\n|---|---|---|---|\n" + rows)
    print(table, end="")
    with open(os.path.join(OUT, "mathl_ulp.md"), "w") as f:
        f.write(table)


if __name__ == "__main__":
    main()
