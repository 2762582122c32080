"""`skiff run` for UEFI: a .efi, a .img, or any skiff ELF with --machine efi, booted by OVMF on q35.

The image is staged in a temporary directory with the guest command line in a `cmdline`
file beside BOOTX64.EFI (the stub reads it there): a directory QEMU shows as a FAT disk
for a .efi, a copy of the disk with the file added (mtools) for a .img. Before the kernel
starts, COM1 carries OVMF's and the stub's text; FirmwareFilter drops everything up to the
kernel's start marker, passes the rest byte-exact, and stops the VM at a firmware dead end
(stub refused, nothing bootable, UEFI shell) instead of leaving it hanging."""
import fcntl
import os
import re
import shlex
import shutil
import subprocess
import tempfile

from . import accel, devices, runenv
from .common import BUILD, EXIT_USAGE, EXIT_VM_DID_NOT_START, ROOT, CliError, qemu_binary, say
from .efiimage import BadEfiImage, check_pe, esp_offset, kind_of, memory_needed
from .elfimage import ElfImage, NotAnImage
from .handoff import EFI_START_MARKER as START_MARKER, SKIFF_NOTE
from .memsize import check_mem_and_image_path, describe, qemu_mem_arg
from .qemu import DEBUG_EXIT_PORT, LOG_PORT, SANDBOX, accel_args, chardev_file, cpu_model, qemu_for
from .vmrun import run_vm

OVMF = "/usr/share/ovmf/OVMF.fd"
DEFAULT_TIMEOUT = 120.0
EFI_MACHINES = ("q35", "pc")
KEPT_FIRMWARE_BYTES = 64 * 1024
ANSI = re.compile(rb"\x1b\[[0-9;=?]*[A-Za-z]|\x1b\][^\x07]*\x07")
DEAD_ENDS = (   # (pattern on COM1 before the kernel starts, the one-line reason)
    (re.compile(rb"skiff: UEFI stub: ([^\r\n]*)"), "UEFI stub: {}"),
    (re.compile(rb"BdsDxe: failed to (?:load|start) [^\r\n]*?: ([^\r\n]*)"),
     "the firmware could not boot the image ({})"),
    (re.compile(rb"BdsDxe: No bootable option"), "the firmware found nothing to boot"),
    (re.compile(rb"UEFI Interactive Shell"), "the firmware fell back to its UEFI shell"),
)
LOCK_FILE = os.path.join(BUILD, ".build.lock")   # the same lock skiff build takes


class FirmwareFilter:
    """COM1 under OVMF: nothing reaches stdout before the kernel's start marker."""

    def __init__(self):
        self.started = False
        self.failure = None
        self.pending = b""
        self.seen_any = False

    def feed(self, chunk):
        if self.started:
            return chunk
        self.seen_any = True
        self.pending += chunk
        at = self.pending.find(START_MARKER)
        if at >= 0:
            rest = self.pending[at + len(START_MARKER):]
            self.pending, self.started = b"", True
            return rest
        complete = self.pending[:self.pending.rfind(b"\n") + 1]
        for pattern, reason in DEAD_ENDS:
            match = pattern.search(complete)
            if match:
                detail = match.group(1).strip() if match.groups() else b""
                self.failure = reason.format(detail.decode("ascii", "replace"))
                break
        self.pending = self.pending[-KEPT_FIRMWARE_BYTES:]
        return b""

    def explain(self):
        """Lines for stderr when the kernel never started."""
        if not self.seen_any:
            return ["skiff run: the firmware printed nothing; the kernel did not start"]
        text = ANSI.sub(b"", self.pending).replace(b"\r", b"\n").decode("ascii", "replace")
        tail = [line.rstrip() for line in text.split("\n") if line.strip()][-5:]
        return ["skiff run: the kernel did not start; the firmware's last lines:"] + \
            [f"  | {line}" for line in tail]


def wants_efi(args):
    """True when `skiff run` should boot through UEFI firmware."""
    if getattr(args, "machine", None) == "efi":
        return True
    if os.path.splitext(args.image)[1] in (".efi", ".img"):
        return True
    try:
        return os.path.isfile(args.image) and kind_of(args.image) in ("efi", "img")
    except OSError:
        return False


def _check(path, mem_text, host_checks):
    """(kind, mem): validate the image and --mem before anything starts."""
    mem = check_mem_and_image_path(path, mem_text)
    suffix = os.path.splitext(path)[1]
    try:
        kind = kind_of(path)
        data = None
        if suffix == ".efi" or (kind == "efi" and suffix != ".img"):
            kind = "efi"
            with open(path, "rb") as f:
                data = f.read()
            check_pe(data)
        elif suffix == ".img" or kind == "img":
            kind = "img"
            esp_offset(path)
        elif kind == "elf":
            if SKIFF_NOTE not in [(owner, t) for owner, t, _ in ElfImage(path).notes()]:
                raise BadEfiImage("ELF without the skiff EFI entry note; not a skiff kernel")
        else:
            raise BadEfiImage("not a UEFI application, GPT disk or skiff ELF")
    except OSError as err:
        raise CliError(f"cannot read {path}: {err.strerror}", EXIT_VM_DID_NOT_START) from None
    except (BadEfiImage, NotAnImage) as err:
        raise CliError(f"{path}: {err}", EXIT_VM_DID_NOT_START) from None
    need = memory_needed(data)
    if mem < need and host_checks:
        raise CliError(f"out of memory: --mem {mem_text} is too small, a UEFI boot (OVMF) of "
                       f"this image needs at least {describe(need)}", EXIT_VM_DID_NOT_START)
    return kind, mem


def stage_dir(tmp, efi_file, cmdline):
    """An ESP directory: EFI/BOOT/BOOTX64.EFI and EFI/BOOT/cmdline. Returns the -drive value."""
    boot = os.path.join(tmp, "esp", "EFI", "BOOT")
    os.makedirs(boot, exist_ok=True)
    if efi_file is not None:
        shutil.copyfile(efi_file, os.path.join(boot, "BOOTX64.EFI"))
    with open(os.path.join(boot, "cmdline"), "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(cmdline)
    return f"file=fat:{os.path.join(tmp, 'esp')},format=raw,if=virtio,readonly=on"


def stage_img(tmp, image, cmdline):
    """A private copy of the disk with EFI/BOOT/cmdline written into its ESP."""
    disk = os.path.join(tmp, "disk.img")
    shutil.copyfile(image, disk)
    src = os.path.join(tmp, "cmdline")
    with open(src, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(cmdline)
    target = f"{disk}@@{esp_offset(disk)}"
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    try:
        result = subprocess.run(["mcopy", "-o", "-i", target, src, "::/EFI/BOOT/cmdline"],
                                stdin=subprocess.DEVNULL, capture_output=True, env=env)
    except OSError as err:
        raise CliError(f"cannot run mcopy ({err.strerror}): install mtools",
                       EXIT_VM_DID_NOT_START) from None
    if result.returncode != 0:
        why = result.stderr.decode(errors="replace").strip().splitlines()
        raise CliError(f"{image}: cannot write the command line into its EFI System "
                       f"Partition: {why[-1] if why else 'mcopy failed'}", EXIT_VM_DID_NOT_START)
    return f"file={disk},format=raw,if=virtio"


def _wrap_elf(tmp, elf):
    """Link the stub around an existing skiff ELF (make efi-pe); returns the .efi path."""
    kernel = os.path.join(tmp, "kernel.elf")       # a path make and .incbin can take
    shutil.copyfile(elf, kernel)
    out = os.path.join(tmp, "BOOTX64.EFI")
    cmd = ["make", "-s", "-C", ROOT, "-f", os.path.join(ROOT, "Makefile"),
           "-f", os.path.join(ROOT, "mk", "efi.mk"), "efi-pe", f"EFI_KERNEL={kernel}",
           f"EFI_PE={out}", f"EFI_WORK={os.path.join(tmp, 'work')}"]
    os.makedirs(BUILD, exist_ok=True)
    with open(LOCK_FILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        make = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        try:
            output = make.communicate()[0]
        except BaseException:       # a stop signal: make stops its compilers, then the tmp goes
            make.terminate()
            make.wait()
            raise
    if make.returncode != 0 or not os.path.exists(out):
        os.write(2, output)
        raise CliError(f"could not wrap {elf} in the UEFI stub (make efi-pe failed)",
                       EXIT_VM_DID_NOT_START)
    return out


def qemu_command(drive, *, mem, machine, accel_name, out_path, log_path, firmware,
                 gdb_port=None, extra=(), cpus=1):
    """argv for an OVMF boot: same consoles and exit device as the PVH path, no -kernel;
    cpus > 1 adds -smp (the kernel finds the CPUs in OVMF's ACPI MADT)."""
    argv = [
        qemu_binary(),
        "-M", machine,
        *accel_args(accel_name, cpus),
        "-cpu", cpu_model(accel_name),
        "-m", qemu_mem_arg(mem),
        "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
        *SANDBOX,
        "-bios", firmware,
        *chardev_file("out", out_path),
        "-serial", "chardev:out",
        *chardev_file("log", log_path),
        "-device", f"isa-debugcon,iobase={LOG_PORT:#x},chardev=log",
        "-device", f"isa-debug-exit,iobase={DEBUG_EXIT_PORT:#x},iosize=4",
        "-drive", drive,
        *extra,                           # devices.qemu_args: --net, --port, --disk
    ]
    if gdb_port is not None:
        argv += ["-gdb", f"tcp:127.0.0.1:{gdb_port}", "-S"]
    return argv


def main(args, *, cmdline_max, host_checks=True):
    machine = "q35" if args.machine in (None, "efi") else args.machine
    if machine not in EFI_MACHINES:
        raise CliError(f"--machine {machine} has no UEFI firmware; UEFI images boot on "
                       f"{' or '.join(EFI_MACHINES)} (or --machine efi)", EXIT_USAGE)
    kind, mem = _check(args.image, args.mem, host_checks)
    cmdline = runenv.run_cmdline(args, cmdline_max, host_checks)
    firmware = os.environ.get("SKIFF_OVMF") or OVMF
    if not os.path.isfile(firmware):
        raise CliError(f"UEFI firmware {firmware} not found: install the ovmf package "
                       "(or set SKIFF_OVMF)", EXIT_VM_DID_NOT_START)
    extra = devices.qemu_args(args, machine, args.image if kind == "elf" else None)
    chosen = accel.choose(quiet=args.quiet)
    timeout = args.timeout if args.timeout is not None else DEFAULT_TIMEOUT
    with tempfile.TemporaryDirectory(prefix="skiff-efi-") as tmp:
        if kind == "img":
            drive = stage_img(tmp, args.image, cmdline)
        else:
            efi = _wrap_elf(tmp, args.image) if kind == "elf" else args.image
            drive = stage_dir(tmp, efi, cmdline)

        def build(out_path, log_path):
            return qemu_command(drive, mem=mem, machine=machine, accel_name=chosen,
                                out_path=out_path, log_path=log_path, firmware=firmware,
                                gdb_port=args.gdb, extra=extra, cpus=args.cpus)

        if args.dry_run:
            say("skiff run: QEMU: %s (%s)" % qemu_for("efi"))
            print(shlex.join(build("/proc/self/fd/1", "/proc/self/fd/3")))
            return 0
        if args.gdb is not None:
            say(f"skiff run: VM paused (UEFI), gdb stub on 127.0.0.1:{args.gdb}; symbols: "
                "the app's .elf.debug (build/apps/NAME/efi/NAME.elf.debug for a .efi)")
        return run_vm(build, timeout=timeout, quiet=args.quiet,
                      verbose=os.environ.get("SKIFF_VERBOSE") == "1",
                      stdout_filter=FirmwareFilter())
