"""`skiff bench density`: how many idle httpd instances (skiff VMs, Linux VMs, runc containers) this host holds, what each costs, how fast they boot in parallel."""
import json
import os
import sys

from . import build as bench_build, host as bench_host, density_report
from .net import _www
from .program import Program
from .progress import Progress
from .density_run import Caps, run_fleet
from .density_variants import ContainerDensity, LinuxDensity, SkiffDensity, Tuning
from ..memsize import MIB

GIB = 1024 * MIB
VARIANTS = ("skiff", "linux_vm", "container")
HTTPD_MEM = 4 * MIB             # httpd serves in 2 MiB (README); 4 MiB leaves it room
LINUX_MEM = 80 * MIB            # the smallest the bench's memory search finds for Linux
LINUX_TB_MIB = 32               # Linux's code needs a real translation buffer; 32 MiB
                                # boots as fast as QEMU's 1 GiB (4.3 s vs 3.9 s of CPU)
SKIFF_RUN_MEM = 64 * MIB        # `skiff run`'s default --mem
TB_MIB = 1                      # TCG translation buffer for the density fleet, MiB: the
                                # densest; it overflows during the boot, so 4 MiB boots
                                # with about 25 ms less CPU for 1.5 MiB more (last step)
LINUX_ACPI_OFF = False          # tried: with acpi=off no Linux VM answered in 60 s
TUNED_STEP = 4                  # the fleet runs with tuning_steps()[4]: THP off saves
                                # nothing more and costs a fork per start (preexec_fn)


def tuning_steps():
    """Each step adds one change to the one before: (what changed, Tuning)."""
    return [
        ("as `skiff run` starts it (--mem 64M, QEMU's default 1 GiB tb-size)",
         Tuning(SKIFF_RUN_MEM)),
        ("--mem 4M (httpd serves in 2M)", Tuning(HTTPD_MEM)),
        (f"TCG translation buffer -accel tcg,tb-size={TB_MIB} (MiB)",
         Tuning(HTTPD_MEM, tb_size=TB_MIB)),
        ("guest RAM from a memfd (no transparent huge pages)",
         Tuning(HTTPD_MEM, tb_size=TB_MIB, memfd=True)),
        ("microvm without ACPI (-M microvm,acpi=off: no tables, no GED device)",
         Tuning(HTTPD_MEM, tb_size=TB_MIB, memfd=True, acpi_off=True)),
        ("no transparent huge pages in QEMU at all (prctl PR_SET_THP_DISABLE before exec)",
         Tuning(HTTPD_MEM, tb_size=TB_MIB, memfd=True, acpi_off=True, thp_off=True)),
        ("tb-size=4 instead (THP as QEMU sets it)",
         Tuning(HTTPD_MEM, tb_size=4, memfd=True, acpi_off=True)),
    ]


class Options:
    """What one density run does; from the options of `skiff bench density`
    (tests/bench/density.py)."""

    def __init__(self, quick=False, out=None, variants=VARIANTS, max_n=None, linux_max=None,
                 wave=None, time_cap_s=None, headroom_gib=4.0, tune_n=None, tune=True,
                 idle_s=None, linux_mem=LINUX_MEM, linux_tb=LINUX_TB_MIB, linux_memfd=True):
        self.quick, self.out, self.variants = quick, out, list(variants)
        self.max_n = max_n or (3 if quick else 400)
        self.linux_max = linux_max or (3 if quick else 12)
        self.wave = wave or (3 if quick else 25)
        self.time_cap_s = time_cap_s or (60 if quick else 90)
        self.headroom = int(headroom_gib * GIB)
        self.tune_n = tune_n or (3 if quick else 10)
        self.tune = tune
        self.idle_s = idle_s or (2 if quick else 5)
        self.linux_mem, self.linux_tb, self.linux_memfd = linux_mem, linux_tb, linux_memfd


def _caps(opts, key, max_n=None, wave=None):
    # seconds an instance may take to answer, plus per instance of its wave on 2 cores
    per = {"skiff": 1.0, "linux_vm": 8.0, "container": 0.5}[key]
    n = max_n or (opts.linux_max if key == "linux_vm" else opts.max_n)
    return Caps(n, wave or opts.wave, opts.time_cap_s, opts.headroom, 60, per, opts.idle_s)


def run(opts, command):
    """The whole bench: build, fleets, report. Returns 0; the report on stdout."""
    progress = Progress()
    out_dir = os.path.abspath(opts.out)
    work = os.path.join(out_dir, "work")
    os.makedirs(work, exist_ok=True)
    progress("density: building httpd (skiff image and static Linux program)")
    host = bench_host.facts()
    www = _www(work)
    program = Program("httpd", bench_build.resolve_app("httpd")[1], marker=b"httpd: serving",
                      files=www)
    program.build(work)
    init = bench_build.helper("init", work) if "linux_vm" in opts.variants else None
    accel = host["accel"]
    steps = tuning_steps()
    tuned = steps[TUNED_STEP][1]
    fleets, tuning_rows, notes = {}, [], []
    if opts.tune:
        for what, tuning in steps:
            variant = SkiffDensity(accel, tuning)
            variant.prepare(program, work)
            caps = _caps(opts, "skiff", opts.tune_n, opts.tune_n)
            caps.idle_s = 1                 # the tuning table shows memory, not idle CPU
            fig = run_fleet(variant, caps, work, progress)
            tuning_rows.append({"step": what, "qemu": tuning.describe(), **fig})
    for key in opts.variants:
        if key == "skiff":
            variant = SkiffDensity(accel, tuned, label=f"skiff ({tuned.describe()})")
        elif key == "linux_vm":
            variant = LinuxDensity(accel, host["tsc_khz"], work, init,
                                   Tuning(opts.linux_mem, tb_size=opts.linux_tb,
                                          memfd=opts.linux_memfd,
                                          acpi_off=LINUX_ACPI_OFF))
        else:
            variant = ContainerDensity(work)
        if variant.unavailable is None:
            progress(f"density: preparing {variant.label}")
            variant.prepare(program, work)
        if variant.unavailable:
            fleets[key] = {"label": variant.label, "unavailable": variant.unavailable}
            continue
        fleets[key] = {"label": variant.label, **run_fleet(variant, _caps(opts, key), work,
                                                           progress)}
    progress.done()
    meta = {"command": command, "host": host, "quick": opts.quick,
            "headroom_gib": opts.headroom / GIB, "wave": opts.wave,
            "time_cap_s": opts.time_cap_s, "idle_s": opts.idle_s, "notes": notes}
    doc = density_report.as_json(fleets, tuning_rows, meta)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "density.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    chart, why = density_report.chart(doc, out_dir)
    sys.stdout.write(density_report.markdown(doc))
    rel = os.path.relpath(out_dir)
    sys.stdout.write(f"\nraw results: {rel}/density.json"
                     + (f"; chart: {os.path.relpath(chart)}" if chart else f"; no chart: {why}")
                     + "\n")
    leftover = sum(f.get("leftover", 0) for f in fleets.values()) + \
        sum(r.get("leftover", 0) for r in tuning_rows)
    if leftover:
        sys.stderr.write(f"skiff bench density: {leftover} process(es) still running after "
                         "the stop\n")
        return 1
    silent = [f["label"] for f in fleets.values()
              if not f.get("unavailable") and not f.get("answered")]
    if silent:
        sys.stderr.write(f"skiff bench density: no instance answered: {', '.join(silent)}\n")
        return 1
    return 0


def run_section(session):
    """The report's density section: the figures of the last `skiff bench density` run
    (its density.json beside this report, else under build/bench), named as such and dated;
    the fleets themselves (hundreds of VMs, minutes) run only under `skiff bench density`."""
    from .sections import SECTIONS
    section = SECTIONS["density"]
    from ..common import BUILD
    for folder in (session.out_dir, os.path.join(BUILD, "bench")):
        path = os.path.join(folder, "density.json")
        if os.path.exists(path):
            break
    else:
        section.extra = ["Not measured by this command: `tools/skiff bench density` (or "
                         "`make bench-density`) launches the fleets and writes density.json, "
                         "which later reports show here."]
        return
    with open(path) as f:
        doc = json.load(f)
    when = os.path.getmtime(path)
    import time
    section.extra = [f"From `{doc['meta']['command']}`, written "
                     f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(when))} "
                     f"({os.path.relpath(path)}), not by this command:", ""] + \
        density_report.markdown(doc).splitlines()


def _register():
    from .sections import Section, register
    register(Section(
        key="density", title="Density (instances per host)", metrics=[], run=run_section,
        chart=None,
        method="N idle apps/httpd instances launched in parallel waves until the host's "
               "memory headroom or a time cap; an instance counts once it answers a GET; "
               "host memory per instance as PSS; boot rate per host core"))


_register()
