"""`skiff virt-xml IMAGE [run options] [-- ARGS]`: a libvirt domain booting IMAGE as `skiff run` would."""
import argparse
import os
import shutil
import subprocess
import tempfile

from . import accel, devices, netpriv, runenv, volumes
from .cmd_run import (GUEST_CMDLINE_MAX, HOST_CHECKS_OFF, add_cpus_option, add_run_options,
                      check_image, check_network_options)
from .common import EXIT_USAGE, EXIT_VM_DID_NOT_START, CliError
from .libvirt_xml import domain_xml

DEFAULT_URI = "qemu:///system"
LIBVIRT_PACKAGES = "libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu"

EPILOG = """\
The domain is q35 with direct kernel boot (libvirt 9.0 has no microvm), TCG or KVM as
skiff run would pick. Its console is COM1 (a pty for `virsh console`, or --console FILE);
the kernel log, with the final `skiff: exit N` line that carries the app's exit status,
goes there too unless --log FILE keeps it apart (a <qemu:commandline> passthrough: QEMU
itself writes FILE, so its folder must be writable by libvirt's QEMU user). The app's
exit powers the guest off (ACPI) and libvirt destroys the domain. --net user is libvirt's
<interface type='user'>; with --port (127.0.0.1:H to guest port G) it is QEMU's user-mode
netdev with hostfwd in a <qemu:commandline> passthrough, because Debian 12's libvirt 9.0
rejects the passt backend that libvirt's own <portForward> needs. -v HOST:GUEST is a
<filesystem> (virtio-9p, accessmode squash: QEMU's security_model=none, as skiff run).
--cpus N is <vcpu>N</vcpu> (the kernel starts the others from the ACPI MADT).

exit status:
  0    the XML was printed (with --create: the domain was started)
  2    a bad option, or one libvirt cannot express (--timeout, --gdb, --quiet,
       --machine microvm or efi, --network, --ip)
  125  a missing or non-skiff image, too little --mem, a missing --disk; with --create:
       virsh or libvirtd missing or refusing the domain
"""


def add_parser(commands):
    p = commands.add_parser(
        "virt-xml", help="print a libvirt domain that boots an image",
        usage="skiff virt-xml IMAGE [options] [-- ARGS...]", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Print a libvirt domain XML that boots IMAGE (a PVH ELF from skiff build) "
        "with the memory, kernel command line, app arguments, network, port forwards and "
        "disk that `skiff run` would give it. Feed it to `virsh create`.")
    add_run_options(p)
    add_cpus_option(p, "the domain's <vcpu>")
    p.add_argument("--name", metavar="NAME",
                   help="the domain's name (default: the image's file name without suffix)")
    p.add_argument("--console", metavar="FILE",
                   help="write COM1 (the app's stdout, and the kernel log without --log) to "
                   "FILE instead of a pty")
    p.add_argument("--log", metavar="FILE",
                   help="the kernel log (and the app's stderr) to FILE through a QEMU "
                   "passthrough debugcon")
    p.add_argument("--create", action="store_true",
                   help="start the domain with `virsh create` instead of printing it")
    p.add_argument("--connect", metavar="URI", default=DEFAULT_URI,
                   help=f"libvirt URI for --create (default {DEFAULT_URI})")
    p.set_defaults(func=main, app_args=[])
    return p


def _refuse_inexpressible(args):
    """One line for each skiff run option that has no libvirt equivalent."""
    if args.networks or args.ips:
        flag = "--network" if args.networks else "--ip"
        raise CliError(f"{flag}: libvirt cannot express it (a private network's address "
                       "lease lives as long as the skiff run that holds it)", EXIT_USAGE)
    if args.machine in ("microvm", "efi"):
        why = ("libvirt 9.0 refuses microvm (no PCI buses); the domain is q35"
               if args.machine == "microvm" else
               "for UEFI, build a disk (skiff build -o app.qcow2) and import it "
               "(virt-install --import --boot uefi)")
        raise CliError(f"--machine {args.machine}: libvirt cannot express it: {why}", EXIT_USAGE)
    for flag, value, why in (
            ("--timeout", args.timeout, "libvirt has no run-time limit; use virsh destroy"),
            ("--gdb", args.gdb, "use virsh qemu-monitor-command NAME --hmp gdbserver"),
            ("--quiet", args.quiet, "the kernel log is the console's; use --log FILE")):
        if value:
            raise CliError(f"{flag}: libvirt cannot express it ({why})", EXIT_USAGE)


def _absolute_output(path, flag):
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise CliError(f"{flag} {path}: no such folder {folder}", EXIT_USAGE)
    return os.path.abspath(path)


def build_xml(args):
    """The domain XML for the parsed options (skiff run's checks and command line)."""
    _refuse_inexpressible(args)
    args.machine = args.machine or "q35"
    check_network_options(args)
    mem = check_image(args.image, args.mem)
    cmdline = runenv.run_cmdline(args, GUEST_CMDLINE_MAX, not HOST_CHECKS_OFF,
                                 netpriv.kernel_words([], args.add_hosts))
    net = devices.net_mode(args, args.image)
    if net[0] == "user":
        devices.check_ports_free(args.port)
    disk = devices.check_disk(args.disk) if args.disk else None
    name = args.name or runenv.default_hostname(args.image)
    if not name or "/" in name:
        raise CliError(f"--name {name!r}: not a domain name", EXIT_USAGE)
    chosen = accel.choose(quiet=True)
    return domain_xml(
        name=name, kernel=os.path.abspath(args.image), cmdline=cmdline, mem_bytes=mem,
        virt_type="kvm" if chosen == "kvm" else "qemu", machine=args.machine,
        console=_absolute_output(args.console, "--console") if args.console else None,
        log_path=_absolute_output(args.log, "--log") if args.log else None,
        net=net, forwards=args.port, disk=disk, shares=volumes.volumes(args), vcpus=args.cpus)


def virsh_create(xml, uri):
    """`virsh -c URI create`: one line naming what to install when libvirt is missing."""
    virsh = shutil.which("virsh")
    if virsh is None:
        raise CliError(f"virsh not found: install {LIBVIRT_PACKAGES} "
                       "(apt-get install ...) and start libvirtd", EXIT_VM_DID_NOT_START)
    with tempfile.NamedTemporaryFile("w", suffix=".xml", prefix="skiff-domain-") as f:
        f.write(xml)
        f.flush()
        result = subprocess.run([virsh, "-q", "-c", uri, "create", f.name],
                                stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        why = (result.stderr.strip().splitlines() or ["virsh failed"])
        text = " ".join(line.strip() for line in why if line.strip())
        if "Failed to connect" in text or "failed to connect" in text:
            raise CliError(f"cannot reach libvirtd at {uri}: install {LIBVIRT_PACKAGES} and "
                           f"start libvirtd ({text})", EXIT_VM_DID_NOT_START)
        raise CliError(f"virsh create failed: {text}", EXIT_VM_DID_NOT_START)
    print(result.stdout.strip())
    return 0


def main(args):
    xml = build_xml(args)
    if args.create:
        return virsh_create(xml, args.connect)
    print(xml, end="")
    return 0
