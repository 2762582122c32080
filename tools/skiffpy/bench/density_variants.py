"""The density bench's variants: how one more httpd instance starts (skiff VM, Linux VM, runc container), which PIDs it owns, how it stops."""
import json
import os
import shutil
import signal
import subprocess

from .linuxvm import LinuxVM
from ..cmdline import guest_cmdline
from ..memsize import describe, qemu_mem_arg
from ..qemu import qemu_command

GUEST_IP, GUEST_GW = "10.0.2.15/24", "10.0.2.2"     # slirp's defaults
HTTP_PORT = 80


def _netdev(host_port):
    """What `skiff run --port H:80` gives a microvm guest: user-mode NAT, one forward."""
    return ["-netdev", f"user,id=net0,hostfwd=tcp:127.0.0.1:{host_port}-:{HTTP_PORT}",
            "-device", "virtio-net-device,netdev=net0"]


class Tuning:
    """What an idle skiff VM is started with. mem: guest memory (bytes); tb_size: TCG's
    translation buffer in MiB (None: QEMU's default, 1 GiB under TCG); memfd: guest RAM
    from a memfd (shmem, no transparent huge pages) instead of anonymous memory, which
    QEMU madvises for huge pages (a guest that touches 4 KiB pins 2 MiB); acpi_off: no
    ACPI tables and GED device on microvm (the kernel then numbers virtio-mmio IRQs itself)."""

    def __init__(self, mem, tb_size=None, memfd=False, thp_off=False, acpi_off=False):
        self.mem, self.tb_size, self.memfd, self.thp_off = mem, tb_size, memfd, thp_off
        self.acpi_off = acpi_off

    def describe(self):
        words = [f"-m {describe(self.mem)}"]
        words.append(f"tb-size={self.tb_size}" if self.tb_size else "default tb-size")
        if self.memfd:
            words.append("memfd RAM")
        if self.acpi_off:
            words.append("acpi=off")
        if self.thp_off:
            words.append("THP off")
        return ", ".join(words)

    def apply(self, argv, accel):
        argv = list(argv)
        if self.tb_size and accel == "tcg":
            i = argv.index("-accel")
            argv[i + 1] = f"tcg,tb-size={self.tb_size}"
        if self.acpi_off:
            i = argv.index("-M")
            argv[i + 1] += ",acpi=off"
        if self.memfd:
            i = argv.index("-M")
            argv[i + 1] += ",memory-backend=ram"
            argv[1:1] = ["-object", f"memory-backend-memfd,id=ram,size={qemu_mem_arg(self.mem)}"]
        return argv


class Instance:
    """One started server: its port, the process we started, its log, when it started and
    answered, and what went wrong (None while fine)."""

    def __init__(self, index, port, proc, log, started):
        self.index, self.port, self.proc, self.log = index, port, proc, log
        self.started, self.ready, self.error = started, None, None
        self.ident = None           # the container's id
        self.boot_cpu_s = None      # its process's CPU time when it first answered


PR_SET_THP_DISABLE = 41


def _no_thp():
    """In the child before exec: no transparent huge pages for this process and what it
    execs (the flag survives execve). QEMU madvises huge pages for every RAM block (the
    BIOS ROM's 64 KiB too) and the translation buffer: touching 4 KiB pins 2 MiB."""
    import ctypes
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) != 0:
        os._exit(127)


def _popen(argv, log, thp_off=False):
    with open(log, "wb") as out:
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                preexec_fn=_no_thp if thp_off else None)


def _kill_group(proc):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()


class SkiffDensity:
    """apps/httpd as a skiff image on QEMU microvm, the command line `skiff run` builds
    (skiffpy.qemu.qemu_command) plus one port forward, started directly."""
    key = "skiff"
    persistent = True           # the started process is the instance (QEMU)

    def __init__(self, accel, tuning, label=None):
        self.accel, self.tuning = accel, tuning
        self.label = label or f"skiff ({tuning.describe()})"
        self.unavailable = None

    def prepare(self, program, work):
        self.program = program.with_args(["-p", str(HTTP_PORT), "-r", "/"])

    def start(self, index, port, log, started):
        image = self.program.skiff_elf
        cmdline = guest_cmdline("", os.path.basename(image), self.program.args)
        argv = qemu_command(image, mem=self.tuning.mem, machine="microvm", accel=self.accel,
                            cmdline=cmdline, out_path="/proc/self/fd/1",
                            log_path="/dev/null") + _netdev(port)
        argv = self.tuning.apply(argv, self.accel)
        return Instance(index, port, _popen(argv, log, self.tuning.thp_off), log, started)

    def pids(self, inst):
        return [inst.proc.pid]

    def stop(self, inst):
        _kill_group(inst.proc)


class LinuxDensity:
    """apps/httpd built static for Linux, /app of the bench's Linux VM initramfs
    (bench_linuxvm.LinuxVM: Debian's cloud kernel, same QEMU, machine, accelerator)."""
    key = "linux_vm"
    persistent = True

    def __init__(self, accel, tsc_khz, work, init_bin, tuning):
        self.vm = LinuxVM(accel, tsc_khz, work, init_bin)
        self.accel, self.tuning, self.mem = accel, tuning, tuning.mem
        self.label = f"Linux VM ({tuning.describe()})"
        self.unavailable = self.vm.unavailable

    def prepare(self, program, work):
        self.program = program.with_args(["-p", str(HTTP_PORT), "-r", "/www"])
        self.vm.prepare(self.program, work, net=True)

    def start(self, index, port, log, started):
        argv = self.vm.argv(self.program, self.mem, net=True,
                            extra_cmdline=f"BENCH_IP={GUEST_IP} BENCH_GW={GUEST_GW}",
                            extra_qemu=_netdev(port))
        argv = self.tuning.apply(argv, self.accel)
        return Instance(index, port, _popen(argv, log), log, started)

    def pids(self, inst):
        return [inst.proc.pid]

    def stop(self, inst):
        _kill_group(inst.proc)


class ContainerDensity:
    """apps/httpd built static, /app of one read-only rootfs shared by every container;
    each container its own bundle (config.json from `runc spec`) listening on its own port
    in the host's network namespace, started with `runc run --detach`: what stays is the
    container's process only (an engine would add its shim, e.g. containerd-shim, per
    container)."""
    key = "container"
    label = "container (runc --detach)"
    persistent = False          # runc exits once the container runs

    def __init__(self, work):
        self.work = work
        self.state = os.path.join(work, "runc-state")
        self.unavailable = None if shutil.which("runc") else "runc not installed " \
            "(tools/deps.sh bench installs it)"
        self.spec = None

    def prepare(self, program, work):
        self.rootfs = os.path.join(work, "density-rootfs")
        shutil.rmtree(self.rootfs, ignore_errors=True)
        os.makedirs(self.rootfs)
        shutil.copy2(program.linux_bin, os.path.join(self.rootfs, "app"))
        shutil.copytree(program.files, os.path.join(self.rootfs, "www"))
        spec_dir = os.path.join(work, "density-spec")
        shutil.rmtree(spec_dir, ignore_errors=True)
        os.makedirs(spec_dir)
        result = subprocess.run(["runc", "spec", "--bundle", spec_dir], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            self.unavailable = f"runc spec failed: {result.stdout.strip()[:200]}"
            return
        with open(os.path.join(spec_dir, "config.json")) as f:
            self.spec = json.load(f)
        self.spec["process"]["terminal"] = False
        self.spec["root"] = {"path": self.rootfs, "readonly": True}
        spaces = self.spec["linux"]["namespaces"]
        self.spec["linux"]["namespaces"] = [ns for ns in spaces if ns["type"] != "network"]
        self.prefix = f"skiff-density-{os.getpid()}"

    def start(self, index, port, log, started):
        bundle = os.path.join(self.work, f"density-bundle-{index}")
        os.makedirs(bundle, exist_ok=True)
        spec = json.loads(json.dumps(self.spec))
        spec["process"]["args"] = ["/app", "-p", str(port), "-r", "/www"]
        with open(os.path.join(bundle, "config.json"), "w") as f:
            json.dump(spec, f)
        ident = f"{self.prefix}-{index}"
        argv = ["runc", "--root", self.state, "run", "--detach", "--bundle", bundle, ident]
        inst = Instance(index, port, _popen(argv, log), log, started)
        inst.ident = ident
        return inst

    def _state(self, inst):
        result = subprocess.run(["runc", "--root", self.state, "state", inst.ident],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        if result.returncode != 0:
            return None
        return json.loads(result.stdout)

    def pids(self, inst):
        state = self._state(inst)
        return [state["pid"]] if state and state.get("pid") else []

    def stop(self, inst):
        _kill_group(inst.proc)           # runc itself, if it still runs
        subprocess.run(["runc", "--root", self.state, "delete", "--force", inst.ident],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        shutil.rmtree(os.path.join(self.work, f"density-bundle-{inst.index}"),
                      ignore_errors=True)
