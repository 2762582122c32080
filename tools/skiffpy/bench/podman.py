"""Bench variant: `podman run` (Debian's podman, driving runc) on the static program's rootfs: the container as users type it."""
import os
import resource
import shutil

from .container import tree_bytes
from .variant import Variant


class Podman(Variant):
    """`podman run --rm --rootfs DIR /app ARGS`, for the start-up rows (the container column,
    plain runc, runs the same binary in every other row). podman asks runc for
    RLIMIT_NOFILE 1048576 and an unlimited RLIMIT_NPROC by default; where the hard limits
    are lower and raising them is not allowed (this build machine: "error setting rlimit
    type 7: operation not permitted"), no container starts. So the limits are given
    explicitly (--ulimit): the host's own, with NPROC capped at kernel.pid_max (runc was
    refused any NPROC above it here: 32768 started, 65536 and the host's 96553 did not)."""
    key = "podman"
    label = "podman run (runc)"

    def __init__(self, work):
        super().__init__()
        self.work = work
        if not shutil.which("podman"):
            self.unavailable = "podman is not installed (Debian's package: podman)"

    def rootfs(self, program):
        return os.path.join(self.work, f"podman-{program.name}", "rootfs")

    def prepare(self, program, work):
        rootfs = self.rootfs(program)
        shutil.rmtree(os.path.dirname(rootfs), ignore_errors=True)
        os.makedirs(rootfs)
        shutil.copy2(program.linux_bin, os.path.join(rootfs, "app"))
        if program.files:
            shutil.copytree(program.files, os.path.join(rootfs, "www"))

    @staticmethod
    def _ulimits():
        try:
            with open("/proc/sys/kernel/pid_max") as f:
                pid_max = int(f.read())
        except (OSError, ValueError):
            pid_max = 32768
        out = []
        for name, which in (("nofile", resource.RLIMIT_NOFILE), ("nproc", resource.RLIMIT_NPROC)):
            soft, hard = resource.getrlimit(which)
            if name == "nproc":
                hard = pid_max if hard == resource.RLIM_INFINITY else min(hard, pid_max)
            elif hard == resource.RLIM_INFINITY:
                continue
            soft = hard if soft == resource.RLIM_INFINITY else min(soft, hard)
            out += ["--ulimit", f"{name}={soft}:{hard}"]
        return out

    def argv(self, program, mem):
        return ["podman", "run", "--rm", "--network=none", *self._ulimits(),
                "--rootfs", self.rootfs(program), "/app", *program.args]

    def image(self, program):
        size = tree_bytes(self.rootfs(program))
        return size, f"rootfs {size} B"

    def rss_kb(self, program, run):
        return run.maxrss_kb, "wait4 ru_maxrss of podman (its largest process)"
