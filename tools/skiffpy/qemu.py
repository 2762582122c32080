"""The QEMU command line for booting a skiff image, built in one place."""
import os

from .common import BUILD, qemu_binary
from .memsize import qemu_mem_arg

MACHINES = ("microvm", "pc", "q35")
# skiff's lean QEMU (tools/qemu/build.sh, put here by `make qemu-lean`): Debian's QEMU
# source built static with TCG, KVM and only microvm and the devices skiff run attaches
# to it. It starts faster than Debian's binary (no dynamic loader, no device types
# nobody uses); pc, q35 and EFI boots use Debian's. tools/launcher/skiff-run.c agrees.
LEAN_QEMU = os.path.join(BUILD, "bin", "qemu-lean")
LEAN_MACHINES = ("microvm",)
LOG_PORT = 0xe9          # isa-debugcon: the kernel log (and app stderr without a console link)
DEBUG_EXIT_PORT = 0xf4   # isa-debug-exit: power off with a status

# microvm without ACPI tables for a skiff guest: its kernel finds virtio-mmio devices by
# reading the window (drivers/virtio_mmio.c: GSI 5 + slot without ACPI) and powers off
# through isa-debug-exit, so QEMU need not build the tables (about 6 ms of QEMU's own
# start-up CPU under TCG, of about 40); auto-kernel-cmdline=off keeps QEMU from appending
# virtio_mmio.device= words, which would land among the app's arguments. A Linux guest
# needs the tables (its kernel hangs on microvm without them): qemu_command(acpi=True).
MICROVM_ACPI = "microvm,x-option-roms=off,rtc=on"
_MACHINE_OPTIONS = {
    "microvm": MICROVM_ACPI + ",acpi=off,auto-kernel-cmdline=off",
    "pc": "pc",
    "q35": "q35",
}
_CPU = {"tcg": "max", "kvm": "host"}
# QEMU's seccomp filter on every boot: no obsolete system calls, no setuid, no fork/exec,
# no scheduler or CPU-affinity changes (none of skiff's devices needs them).
SANDBOX = ["-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"]

# glibc tunables for QEMU itself, set by `skiff run` (vmrun.py and the C launcher alike):
# malloc's heap on transparent huge pages (where the host's THP mode is madvise or always)
# and grown 4 MiB at a time. QEMU's start-up is mostly page faults (its loader's 236,000
# relocations and its heap) and a fault is dear in a VM: here ~1,300 of ~3,700 faults per
# boot go, and ~15% of QEMU's CPU from start to exit, for ~3 MiB more peak RSS. One arena:
# a thread's own arena (the vCPU's, where TCG allocates as it translates) grows one page and
# one mprotect at a time, about 40 of them in a hello boot; the main arena grows by top_pad.
QEMU_TUNABLES = "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=4194304:glibc.malloc.arena_max=1"


# The folder of the libcapstone.so.4 that stands in for the real one in QEMU
# (tools/launcher/nocapstone.c, built with the launcher by `make launcher`).
QEMU_LIB_DIR = os.path.join(BUILD, "lib", "qemu")


def lean_qemu():
    """The lean build's path: SKIFF_QEMU_LEAN if set (0: none), else LEAN_QEMU."""
    return os.environ.get("SKIFF_QEMU_LEAN", LEAN_QEMU)


def qemu_for(machine):
    """(binary, why) for booting `machine`: SKIFF_QEMU where set, else the lean build where
    it is built and has the machine, else Debian's qemu-system-x86_64."""
    if os.environ.get("SKIFF_QEMU"):
        return qemu_binary(), "SKIFF_QEMU"
    lean = lean_qemu()
    if lean == "0":
        return qemu_binary(), "Debian's; SKIFF_QEMU_LEAN=0"
    if not os.access(lean, os.X_OK):
        return qemu_binary(), f"Debian's; no lean build at {lean}: make qemu-lean builds it"
    if machine not in LEAN_MACHINES:
        return qemu_binary(), f"Debian's; the lean build has no {machine} machine"
    return lean, "the lean build: microvm only, static"


def _ahead(mine, theirs):
    return mine + (":" + theirs if theirs else "")


def qemu_environ(environ):
    """The environment QEMU runs in: environ with QEMU_TUNABLES ahead of the user's own
    GLIBC_TUNABLES, if any (a tunable named twice takes its last value: theirs), and, once
    built, QEMU_LIB_DIR first in LD_LIBRARY_PATH. tools/launcher/skiff-run.c does the same."""
    env = {**environ, "GLIBC_TUNABLES": _ahead(QEMU_TUNABLES, environ.get("GLIBC_TUNABLES"))}
    if os.path.exists(os.path.join(QEMU_LIB_DIR, "libcapstone.so.4")):
        env["LD_LIBRARY_PATH"] = _ahead(QEMU_LIB_DIR, environ.get("LD_LIBRARY_PATH"))
    return env


MAX_CPUS = 16            # the kernel's per-CPU table (kernel/smp.h SMP_MAX_CPUS)


def accel_args(accel, cpus=1):
    """-accel (and -smp) for `cpus` vCPUs: under TCG, more than one uses thread=multi
    (one host thread per vCPU) so they really run in parallel."""
    if cpus <= 1:
        return ["-accel", accel]
    return ["-accel", "tcg,thread=multi" if accel == "tcg" else accel, "-smp", str(cpus)]


def cpu_model(accel):
    """The -cpu model for an accelerator (TCG: max, KVM: host)."""
    return _CPU[accel]


def chardev_file(chardev_id, path):
    """A chardev that appends to `path` (a /proc/self/fd/N link keeps an inherited fd's target)."""
    return ["-chardev", f"file,id={chardev_id},path={path.replace(',', ',,')},append=on"]


def console_link(machine, fd):
    """A virtio-console whose serial port 1 is the connected socket `fd`: the app's
    stdout/stderr and stdin as frames (include/skiff/hostcon.h; vmrun.py is the host end).
    A serial port, not the console port 0 (virtconsole): QEMU drops console-port bytes
    the socket cannot take at once, and holds a serial port's until it can."""
    bus = "virtio-serial-device" if machine == "microvm" else "virtio-serial-pci"
    return ["-chardev", f"socket,id=con,fd={fd}", "-device", f"{bus},max_ports=2",
            "-device", "virtserialport,chardev=con,nr=1"]


def without_console_link(argv, log_path=os.devnull):
    """argv less the console link (its socket fd exists only inside skiff run): for running
    a `skiff run --dry-run` line by hand; the guest then uses COM1 and debugcon, whose log
    channel (/proc/self/fd/3, which only skiff run opens: run by hand it names whatever
    QEMU itself holds as fd 3, an eventfd in the lean build) goes to log_path."""
    argv = [a.replace("path=/proc/self/fd/3,", f"path={log_path},") for a in argv]
    out, skip = [], False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        nxt = argv[i + 1] if i + 1 < len(argv) else ""
        if arg in ("-chardev", "-device") and (
                nxt.startswith("socket,id=con,") or nxt.startswith("virtio-serial-")
                or nxt.startswith("virtserialport,chardev=con")):
            skip = True
            continue
        out.append(arg)
    return out


def qemu_command(image, *, mem, machine="microvm", accel="tcg", cmdline="",
                 out_path="/proc/self/fd/1", log_path="/proc/self/fd/3", gdb_port=None,
                 devices=(), console_fd=None, cpus=1, acpi=False, qemu=None):
    """argv for QEMU: COM1 -> out_path, debugcon -> log_path (log stream), and with
    console_fd the console link that carries the app's stdio (without it the guest falls
    back to COM1 for stdout and debugcon for stderr, stdin at end of file).

    `-display none` rather than `-nographic`: on pc/q35 -nographic makes SeaBIOS draw its
    boot banner on COM1, which would corrupt the app's stdout. acpi=True keeps microvm's
    ACPI tables (a Linux guest). qemu: the binary, qemu_for(machine)'s by default."""
    argv = [
        qemu or qemu_for(machine)[0],
        # microvm boots without ACPI tables (faster), except where the guest reads them:
        # the APs of --cpus N come from the MADT
        "-M", MICROVM_ACPI if (acpi or cpus > 1) and machine == "microvm"
        else _MACHINE_OPTIONS[machine],
        *accel_args(accel, cpus),
        "-cpu", _CPU[accel],
        "-m", qemu_mem_arg(mem),
        "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
        *SANDBOX,
        *chardev_file("out", out_path),
        "-serial", "chardev:out",
        *chardev_file("log", log_path),
        "-device", f"isa-debugcon,iobase={LOG_PORT:#x},chardev=log",
        "-device", f"isa-debug-exit,iobase={DEBUG_EXIT_PORT:#x},iosize=4",
        *(console_link(machine, console_fd) if console_fd is not None else ()),
        *devices,                         # devices.qemu_args: --net, --port, --disk, -v
        "-kernel", image,
        "-append", cmdline,
    ]
    if gdb_port is not None:
        argv += ["-gdb", f"tcp:127.0.0.1:{gdb_port}", "-S"]
    return argv
