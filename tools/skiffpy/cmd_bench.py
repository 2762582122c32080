"""`skiff bench [APP]`: the same C program as a skiff unikernel, a Linux VM, a container and a process, side by side; `skiff bench SUITE [ARGS]`: one of the suites."""
import argparse
import os
import shlex
import sys

from .common import BUILD, EXIT_USAGE, ROOT, CliError
from .memsize import describe, parse_mem
from .qemu import qemu_for

DEFAULT_RUNS, QUICK_RUNS = 7, 2
CPU_UNITS, QUICK_CPU_UNITS = 100, 10
# stream: MiB per array, rounds; dgemm: n, rounds (apps/bench/stream.c, dgemm.c)
JOB_ARGS = {"stream": ["16", "5"], "dgemm": ["256", "2"]}
QUICK_JOB_ARGS = {"stream": ["16", "2"], "dgemm": ["128", "2"]}
SECTION_KEYS = ("startup, image, footprint, memory, disk, cpu, flops, latency, transactions, "
                "density")
DEFAULT_MEM = "128M"

DESCRIPTION = """\
Build APP (default hello: apps/hello; a program that prints and exits) as a skiff image
and, from the same sources, as a static Linux program; run it as
  skiff (microvm)    the QEMU command line `skiff run` builds, started directly
  skiff run (CLI)    the whole `tools/skiff run --quiet` as typed (sh, C launcher)
  Linux VM           Debian's cloud kernel + an initramfs whose /init runs the program,
                     on the same QEMU machine, accelerator, CPU model and memory
  container          an OCI bundle under runc (unshare namespaces where runc fails)
  podman run         Debian's podman on the same static program (start-up rows only)
  process            the static program, directly
  VMM floor          a trivial kernel that prints hello and powers off
and report start -> first output, start -> exit, image size, smallest memory that boots,
peak RSS of the VMM / runtime, memory throughput (apps/bench/stream.c), a CPU-bound job
(apps/bench/cpu.c), FLOPs (apps/bench/dgemm.c) in each, network figures where the
network stack and apps/httpd exist, and the network transactions (TCP_RR, UDP_RR, TCP_CRR,
TCP_STREAM both ways; apps/bench/netsrv.c and netcli.c) through --port, over a tap vs a
veth pair and instance to instance (bench/netrr.py; alone: make bench-netrr). One
warm-up, then N interleaved rounds (start-up: 5 a round of each variant under 1 s);
medians with min-max. Prints a Markdown table; writes report.md (a section per metric, each with its
table, goal, chart under charts/ and published anchors), results.json, results.csv and
bench.png (gnuplot) under --out. A section whose module has not landed says "not yet
measured" (tools/skiffpy/bench/sections.py). Disk I/O (bench/disk.py: disk.json, disk.png)
is left out of a plain --quick; --quick --only disk runs it small.
Missing pieces (runc, the kernel package) are fetched with `tools/deps.sh bench`; a
variant that still cannot run is marked unavailable.

`skiff bench SUITE [ARGS]` runs one suite instead (`skiff bench SUITE --help`: its options;
the scripts are tests/bench/*.py, tests/hard/soak.py, tools/skiffpy/bench/netrr.py)."""


def add_parser(commands):
    global PARSER
    PARSER = p = commands.add_parser("bench", help="compare unikernel, Linux VM, container, process",
                            description=DESCRIPTION, usage="skiff bench [APP] [options]",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("app", nargs="?", default="hello", metavar="APP",
                   help="a .c file, a folder of them, or a name in apps/ or apps/bench/ "
                   "(default hello); or a SUITE (below), which wins over an app of the "
                   "same name (name that app by its path: apps/redis)")
    p.add_argument("--quick", action="store_true",
                   help=f"for CI: {QUICK_RUNS} runs, a {QUICK_CPU_UNITS}-unit CPU job, "
                   "coarser memory search, shorter network runs (under 3 min here)")
    p.add_argument("--runs", type=_positive_int, metavar="N",
                   help=f"interleaved runs per variant (default {DEFAULT_RUNS}, "
                   f"--quick {QUICK_RUNS})")
    p.add_argument("--mem", default=DEFAULT_MEM, metavar="SIZE",
                   help=f"guest memory of every VM for the timed runs (default {DEFAULT_MEM})")
    p.add_argument("--only", metavar="METRIC[,METRIC]",
                   help=f"measure only these sections: {SECTION_KEYS}")
    p.add_argument("--out", default=os.path.join(BUILD, "bench"), metavar="DIR",
                   help="where results.json, results.csv and the chart go (default build/bench)")
    p.set_defaults(func=main)


def run_suite(argv):
    """`skiff bench SUITE [ARGS]`: the suite's exit status; None when argv names no suite (the
    comparison runs). `skiff bench --help` lists the suites after the options."""
    from .bench import suites
    if argv and argv[0] in suites.find():
        return suites.run(argv[0], argv[1:])
    if "-h" in argv or "--help" in argv:
        PARSER.epilog = "suites (skiff bench SUITE [ARGS]; SUITE --help: its options):\n" + \
            suites.listing()
    return None


def _check_app(spec):
    """A usage error (one line, status 2) when APP is neither a suite nor an app."""
    from .bench import build as bench_build, suites
    try:
        bench_build.resolve_app(spec)
    except CliError:
        raise CliError(f"unknown suite or app {spec!r} (suites: {', '.join(suites.find())}; "
                       "an app: a .c file, a folder of them, apps/NAME/ or apps/bench/NAME.c)",
                       EXIT_USAGE) from None


def _positive_int(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return int(text)


def main(args):
    try:
        mem = parse_mem(args.mem)
    except ValueError as err:
        raise CliError(f"--mem: {err}", EXIT_USAGE) from None
    _check_app(args.app)
    runs = args.runs or (QUICK_RUNS if args.quick else DEFAULT_RUNS)
    out_dir = os.path.abspath(args.out)
    # Imported here, not at the top: every `skiff run` loads this module for its parser.
    from .bench import chart as bench_chart
    from .bench import report as bench_report
    from .bench import reportmd as bench_reportmd
    from .bench import sections as bench_sections
    from .bench.session import FAST_MS, FAST_REPEATS, Session
    sections = bench_sections.load()
    try:
        chosen = bench_sections.select(sections, args.only)
    except ValueError as err:
        raise CliError(f"--only: {err}", EXIT_USAGE) from None
    session = Session(args.app, args.quick, runs, mem, out_dir,
                      QUICK_CPU_UNITS if args.quick else CPU_UNITS,
                      QUICK_JOB_ARGS if args.quick else JOB_ARGS)
    session.only = args.only    # sections too slow for --quick run when named by --only
    session.setup()
    ran = []
    for k, section in enumerate(chosen, 1):
        if not section.landed:
            session.progress(f"section {k}/{len(chosen)}: {section.title}: not yet measured "
                             f"({section.pending})")
            continue
        session.progress(f"section {k}/{len(chosen)}: {section.title}")
        session.results.add_metrics(section.metrics)
        section.run(session)
        ran.append(section.key)
    session.fill_unavailable()
    session.progress("writing the report")
    labels = {v.key: _with_accel(v, session.host["accel"]) for v in session.variants}
    command = "tools/skiff bench " + " ".join(shlex.quote(a) for a in sys.argv[2:])
    meta = {"command": command.strip(), "app": session.app.name, "runs": runs,
            "quick": args.quick, "mem": describe(mem), "cpu_units": int(session.cpu.args[0]),
            "startup_repeats": FAST_REPEATS, "startup_fast_ms": FAST_MS,
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
    charts = {}
    for section in chosen:
        if section.key not in ran or section.chart is None:
            continue
        path = bench_reportmd.chart_path(out_dir, section)
        if section.chart == "bars":
            drawn, why = bench_reportmd.draw(section, results, labels, path)
        else:
            why = section.chart(results, labels, path)
            drawn = None if why else path
        charts[section.key] = os.path.relpath(drawn, out_dir) if drawn else why
    report = os.path.join(out_dir, "report.md")
    bench_reportmd.write(report, sections, ran, results, labels, meta, charts)
    session.progress.done()
    sys.stdout.write(bench_report.markdown(results, labels, meta))
    rel = _shown(out_dir)
    sys.stdout.write(f"\nreport: {rel}/report.md; raw results: {rel}/results.json, "
                     f"{rel}/results.csv"
                     + (f"; chart: {meta['chart']}" if chart else "") + "\n")
    return 0


def _with_accel(variant, accel):
    """The column heading with what runs the code: the VMs' accelerator, or the host CPU."""
    if variant.is_vm or variant.key == "skiff_cli":
        where = accel.upper()
    else:
        where = "host CPU, no VM"
    head = variant.label
    if head.endswith(")"):
        return f"{head[:-1]}, {where})"
    return f"{head} ({where})"


def _podman_note(session):
    """How the podman column ran, or why it is empty."""
    podman = next(v for v in session.variants if v.key == "podman")
    if podman.unavailable:
        return f"podman run: unavailable: {podman.unavailable}"
    limits = " ".join(podman._ulimits()) or "none"
    return ("podman run: Debian's podman driving runc, `podman run --rm --network=none "
            f"{limits} --rootfs DIR /app`, start-up rows only (the container column runs the "
            "same binary everywhere else); the --ulimit values are the host's own (NPROC capped "
            "at kernel.pid_max), because podman's defaults (nofile 1048576, nproc unlimited) "
            "exceed what runc may set here: without them every start fails with \"error "
            "setting rlimit type 7: operation not permitted\"")


def _shown(path):
    """path relative to the repository when inside it, else as it is."""
    inside = os.path.commonpath([ROOT, path]) == ROOT
    return os.path.relpath(path, ROOT) if inside else path


def _notes(session):
    notes = list(session.notes)
    notes.append(_podman_note(session))
    if session.quick:
        notes.append("quick mode: " + "; ".join(
            f"{name} {' '.join(args)}" for name, args in QUICK_JOB_ARGS.items()))
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
               "sometimes fails and the boot hangs; tsc=reliable keeps the TSC as the "
               "program's clock, which the clocksource watchdog would swap for jiffies that "
               "lose the time a busy host makes the vCPU wait)"
               if session.host["accel"] == "tcg" and session.host["tsc_khz"] else "")
        notes.append(f"Linux VM: Debian {linux.release}, uncompressed initramfs with a static "
                     f"/init (apps/bench/linux/init.c) that runs /app, append "
                     f"`{linux.cmdline(session.app).split(' --')[0]}`{tsc}")
    notes.append("first output: arrival of the first bytes the program prints natively "
                 f"({session.app.marker.decode(errors='replace')!r}) on the VMM's or "
                 "runtime's stdout; times run from fork to wait4 in apps/bench/linux/measure.c")
    qemu, why = qemu_for("microvm")
    notes.append(f"QEMU binary: {_shown(qemu) if os.sep in qemu else qemu} ({why}) for every "
                 "VM column (skiff, the Linux VM, the VMM floor), and the one skiff run (CLI) "
                 "picks for microvm; SKIFF_QEMU_LEAN=0 benches Debian's qemu-system-x86_64")
    notes.append("skiff (microvm) and the Linux VM are timed as bare QEMU processes; "
                 "skiff run (CLI) adds the front end a user starts (/bin/sh, then the C "
                 "launcher tools/launcher/skiff-run.c), which starts the same QEMU command "
                 "with glibc malloc tunables and a stand-in disassembler library")
    notes.append(f"CPU job: apps/bench/cpu.c with {session.cpu.args[0]} units, the same "
                 "result checked in every variant")
    args = QUICK_JOB_ARGS if session.quick else JOB_ARGS
    notes.append(f"memory throughput: apps/bench/stream.c {' '.join(args['stream'])} (MiB per "
                 f"array, rounds); FLOPs: apps/bench/dgemm.c {' '.join(args['dgemm'])} (n, "
                 "rounds); both check their own results and exit 1 on a wrong one")
    for key, reasons in session.results.failures.items():
        notes.append(f"{key}: {len(reasons)} run(s) left out: {reasons[0]}"
                     + (" ..." if len(reasons) > 1 else ""))
    return notes
