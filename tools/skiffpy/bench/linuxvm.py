"""Bench variant: a Linux VM, Debian's cloud kernel (taken from its package, never installed) + an initramfs made here."""
import glob
import os
import re
import subprocess

from .cpio import CpioWriter
from .variant import Variant
from ..common import BUILD, ROOT
from ..qemu import qemu_command

DEPS = os.path.join(ROOT, "tools", "deps.sh")
KERNEL_CACHE = os.path.join(BUILD, "cache", "linux-vm")
INIT_EXIT = re.compile(rb"(?m)^bench-init: exit (\d+)\s*$")
# console on the serial port, no boot chatter, a panic ends QEMU (-no-reboot) at once
BASE_CMDLINE = "console=ttyS0 quiet panic=-1"


def clock_words(accel, tsc_khz):
    """The Linux VM's clock arguments under TCG. tsc=reliable: otherwise the clocksource
    watchdog, checking the TSC against refined-jiffies whose ticks a busy host delays, drops
    the TSC for jiffies: the program's clock then ticks in 4 ms steps and loses the time the
    vCPU waits for the host (a DGEMM that took 2.1 s of host time read 1.4 s), flattering
    every in-program time. tsc_early_khz (the host's TSC rate): under TCG Linux's PIT
    calibration sometimes fails and the boot hangs."""
    if accel != "tcg":
        return []
    return ["tsc=reliable"] + ([f"tsc_early_khz={tsc_khz}"] if tsc_khz else [])
# virtio-net over virtio-mmio (microvm), in load order; the rest of virtio is built in or
# one of these (Debian 6.1 cloud: CONFIG_VIRTIO=m, CONFIG_VIRTIO_MMIO=m, CONFIG_VIRTIO_NET=m)
NET_MODULES = ("drivers/virtio/virtio.ko", "drivers/virtio/virtio_ring.ko",
               "drivers/virtio/virtio_mmio.ko", "net/core/failover.ko",
               "drivers/net/net_failover.ko", "drivers/net/virtio_net.ko")


def find_kernel():
    """(kernel dir, None) from build/cache/linux-vm, fetching it through `tools/deps.sh
    linux-vm` when missing; (None, reason) when that fails."""
    found = sorted(glob.glob(os.path.join(KERNEL_CACHE, "*", "boot", "vmlinuz-*")))
    if found:
        return os.path.dirname(os.path.dirname(found[-1])), None
    try:
        result = subprocess.run(["sh", DEPS, "linux-vm"], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                timeout=600)
    except (OSError, subprocess.TimeoutExpired) as err:
        return None, f"tools/deps.sh linux-vm did not run: {err}"
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines or not os.path.isdir(lines[-1]):
        why = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"kernel package not fetched (tools/deps.sh linux-vm: {why})"
    return lines[-1], None


class LinuxVM(Variant):
    """The app compiled for Linux (static) as /app of an initramfs whose /init
    (apps/bench/linux/init.c) runs it, prints `bench-init: exit N` and powers off. Same QEMU
    command line as skiff's (qemu_command: machine, accelerator, CPU, memory, devices,
    -no-reboot) plus -initrd."""
    key = "linux_vm"
    label = "Linux VM (microvm)"
    is_vm = True

    def __init__(self, accel, tsc_khz, work, init_bin):
        super().__init__()
        self.accel, self.tsc_khz, self.work, self.init_bin = accel, tsc_khz, work, init_bin
        self.kernel_dir, self.unavailable = find_kernel()
        self.vmlinuz = self.release = None
        if self.kernel_dir:
            self.vmlinuz = sorted(glob.glob(os.path.join(self.kernel_dir, "boot",
                                                         "vmlinuz-*")))[-1]
            self.release = os.path.basename(self.vmlinuz)[len("vmlinuz-"):]

    def initramfs(self, program, net=False):
        return os.path.join(self.work, f"{program.name}{'-net' if net else ''}.initramfs")

    def prepare(self, program, work, net=False):
        """Write the initramfs (newc cpio, uncompressed): /dev/console, /init, /app, the
        program's files as /www, and with net the virtio-net modules in /modules with their
        load order."""
        cpio = CpioWriter()
        cpio.directory("dev")
        cpio.char_device("dev/console", 5, 1)
        with open(self.init_bin, "rb") as f:
            cpio.file("init", f.read())
        with open(program.linux_bin, "rb") as f:
            cpio.file("app", f.read())
        if program.files:
            cpio.tree("www", program.files)
        if net:
            cpio.directory("modules")
            base = os.path.join(self.kernel_dir, "lib", "modules", self.release, "kernel")
            for module in NET_MODULES:
                with open(os.path.join(base, module), "rb") as f:
                    cpio.file(f"modules/{os.path.basename(module)}", f.read(), 0o644)
            cpio.file("modules/order", "".join(os.path.basename(m) + "\n"
                                               for m in NET_MODULES).encode(), 0o644)
        with open(self.initramfs(program, net), "wb") as f:
            f.write(bytes(cpio))

    def cmdline(self, program, extra=""):
        words = [BASE_CMDLINE, *clock_words(self.accel, self.tsc_khz)]
        if extra:
            words.append(extra)
        for arg in program.args:
            if not arg or any(c.isspace() or c == '"' for c in arg):
                raise ValueError(f"argument {arg!r}: the Linux VM passes plain words only")
        return " ".join(words + ["--", *program.args])

    def argv(self, program, mem, net=False, extra_cmdline="", extra_qemu=()):
        command = qemu_command(self.vmlinuz, mem=mem, machine="microvm", accel=self.accel,
                               cmdline=self.cmdline(program, extra_cmdline),
                               out_path="/proc/self/fd/1", log_path="/dev/null", acpi=True)
        return command + ["-initrd", self.initramfs(program, net), *extra_qemu]

    def judge(self, program, run):
        if run.timed_out:
            return "timed out (a Linux guest with too little memory hangs or panics)"
        found = INIT_EXIT.findall(run.stdout)
        if not found:
            return f"no `bench-init: exit` line (QEMU status {run.status})"
        if int(found[-1]) != 0:
            return f"the app exited with status {int(found[-1])}"
        if run.first_ms is None:
            return f"expected output {program.marker[:40]!r} missing"
        return None

    def image(self, program):
        kernel = os.path.getsize(self.vmlinuz)
        initrd = os.path.getsize(self.initramfs(program))
        return kernel + initrd, (f"{os.path.basename(self.vmlinuz)} {kernel} B + initramfs "
                                 f"{initrd} B")
