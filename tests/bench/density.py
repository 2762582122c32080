#!/usr/bin/env python3
"""Density and boot rate (issue 15): idle apps/httpd instances as skiff VMs, Linux VMs and
runc containers, started in waves until host memory headroom, a time cap or --max; each
counts once it answers a GET. Prints a table, writes build/bench/density.json and a chart.
    tools/skiff bench density [--quick] [--max N] [--variants skiff,linux_vm,container]
Every process it starts is stopped before it exits (also on error and Ctrl-C)."""
import argparse
import os
import shlex
import signal
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from skiffpy.bench import density as bench_density  # noqa: E402
from skiffpy.common import CliError  # noqa: E402
from skiffpy.memsize import parse_mem  # noqa: E402

EXIT_USAGE = 2


def positive(text):
    try:
        value = float(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return value


def count(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def size_mib(text):
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a size in MiB (0 or more): {text!r}")
    return int(text)


def variants(text):
    names = [n for n in text.split(",") if n]
    bad = [n for n in names if n not in bench_density.VARIANTS]
    if bad or not names:
        raise argparse.ArgumentTypeError(
            f"unknown variant {bad[0] if bad else text!r} (choose from "
            f"{','.join(bench_density.VARIANTS)})")
    return names


def memory(text):
    try:
        return parse_mem(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="3 instances of each variant, short idle window (for tests)")
    ap.add_argument("--max", type=count, help="most instances per variant (default 400)")
    ap.add_argument("--linux-max", type=count, help="most Linux VMs (default 12: each takes "
                    "seconds of CPU to boot under TCG; density is per GiB)")
    ap.add_argument("--wave", type=count, help="instances started at once (default 25)")
    ap.add_argument("--time-cap", type=positive, metavar="S",
                    help="stop adding instances to a variant after S seconds (default 90)")
    ap.add_argument("--headroom", type=positive, default=4.0, metavar="GIB",
                    help="MemAvailable to leave free, GiB (default 4)")
    ap.add_argument("--tune-n", type=count, help="instances per tuning step (default 10)")
    ap.add_argument("--no-tune", action="store_true", help="skip the tuning table")
    ap.add_argument("--idle", type=positive, metavar="S",
                    help="seconds of idle CPU sampling (default 5)")
    ap.add_argument("--linux-mem", type=memory, default=bench_density.LINUX_MEM,
                    metavar="SIZE",
                    help="the Linux VM's memory (default 80M, the smallest that boots it)")
    ap.add_argument("--linux-tb", type=size_mib, default=bench_density.LINUX_TB_MIB,
                    metavar="MIB",
                    help="the Linux VM's TCG tb-size (default 32; 0: QEMU's, 1 GiB)")
    ap.add_argument("--linux-no-memfd", action="store_true",
                    help="the Linux VM's RAM as QEMU allocates it (default: from a memfd, "
                    "as the tuned skiff VM's)")
    ap.add_argument("--variants", type=variants, default=list(bench_density.VARIANTS))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench"), metavar="DIR")
    args = ap.parse_args()
    opts = bench_density.Options(
        quick=args.quick, out=args.out, variants=args.variants, max_n=args.max,
        linux_max=args.linux_max, wave=args.wave, time_cap_s=args.time_cap,
        headroom_gib=args.headroom, tune_n=args.tune_n, tune=not args.no_tune,
        idle_s=args.idle, linux_mem=args.linux_mem, linux_tb=args.linux_tb or None,
        linux_memfd=not args.linux_no_memfd)
    # SIGTERM and SIGHUP unwind like Ctrl-C: run_fleet's finally stops every instance
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.default_int_handler)
    command = "tools/skiff bench density " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    try:
        return bench_density.run(opts, command.strip())
    except CliError as err:
        sys.stderr.write(f"density: {err}\n")
        return err.status
    except KeyboardInterrupt:
        sys.stderr.write("density: interrupted; every instance was stopped\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
