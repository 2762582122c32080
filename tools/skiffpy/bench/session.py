"""One bench run: set up the variants, then the phases (start-up, memory, CPU job, network), filling Results."""
import os
import re
import shutil
import subprocess

from . import build as bench_build, host as bench_host, memsearch as bench_memsearch
from .container import Container, Process
from .podman import Podman
from .linuxvm import DEPS, KERNEL_CACHE, LinuxVM
from .measure import measure
from .program import Program, floor_program
from .progress import Progress
from .results import Results
from .skiffvm import FloorVM, SkiffCli, SkiffVM
from ..memsize import MIB

RUN_TIMEOUT_S = 60
# Start-up: a variant that starts and exits in under FAST_MS runs FAST_REPEATS times a round
# (interleaved with the other fast ones), the rest once: medians of milliseconds-long runs
# on a shared host move by a tenth from one run of the bench to the next at 7 samples,
# while a Linux VM boot costs as much as a hundred of them.
FAST_MS, FAST_REPEATS = 1000, 5
CPU_TIMEOUT_S = 300
CPU_RESULT = re.compile(rb"result=([0-9a-f]+) elapsed_ms=([0-9.]+)")
STREAM_RESULT = re.compile(rb"check=ok copy_mbs=(?P<stream_copy_mbs>[0-9.]+) "
                           rb"scale_mbs=(?P<stream_scale_mbs>[0-9.]+) "
                           rb"add_mbs=(?P<stream_add_mbs>[0-9.]+) "
                           rb"triad_mbs=(?P<stream_triad_mbs>[0-9.]+) "
                           rb"elapsed_ms=(?P<stream_job_ms>[0-9.]+)")
DGEMM_RESULT = re.compile(rb"check=ok residual=\S+ gflops=(?P<dgemm_gflops>[0-9.]+) "
                          rb"elapsed_ms=(?P<dgemm_job_ms>[0-9.]+)")
HOST_ONLY = "no guest: shares the host kernel"


class Session:
    """The app, the CPU job and the floor guest; the variants; Results; notes for the report.
    setup() first, then the phases in any order (cmd_bench runs them in the table's order)."""

    def __init__(self, app, quick, runs, mem, out_dir, cpu_units, job_args=None):
        self.quick, self.runs, self.mem = quick, runs, mem
        self.job_args = job_args or {}      # program name -> its arguments (stream, dgemm)
        self.section = ""                   # the report section being measured (progress)
        self._started = False
        self._jobs = {}
        self.out_dir, self.work = out_dir, os.path.join(out_dir, "work")
        self.progress = Progress()
        self.notes = []
        os.makedirs(self.work, exist_ok=True)
        self.app = Program(*bench_build.resolve_app(app))
        self.cpu = Program("cpu", [bench_build.CPU_JOB], [str(cpu_units)])
        self.cpu_built = False

    # --- set-up

    def setup(self):
        self.progress("checking prerequisites")
        self._fetch_missing()
        self.host = bench_host.facts()
        self.progress("building the helpers, the floor kernel and the apps")
        self.launcher = bench_build.helper("measure", self.work)
        init = bench_build.helper("init", self.work)
        self.floor = floor_program(bench_build.trivial_kernel(self.work))
        self.app.build(self.work)
        accel = self.host["accel"]
        self.variants = [SkiffVM(accel, self.work), SkiffCli(),
                         LinuxVM(accel, self.host["tsc_khz"], self.work, init),
                         Container(self.work, self.launcher), Podman(self.work), Process(),
                         FloorVM(accel, self.work)]
        self.results = Results(v.key for v in self.variants)
        for variant in self.variants:
            if variant.unavailable is None and variant.runs_programs:
                self.progress(f"preparing {variant.label}")
                variant.prepare(self.app, self.work)
            if variant.unavailable:
                self.notes.append(f"{variant.label}: unavailable: {variant.unavailable}")

    def fill_unavailable(self):
        """After the sections ran: every cell of a variant that could not run says why."""
        for variant in self.variants:
            if variant.unavailable:
                self.results.fill_missing(variant.key, f"unavailable: {variant.unavailable}")

    def job_program(self, name, sources, args, files=None, defines=(), marker=None):
        """A program the bench runs in every variant (built and prepared once): the CPU,
        STREAM, DGEMM and Lua jobs, or a section module's own (files, defines, marker:
        Program's)."""
        if name not in self._jobs:
            program = Program(name, sources, args, marker=marker, files=files, defines=defines)
            self.progress(f"building and preparing {name}")
            program.build(self.work)
            for variant in self.live():
                if variant.key != "podman":     # start-up rows only
                    variant.prepare(program.for_variant(variant.key), self.work)
            self._jobs[name] = program
        return self._jobs[name]

    def _fetch_missing(self):
        """Run `tools/deps.sh bench` once if runc, gnuplot, static libc or the kernel is missing;
        whatever stays missing makes its variant "unavailable" later, not a crash."""
        missing = [tool for tool in ("runc", "gnuplot", "unshare") if not shutil.which(tool)]
        if not os.path.exists("/usr/lib/x86_64-linux-gnu/libc.a"):
            missing.append("libc6-dev")
        if not os.path.isdir(KERNEL_CACHE) or not os.listdir(KERNEL_CACHE):
            missing.append("the Linux VM kernel")
        if not missing:
            return
        self.progress(f"fetching {', '.join(missing)} with tools/deps.sh bench")
        result = subprocess.run(["sh", DEPS, "bench"], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            why = (result.stderr.strip().splitlines() or ["failed"])[-1]
            self.notes.append(f"tools/deps.sh bench failed: {why}")

    def live(self, programs=True):
        return [v for v in self.variants if v.unavailable is None
                and (v.runs_programs or not programs)]

    def image_sizes(self):
        for v in self.live(programs=False):
            program = self.app if v.runs_programs else self.floor
            size, detail = v.image(program)
            self.results.value("image_kb", v.key, size / 1000, detail)

    # --- phases

    def _once(self, variant, program, timeout):
        run = measure(self.launcher, variant.argv(program, self.mem), marker=program.marker,
                      timeout=timeout, poll_comm=variant.poll_comm, cleanup=variant.cleanup)
        return run, variant.judge(program, run)

    def startup(self):
        """start → first output, start → exit, peak RSS: one warm-up, then runs rounds of
        every variant in turn (ABAB...; those under FAST_MS FAST_REPEATS times a round,
        ABCABC...). Once per bench (two sections use it)."""
        if self._started:
            return
        self._started = True
        fast = set()
        for rnd in range(self.runs + 1):
            what = "warm-up" if rnd == 0 else f"run {rnd}/{self.runs}"
            live = self.live(programs=False)
            order = live if rnd == 0 else (
                [v for _ in range(FAST_REPEATS) for v in live if v.key in fast]
                + [v for v in live if v.key not in fast])
            for v in order:
                program = self.app if v.runs_programs else self.floor
                self.progress(f"start-up of {program.name}: {what}: {v.label}")
                run, why = self._once(v, program, RUN_TIMEOUT_S)
                if why:
                    self.results.failed(v.key, f"{program.name} {what}: {why}")
                    continue
                if rnd == 0:
                    if run.exit_ms is not None and run.exit_ms < FAST_MS:
                        fast.add(v.key)
                    continue
                self.results.sample("first_output_ms", v.key, run.first_ms)
                self.results.sample("exit_ms", v.key, run.exit_ms)
                kb, how = v.rss_kb(program, run)
                if kb:
                    self.results.sample("peak_rss_mib", v.key, kb / 1024)
                    self.results.cells["peak_rss_mib"][v.key]["detail"] = how

    def memory(self):
        """Smallest guest memory: skiff and the floor step up from 2 MiB; Linux bisects."""
        timeout = 10 if self.quick else 20
        top = self.mem // MIB
        for v in self.live(programs=False):
            if not v.is_vm:
                why = HOST_ONLY if v.key != "skiff_cli" else "same guest as skiff"
                self.results.na("min_mem_mib", v.key, why)
                continue
            program = self.app if v.runs_programs else self.floor

            def boots(mib, v=v, program=program):
                self.progress(f"{program.name}: smallest memory: {v.label} at {mib} MiB")
                return bench_memsearch.boots(v, program, mib, self.launcher, timeout)
            if isinstance(v, LinuxVM):
                resolution = 16 if self.quick else 4
                found, tried = bench_memsearch.smallest_bisect(boots, 8, top, resolution)
                how = f"bisection to {resolution} MiB"
            else:
                found, tried = bench_memsearch.smallest_upward(boots, 2, min(top, 64))
                how = "2, 3, 4... MiB"
            detail = f"{how}; tried " + ", ".join(f"{m}{'+' if ok else '-'}" for m, ok in tried)
            if found is None:
                self.results.na("min_mem_mib", v.key, f"did not boot up to {top} MiB")
            else:
                self.results.value("min_mem_mib", v.key, found, detail)

    def cpu_job(self):
        """apps/bench/cpu.c: its own clock and the wall clock; every variant must print the
        native result."""
        cpu = self.job_program("cpu", [bench_build.CPU_JOB], self.cpu.args)
        native = CPU_RESULT.search(cpu.native_output)
        want = native.group(1) if native else None

        def figures(stdout):
            found = CPU_RESULT.search(stdout)
            if not found or found.group(1) != want:
                return None, f"result {found.group(1) if found else 'missing'}, native {want}"
            return {"cpu_job_ms": float(found.group(2))}, None
        self.job(cpu, figures, ["cpu_job_ms"], exit_metric="cpu_exit_ms",
                 label=f"cpu job ({cpu.args[0]} units)")

    def stream_job(self):
        """apps/bench/stream.c: MB/s of the four kernels; the program checks every element."""
        self._checked_job("stream", bench_build.STREAM_JOB, STREAM_RESULT)

    def dgemm_job(self):
        """apps/bench/dgemm.c: GFLOP/s; the program checks the residual."""
        self._checked_job("dgemm", bench_build.DGEMM_JOB, DGEMM_RESULT)

    def _checked_job(self, name, source, pattern):
        program = self.job_program(name, [source], self.job_args.get(name, []))

        def figures(stdout):
            found = pattern.search(stdout)
            if not found:
                tail = stdout.decode(errors="replace").strip().splitlines()[-1:] or ["nothing"]
                return None, f"no checked result: {tail[0][:120]}"
            return {k: float(x) for k, x in found.groupdict().items()}, None
        self.job(program, figures, list(pattern.groupindex),
                 label=f"{name} {' '.join(program.args)}")

    def job(self, program, figures, metrics, exit_metric=None, label=None):
        """Run program in every variant that runs programs (not the CLI: same guest as skiff),
        one warm-up and self.runs interleaved rounds; figures(stdout) -> ({metric: x}, None)
        or (None, why the output is wrong), metrics: the rows it fills (with exit_metric: the
        wall clock, fork to exit). A wrong answer leaves the run out and says why; a variant
        whose every run was wrong shows "every run failed"."""
        label = label or program.name
        variants = [v for v in self.live() if v.key not in ("skiff_cli", "podman")]
        metrics = list(metrics) + ([exit_metric] if exit_metric else [])
        for rnd in range(self.runs + 1):
            what = "warm-up" if rnd == 0 else f"run {rnd}/{self.runs}"
            for v in variants:
                self.progress(f"{label}: {what}: {v.label}")
                run, why = self._once(v, program.for_variant(v.key), CPU_TIMEOUT_S)
                found = None
                if why is None:
                    found, why = figures(run.stdout)
                if why:
                    self.results.failed(v.key, f"{program.name} {what}: {why}")
                    continue
                if rnd:
                    for metric, x in found.items():
                        self.results.sample(metric, v.key, x)
                    if exit_metric:
                        self.results.sample(exit_metric, v.key, run.exit_ms)
        for v in self.variants:
            if v in variants or v.unavailable is not None:
                continue
            why = ("the VMM floor runs no program" if not v.runs_programs
                   else "start-up only: the container column runs the same binary"
                   if v.key == "podman" else "same guest as skiff")
            for metric in metrics:
                self.results.na(metric, v.key, why)
        for v in variants:
            for metric in metrics:
                self.results.cells[metric].setdefault(v.key, {"samples": []})
