"""`skiff run IMAGE [options] [-- ARGS...]`: check the image, pick the accelerator, boot it."""
import argparse
import os
import shlex

from . import accel, devices, efirun, ipv6opts, netpriv, runenv
from .common import EXIT_USAGE, EXIT_VM_DID_NOT_START, CliError, say
from .elfimage import ElfImage, NotAnImage
from .memsize import check_mem_and_image_path, describe
from .qemu import MACHINES, MAX_CPUS, qemu_command, qemu_for
from .vmrun import run_vm

DEFAULT_MEM = "64M"
GUEST_CMDLINE_MAX = 4095     # kernel/cmdline.h CMDLINE_MAX minus the NUL
# Skip the up-front --mem and command-line checks so tests can exercise the kernel's own.
HOST_CHECKS_OFF = os.environ.get("SKIFF_NO_HOST_CHECKS") == "1"

EPILOG = """\
exit status:
  0-255  the application's own exit status (the kernel's last log line `skiff: exit N`,
         always on a line of its own whatever the app printed)
  124    --timeout expired; the VM was stopped
  125    the VM did not start (bad or missing image, QEMU failed, too little --mem,
         a busy --port, a missing --env-file, SKIFF_ACCEL=kvm where KVM cannot run guests)
  126    the kernel refused to boot (`skiff: refused ...`: bad command line, out of memory,
         a -w DIR that cannot be entered or created)
  129, 130, 143  stopped by SIGHUP, SIGINT (Ctrl-C) or SIGTERM (128 + N); the VM was
         stopped, one line says so
  134    the kernel panicked (`skiff: panic ...`) or the VM stopped without an exit line
         (triple fault)
  141    skiff's stdout was closed by its reader (`skiff run x.elf | head`): the VM was
         stopped, as SIGPIPE stops a process (128 + 13)

streams:
  The app's stdin, stdout and stderr are skiff's own (a virtio-console link carries them;
  skiff relays them, so `> f 2>&1`, `>>` and pipes all get every byte, in order). stdin
  may be a file, a pipe or a terminal; its end of file reaches the app. isatty() in the
  app is true exactly for those of skiff's fds 0-2 that are terminals (kernel argument
  ttys=DIGITS). The kernel log (debugcon, port 0xe9) goes to skiff's stderr too; --quiet
  hides kernel lines (those starting with `skiff: `) but not panics. The `skiff: exit N`
  line is shown only with SKIFF_VERBOSE=1. UEFI boots (.efi, .img, --machine efi) have no
  console link yet: stdout on COM1, stderr with the kernel log, stdin at end of file,
  isatty() false.

the app's environment (Docker's rules):
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin, HOME=/ and
  HOSTNAME (= --hostname), then --env-file lines, then -e settings, later ones winning.
  Values travel byte for byte on the guest command line (4095 bytes with the arguments).

environment:
  SKIFF_ACCEL=tcg|kvm  force the accelerator (kvm fails fast where the probe says no)
  SKIFF_QEMU=PATH      the QEMU binary to run (default: the lean build for microvm
                       where `make qemu-lean` built it, else qemu-system-x86_64)
  SKIFF_QEMU_LEAN=PATH the lean build (default build/bin/qemu-lean; 0: none, Debian's
                       QEMU for every machine); --dry-run says which QEMU and why
  SKIFF_OVMF=PATH      UEFI firmware for .efi/.img boots (default /usr/share/ovmf/OVMF.fd)
  SKIFF_VERBOSE=1      also show the final `skiff: exit N` line
  SKIFF_RUNTIME_DIR=DIR  where --network keeps its lease registry (default
                       $XDG_RUNTIME_DIR/skiff, else /tmp/skiff-UID)
  SKIFF_NO_HOST_CHECKS=1  skip the up-front --mem and command-line length checks
                       (tests use it to exercise the kernel's own refusals)
"""


def add_parser(commands):
    p = commands.add_parser(
        "run", help="boot an image in QEMU", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="skiff run IMAGE [options] [-- ARGS...]",
        description="Boot IMAGE (a PVH ELF from skiff build; a .efi or .img boots through UEFI\n"
        "firmware, OVMF, on q35) in QEMU. Options may come before\n"
        "or after IMAGE; arguments after `--` become the app's argv[1..] (argv[0] is the\n"
        "image's file name; spaces, quotes and empty arguments survive the trip).")
    add_run_options(p)
    add_cpus_option(p, "more than one runs under multi-threaded TCG (thread=multi) when KVM "
                    "is not used")
    p.add_argument("--dry-run", action="store_true",
                   help="print the QEMU command line and exit")
    p.set_defaults(func=main, app_args=[])
    return p


def add_run_options(p):
    """IMAGE and the options that shape the VM (skiff virt-xml takes the same ones)."""
    p.add_argument("image", metavar="IMAGE")
    p.add_argument("--mem", default=DEFAULT_MEM, metavar="SIZE",
                   help="guest memory in QEMU syntax: 2M, 64M, 1G; a bare number is MiB "
                   f"(default {DEFAULT_MEM})")
    p.add_argument("--machine", choices=MACHINES + ("efi",), default=None,
                   help="QEMU machine type (default microvm; q35 for .efi/.img); efi boots "
                   "through OVMF on q35, wrapping an ELF in the UEFI stub")
    p.add_argument("--append", default="", metavar="KARGS",
                   help="kernel arguments, e.g. bootstat")
    p.add_argument("--timeout", type=_positive_seconds, metavar="S",
                   help="stop the VM after S seconds and exit 124 (UEFI boots: default "
                   f"{efirun.DEFAULT_TIMEOUT:g})")
    p.add_argument("--quiet", action="store_true", help="hide kernel log lines")
    p.add_argument("--gdb", type=_port, metavar="PORT",
                   help="start paused with a gdb stub on 127.0.0.1:PORT")
    devices.add_arguments(p)
    netpriv.add_arguments(p)
    ipv6opts.add_arguments(p)
    runenv.add_arguments(p)


def split_app_args(argv):
    """argv after `skiff run` → (skiff's options and IMAGE, the app's arguments)."""
    if "--" in argv:
        cut = argv.index("--")
        return argv[:cut], argv[cut + 1:]
    return argv, []


def _positive_seconds(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def add_cpus_option(p, more):
    p.add_argument("--cpus", type=_cpus, default=1, metavar="N",
                   help=f"virtual CPUs, 1 to {MAX_CPUS} (default 1); {more}")


def _cpus(text):
    if not text.isdigit() or not 1 <= int(text) <= MAX_CPUS:
        raise argparse.ArgumentTypeError(f"not a CPU count from 1 to {MAX_CPUS}: {text!r}")
    return int(text)


def _port(text):
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {text!r}")
    return int(text)


def check_image(path, mem_text):
    """Validate IMAGE and --mem before QEMU starts; returns the memory size in bytes."""
    mem = check_mem_and_image_path(path, mem_text)
    try:
        image = ElfImage(path)
    except OSError as err:
        raise CliError(f"cannot read {path}: {err.strerror}", EXIT_VM_DID_NOT_START) from None
    except NotAnImage as err:
        raise CliError(f"{path}: {err}, not a skiff image", EXIT_VM_DID_NOT_START) from None
    if not image.has_pvh_note():
        raise CliError(f"{path}: ELF without a PVH entry note (Xen note type 18); "
                       "QEMU cannot boot it with -kernel", EXIT_VM_DID_NOT_START)
    need = image.memory_needed()
    if mem < need and not HOST_CHECKS_OFF:
        raise CliError(f"out of memory: --mem {mem_text} is too small, this image needs at "
                       f"least {describe(need)}", EXIT_VM_DID_NOT_START)
    return mem


def check_network_options(args):
    """--network/--ip/--add-host syntax, and --ip6/--gw6 turned into kernel arguments (on
    an image with a network stack): shared by skiff run and skiff virt-xml."""
    netpriv.check_syntax(args)
    if (args.ip6 or args.gw6) and not devices.uses_network(args.image) \
            and os.path.isfile(args.image):
        raise CliError(f"--ip6/--gw6: {os.path.basename(args.image)} has no network stack",
                       EXIT_USAGE)
    args.append += ipv6opts.kargs(args)


def main(args):
    check_network_options(args)
    if efirun.wants_efi(args):
        if args.networks or args.add_hosts:
            raise CliError("--network and --add-host: not with UEFI boots (.efi, .img, "
                           "--machine efi) yet", EXIT_VM_DID_NOT_START)
        return efirun.main(args, cmdline_max=GUEST_CMDLINE_MAX,
                           host_checks=not HOST_CHECKS_OFF)
    args.machine = args.machine or "microvm"
    mem = check_image(args.image, args.mem)
    if args.cpus > 1 and not args.quiet:
        _note_one_cpu_image(args.image, args.cpus)
    args.append = _tty_karg() + args.append
    extra = devices.qemu_args(args, args.machine, args.image)
    user_mode = any(a.startswith("user,") for a in extra)
    with netpriv.leases(args, user_mode) as networks:   # held until the VM is gone
        words = netpriv.kernel_words(networks, args.add_hosts)
        cmdline = runenv.run_cmdline(args, GUEST_CMDLINE_MAX, not HOST_CHECKS_OFF, words)
        extra += netpriv.qemu_args(networks, devices.transport(args.machine))
        return _boot(args, mem, cmdline, extra)


def _note_one_cpu_image(path, cpus):
    """--cpus N on an image that can never start the other CPUs (the bring-up links only
    with pthread_create or sysconf's CPU counts; kernel/smp_boot.c): say so in one line."""
    names = ElfImage(path).function_names()
    if names is not None and "sched_cpus_online" not in names:
        say(f"skiff run: note: {os.path.basename(path)} starts no thread (it links no "
            f"pthread_create): it runs on one of the {cpus} vCPUs")


def _boot(args, mem, cmdline, extra):
    chosen = accel.choose(quiet=args.quiet)

    def build(out_path, log_path, console_fd):
        return qemu_command(args.image, mem=mem, machine=args.machine, accel=chosen,
                            cmdline=cmdline, out_path=out_path, log_path=log_path,
                            gdb_port=args.gdb, devices=extra, console_fd=console_fd,
                            cpus=args.cpus)

    if args.dry_run:
        binary, why = qemu_for(args.machine)
        say(f"skiff run: QEMU: {binary} ({why})")
        print(shlex.join(build("/proc/self/fd/1", "/proc/self/fd/3", 4)))
        return 0
    if args.gdb is not None:
        debug = args.image + ".debug"
        symbols = debug if os.path.exists(debug) else args.image
        say(f"skiff run: VM paused, gdb stub on 127.0.0.1:{args.gdb}; connect with: "
            f"gdb {shlex.quote(symbols)} -ex 'target remote 127.0.0.1:{args.gdb}'")
    return run_vm(build, timeout=args.timeout, quiet=args.quiet,
                  verbose=os.environ.get("SKIFF_VERBOSE") == "1", console=True)


def _tty_karg():
    """`ttys=DIGITS ` naming which of skiff's fds 0-2 are terminals (the guest's isatty);
    nothing when none is."""
    ttys = "".join(str(fd) for fd in (0, 1, 2) if os.isatty(fd))
    return f"ttys={ttys} " if ttys else ""
