"""Bench variants on QEMU microvm with a skiff guest: the image as `skiff run` boots it, the CLI itself, the VMM floor."""
import os

from .build import SKIFF
from .variant import Variant, skiff_exit_status
from ..cmdline import guest_cmdline
from ..memsize import describe
from ..qemu import qemu_command


def _file_size(path):
    return os.path.getsize(path)


class SkiffVM(Variant):
    """The QEMU command line `skiff run` builds (skiffpy.qemu.qemu_command), started directly,
    so that it is timed like the Linux VM's QEMU: no Python in front of either."""
    key = "skiff"
    label = "skiff (microvm)"
    is_vm = True

    def __init__(self, accel, work):
        super().__init__()
        self.accel, self.work = accel, work

    def _log(self, name):
        return os.path.join(self.work, f"{self.key}-{name}.log")

    def _image(self, program):
        return program.skiff_elf

    def argv(self, program, mem, kernel_args=""):
        image, log = self._image(program), self._log(program.name)
        open(log, "wb").close()             # QEMU appends; one run's log at a time
        cmdline = guest_cmdline(kernel_args, os.path.basename(image), program.args)
        return qemu_command(image, mem=mem, machine="microvm", accel=self.accel,
                            cmdline=cmdline, out_path="/proc/self/fd/1", log_path=log)

    def judge(self, program, run):
        with open(self._log(program.name), "rb") as f:
            status = skiff_exit_status(f.read())
        if run.timed_out:
            return "timed out"
        if status is None:
            return f"no `skiff: exit` line (QEMU status {run.status})"
        if status != 0:
            return f"the app exited with status {status}"
        if run.first_ms is None:
            return f"expected output {program.marker[:40]!r} missing"
        return None

    def image(self, program):
        size = _file_size(self._image(program))
        return size, f"{os.path.basename(self._image(program))} {size} B"


class SkiffCli(Variant):
    """The whole `tools/skiff run --quiet IMAGE` as typed (/bin/sh, then the C launcher, or
    Python where it hands back): what a user waits for. Its peak RSS is wait4's ru_maxrss,
    which takes in QEMU's: the front end waits for QEMU, and a reaped child's peak counts
    in its parent's. No polling of /proc: on a 2-core host a poller every 2 ms took CPU
    from the run it timed."""
    key = "skiff_cli"
    label = "skiff run (CLI)"

    def argv(self, program, mem):
        return [SKIFF, "run", "--quiet", "--mem", describe(mem), program.skiff_elf, "--",
                *program.args]

    def image(self, program):
        size = _file_size(program.skiff_elf)
        return size, f"{os.path.basename(program.skiff_elf)} {size} B"

    def rss_kb(self, program, run):
        return run.maxrss_kb, "wait4 ru_maxrss of the front end: the larger of it and QEMU"


class FloorVM(SkiffVM):
    """The VMM floor: tools/probe/trivial.S, a kernel that only prints `hello` on COM1 and
    powers off, run as its own program (bench_program.floor_program)."""
    key = "floor"
    label = "VMM floor (trivial kernel)"
    runs_programs = False
