"""Bench variants on the host kernel: the static program in an OCI bundle under runc (or unshare), and run directly."""
import itertools
import json
import os
import shutil
import subprocess

from .measure import measure
from .variant import Variant

PROBE_TIMEOUT_S = 30


def tree_bytes(path):
    total = 0
    for folder, _, files in os.walk(path):
        total += sum(os.lstat(os.path.join(folder, name)).st_size for name in files)
    return total


class Process(Variant):
    """The floor: the static Linux program started directly."""
    key = "process"
    label = "process"

    def argv(self, program, mem):
        return [program.linux_bin, *program.args]

    def image(self, program):
        size = os.path.getsize(program.linux_bin)
        return size, f"static binary {size} B"


class Container(Variant):
    """The static program as /app of a read-only OCI bundle (`runc spec`, then no terminal,
    read-only root, args), run by `runc run` as root; where runc fails, the same root
    under `unshare` namespaces. label says which ran."""
    key = "container"
    label = "container (runc)"

    def __init__(self, work, launcher):
        super().__init__()
        self.work, self.launcher = work, launcher
        self.state = os.path.join(work, "runc-state")
        self.runtime = None             # "runc" | "unshare", decided by the first prepare
        self.fallback_reason = None
        self.ids = itertools.count()
        self.last_id = None
        self.app_rss_kb = {}
        self.host_net = set()           # programs whose bundle shares the host's network

    def bundle(self, program):
        return os.path.join(self.work, f"bundle-{program.name}")

    def prepare(self, program, work, share_host_net=False, netns=None):
        """share_host_net: a server (no probe run) in the host's network namespace, or with
        netns (a path under /var/run/netns) in that one."""
        bundle = self.bundle(program)
        rootfs = os.path.join(bundle, "rootfs")
        shutil.rmtree(bundle, ignore_errors=True)
        os.makedirs(rootfs)
        shutil.copy2(program.linux_bin, os.path.join(rootfs, "app"))
        if program.files:
            shutil.copytree(program.files, os.path.join(rootfs, "www"))
        if share_host_net:
            self.host_net.add(program.name)
        if shutil.which("runc"):
            self._runc_config(program, bundle, share_host_net, netns)
        if share_host_net:
            return                          # a server: bench_net runs it, no probe runs
        native = program.for_variant("process")     # the probe runs on the host
        own = measure(self.launcher, [program.linux_bin, *native.args],
                      marker=program.marker, timeout=PROBE_TIMEOUT_S)
        self.app_rss_kb[program.name] = own.maxrss_kb or 0
        if self.runtime is None:
            self._choose_runtime(program)

    def _runc_config(self, program, bundle, share_host_net, netns=None):
        result = subprocess.run(["runc", "spec", "--bundle", bundle], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            return
        path = os.path.join(bundle, "config.json")
        with open(path) as f:
            config = json.load(f)
        config["process"]["terminal"] = False
        config["process"]["args"] = ["/app", *program.args]
        config["root"]["readonly"] = True
        if share_host_net:
            spaces = config["linux"]["namespaces"]
            config["linux"]["namespaces"] = [ns for ns in spaces if ns["type"] != "network"]
            if netns:
                config["linux"]["namespaces"].append({"type": "network", "path": netns})
        with open(path, "w") as f:
            json.dump(config, f, indent=1)

    def _choose_runtime(self, program):
        tried = []
        for runtime in ("runc", "unshare"):
            if not shutil.which(runtime):
                tried.append(f"{runtime}: not installed")
                continue
            self.runtime = runtime
            run = measure(self.launcher, self.argv(program, None), marker=program.marker,
                          timeout=PROBE_TIMEOUT_S, cleanup=self.cleanup)
            why = self.judge(program, run)
            if why is None:
                self.label = f"container ({runtime})"
                self.fallback_reason = "; ".join(tried) or None
                return
            tried.append(f"{runtime}: {why}")
        self.runtime = None
        self.unavailable = "; ".join(tried) + " (tools/deps.sh bench installs runc)"

    def argv(self, program, mem):
        if self.runtime == "unshare":
            net = [] if program.name in self.host_net else ["--net"]
            return ["unshare", "--fork", "--pid", "--mount", "--uts", "--ipc", *net,
                    "--kill-child", f"--root={os.path.join(self.bundle(program), 'rootfs')}",
                    "/app", *program.args]
        self.last_id = f"skiff-bench-{os.getpid()}-{next(self.ids)}"
        return ["runc", "--root", self.state, "run", "--bundle", self.bundle(program),
                self.last_id]

    def cleanup(self):
        if self.runtime == "runc" and self.last_id:
            subprocess.run(["runc", "--root", self.state, "delete", "--force", self.last_id],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)

    def image(self, program):
        size = tree_bytes(os.path.join(self.bundle(program), "rootfs"))
        return size, f"rootfs {size} B"

    def rss_kb(self, program, run):
        """The runtime's peak (wait4 of runc: the larger of runc and `runc init` before it
        became the app) plus the container process's own (the app's peak, measured alone)."""
        if run.maxrss_kb is None:
            return None, ""
        app = self.app_rss_kb.get(program.name, 0)
        return run.maxrss_kb + app, f"{self.runtime} {run.maxrss_kb} KiB + app {app} KiB"

