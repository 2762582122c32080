"""`skiff bench [APP]`: the same C program as a skiff unikernel, a Linux VM, a container and a process, side by side."""
import argparse
import os
import shlex
import sys

from .common import BUILD, EXIT_USAGE, ROOT, CliError
from .memsize import describe, parse_mem

DEFAULT_RUNS, QUICK_RUNS = 7, 2
CPU_UNITS, QUICK_CPU_UNITS = 100, 10
DEFAULT_MEM = "128M"

DESCRIPTION = """\
Build APP (default hello: apps/hello; a program that prints and exits) as a skiff image
and, from the same sources, as a static Linux program; run it as
  skiff (microvm)    the QEMU command line `skiff run` builds, started directly
  skiff run (CLI)    the whole `tools/skiff run --quiet`, Python included
  Linux VM           Debian's cloud kernel + an initramfs whose /init runs the program,
                     on the same QEMU machine, accelerator, CPU model and memory
  container          an OCI bundle under runc (unshare namespaces where runc fails)
  process            the static program, directly
  VMM floor          a trivial kernel that prints hello and powers off
and report start -> first output, start -> exit, image size, smallest memory that boots,
peak RSS of the VMM / runtime, a CPU-bound job (apps/bench/cpu.c) in each, and network
figures where the network stack and apps/httpd exist. One warm-up, then N interleaved runs;
medians with min-max. Prints a Markdown table; writes results.json, results.csv and
bench.png (gnuplot) under --out. Missing pieces (runc, the kernel package) are fetched with
`tools/deps.sh bench`; a variant that still cannot run is marked unavailable."""


def add_parser(commands):
    p = commands.add_parser("bench", help="compare unikernel, Linux VM, container, process",
                            description=DESCRIPTION, usage="skiff bench [APP] [options]",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("app", nargs="?", default="hello", metavar="APP",
                   help="a .c file, a folder of them, or a name in apps/ or apps/bench/ "
                   "(default hello); `density`: how many idle httpd instances fit "
                   "(tests/bench/density.py has its options)")
    p.add_argument("--quick", action="store_true",
                   help=f"for CI: {QUICK_RUNS} runs, a {QUICK_CPU_UNITS}-unit CPU job, "
                   "coarser memory search, shorter network runs (under 3 min here)")
    p.add_argument("--runs", type=_positive_int, metavar="N",
                   help=f"interleaved runs per variant (default {DEFAULT_RUNS}, "
                   f"--quick {QUICK_RUNS})")
    p.add_argument("--mem", default=DEFAULT_MEM, metavar="SIZE",
                   help=f"guest memory of every VM for the timed runs (default {DEFAULT_MEM})")
    p.add_argument("--out", default=os.path.join(BUILD, "bench"), metavar="DIR",
                   help="where results.json, results.csv and the chart go (default build/bench)")
    p.set_defaults(func=main)


def _positive_int(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return int(text)


def main(args):
    try:
        mem = parse_mem(args.mem)
    except ValueError as err:
        raise CliError(f"--mem: {err}", EXIT_USAGE) from None
    if args.app == "density":           # the density suite: its own module and report
        from . import bench_density
        return bench_density.from_bench(args)
    runs = args.runs or (QUICK_RUNS if args.quick else DEFAULT_RUNS)
    out_dir = os.path.abspath(args.out)
    # Imported here, not at the top: every `skiff run` loads this module for its parser.
    from . import bench_chart, bench_net, bench_report
    from .bench_session import Session
    session = Session(args.app, args.quick, runs, mem, out_dir,
                      QUICK_CPU_UNITS if args.quick else CPU_UNITS)
    session.setup()
    session.startup()
    session.memory()
    session.cpu_job()
    bench_net.network(session)
    session.progress("writing the report")
    labels = {v.key: v.label for v in session.variants}
    command = "tools/skiff bench " + " ".join(shlex.quote(a) for a in sys.argv[2:])
    meta = {"command": command.strip(), "app": session.app.name, "runs": runs,
            "quick": args.quick, "mem": describe(mem), "cpu_units": int(session.cpu.args[0]),
            "host": session.host, "notes": _notes(session)}
    results = session.results
    chart, why = bench_chart.draw(results, labels, out_dir,
                                  f"skiff bench: {session.app.name}, {session.host['accel']}")
    meta["chart"] = _shown(chart) if chart else None
    if why:
        meta["notes"].append(f"no chart: {why}")
    bench_report.write_json(os.path.join(out_dir, "results.json"),
                            bench_report.as_json(results, labels, meta))
    bench_report.write_csv(os.path.join(out_dir, "results.csv"), results, labels)
    session.progress.done()
    sys.stdout.write(bench_report.markdown(results, labels, meta))
    rel = _shown(out_dir)
    sys.stdout.write(f"\nraw results: {rel}/results.json, {rel}/results.csv"
                     + (f"; chart: {meta['chart']}" if chart else "") + "\n")
    return 0


def _shown(path):
    """path relative to the repository when inside it, else as it is."""
    inside = os.path.commonpath([ROOT, path]) == ROOT
    return os.path.relpath(path, ROOT) if inside else path


def _notes(session):
    notes = list(session.notes)
    container = next(v for v in session.variants if v.key == "container")
    if container.runtime:
        used = f"container runtime: {container.runtime}"
        if container.fallback_reason:
            used += f" (runc did not work: {container.fallback_reason})"
        notes.append(used + "; its peak RSS is the runtime's (wait4 of runc: the larger of "
                     "runc and `runc init`) plus the app's own")
    linux = next(v for v in session.variants if v.key == "linux_vm")
    if linux.release:
        tsc = (" (tsc_early_khz is the host's TSC rate: under TCG Linux's PIT calibration "
               "sometimes fails and the boot hangs)"
               if session.host["accel"] == "tcg" and session.host["tsc_khz"] else "")
        notes.append(f"Linux VM: Debian {linux.release}, uncompressed initramfs with a static "
                     f"/init (apps/bench/linux/init.c) that runs /app, append "
                     f"`{linux.cmdline(session.app).split(' --')[0]}`{tsc}")
    notes.append("first output: arrival of the first bytes the program prints natively "
                 f"({session.app.marker.decode(errors='replace')!r}) on the VMM's or "
                 "runtime's stdout; times run from fork to wait4 in apps/bench/linux/measure.c")
    notes.append("skiff (microvm) and the Linux VM are timed as bare QEMU processes; "
                 "skiff run (CLI) adds the Python front end a user starts")
    notes.append(f"CPU job: apps/bench/cpu.c with {session.cpu.args[0]} units, the same "
                 "result checked in every variant")
    for key, reasons in session.results.failures.items():
        notes.append(f"{key}: {len(reasons)} run(s) left out: {reasons[0]}"
                     + (" ..." if len(reasons) > 1 else ""))
    return notes
