"""`skiff run` device options: --net user|tap[:IF]|udp:L:R|none, --port [udp:]H:G, --disk FILE -> QEMU args."""
import argparse
import os
import socket

from .common import EXIT_USAGE, EXIT_VM_DID_NOT_START, CliError
from .elfimage import ElfImage, NotAnImage

NET_NOTE = (b"skiff", 0x101)   # net/net_start.c: the image links the network stack
TAP_DEFAULT = "tap0"

# virtio-mmio on microvm, virtio-pci elsewhere.
_TRANSPORT = {"microvm": "device", "pc": "pci", "q35": "pci"}


def add_arguments(p):
    p.add_argument("--net", metavar="user|tap[:IF]|udp:L:R|none", type=_net_mode, default=None,
                   help="network: user = QEMU's user-mode NAT, no root needed (the default "
                   "for images that use sockets); tap[:IF] = an existing tap device "
                   f"(default {TAP_DEFAULT}); udp:L:R = raw Ethernet frames, one per UDP "
                   "datagram, received on 127.0.0.1:L and sent to 127.0.0.1:R (for a "
                   "userspace relay, e.g. the fault tests' lossy link); none = no network "
                   "device")
    p.add_argument("--port", metavar="[udp:]H:G", type=_port_forward, action="append",
                   default=[], help="forward 127.0.0.1:H on the host to guest port G "
                   "(TCP, or UDP with udp:); repeatable; needs --net user and an image that "
                   "uses sockets")
    p.add_argument("--disk", metavar="FILE",
                   help="attach FILE as a raw virtio-blk disk (the app sees /dev/vda)")


def _net_mode(text):
    if text in ("user", "none"):
        return (text, None)
    if text == "tap" or text.startswith("tap:"):
        ifname = text[4:] or TAP_DEFAULT
        if not ifname or len(ifname) > 15 or not all(c.isalnum() or c in "-_." for c in ifname):
            raise argparse.ArgumentTypeError(f"bad tap interface name: {ifname!r}")
        return ("tap", ifname)
    if text.startswith("udp:"):
        ports = text[4:].split(":")
        if len(ports) != 2 or not all(p.isdigit() and 1 <= int(p) <= 65535 for p in ports) \
                or ports[0] == ports[1]:
            raise argparse.ArgumentTypeError(
                f"expected udp:LOCALPORT:REMOTEPORT (two different ports), not {text!r}")
        return ("udp", (int(ports[0]), int(ports[1])))
    raise argparse.ArgumentTypeError(f"expected user, tap[:IF], udp:L:R or none, not {text!r}")


def _port_forward(text):
    proto, rest = ("udp", text[4:]) if text.startswith("udp:") else \
        ("tcp", text[4:] if text.startswith("tcp:") else text)
    parts = rest.split(":")
    if len(parts) != 2 or not all(p.isdigit() and 1 <= int(p) <= 65535 for p in parts):
        raise argparse.ArgumentTypeError(f"expected [udp:]HOSTPORT:GUESTPORT, not {text!r}")
    return (proto, int(parts[0]), int(parts[1]))


def uses_network(image):
    """Does the image link the network stack (its ELF carries net_start.c's note)?"""
    try:
        return NET_NOTE in [(owner, kind) for owner, kind, _ in ElfImage(image).notes()]
    except (OSError, NotAnImage):
        return False


def _bind_like_qemu(sock, port):
    """Bind as QEMU binds its own sockets (libslirp's hostfwd and -netdev socket set
    SO_REUSEADDR): a port whose last connections sit in TIME_WAIT, because the guest
    closed them first, is free for QEMU and so for this check; a listener is not."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))


def _check_ports_free(forwards):
    """A busy host port makes QEMU fail with a long message; say it in one line first."""
    for proto, host, _ in forwards:
        kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
        with socket.socket(socket.AF_INET, kind) as s:
            try:
                _bind_like_qemu(s, host)
            except OSError as err:
                raise CliError(f"--port: {proto} port {host} on 127.0.0.1 is not free "
                               f"({err.strerror})", EXIT_VM_DID_NOT_START) from None


def transport(machine):
    """virtio-mmio on microvm ("device"), virtio-pci elsewhere ("pci")."""
    return _TRANSPORT.get(machine, "pci")


def qemu_args(args, machine, image=None):
    """QEMU arguments for --net/--port/--disk on `machine` (microvm, pc or q35)."""
    transport = _TRANSPORT.get(machine, "pci")
    networked = bool(image) and uses_network(image)
    mode, ifname = args.net or (("user", None) if networked else ("none", None))
    networks = getattr(args, "networks", [])
    if image and not networked and (args.port or mode != "none" or networks):
        what = "--port" if args.port else "--network" if networks else f"--net {mode}"
        raise CliError(f"{what}: {os.path.basename(image)} has no network stack (the program "
                       "never calls socket(), so skiff build linked neither lwIP nor "
                       "virtio-net)", EXIT_USAGE)
    if args.port and mode != "user":
        raise CliError("--port needs --net user (with a tap device, reach the guest "
                       "at its own address)", EXIT_USAGE)
    argv = []
    if mode != "none":
        if mode == "user":
            _check_ports_free(args.port)
            netdev = "user,id=net0" + "".join(
                f",hostfwd={proto}:127.0.0.1:{host}-:{guest}"
                for proto, host, guest in args.port)
        elif mode == "udp":
            local, remote = ifname
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                try:
                    _bind_like_qemu(s, local)
                except OSError as err:
                    raise CliError(f"--net udp: udp port {local} on 127.0.0.1 is not free "
                                   f"({err.strerror})", EXIT_VM_DID_NOT_START) from None
            netdev = f"socket,id=net0,udp=127.0.0.1:{remote},localaddr=127.0.0.1:{local}"
        else:
            if not os.path.exists(f"/sys/class/net/{ifname}"):
                raise CliError(f"--net tap:{ifname}: no such network interface (create it "
                               f"first: ip tuntap add {ifname} mode tap)", EXIT_VM_DID_NOT_START)
            netdev = f"tap,id=net0,ifname={ifname},script=no,downscript=no"
        argv += ["-netdev", netdev, "-device", f"virtio-net-{transport},netdev=net0"]
    if args.disk:
        if not os.path.isfile(args.disk):
            raise CliError(f"--disk {args.disk}: no such file (create one, e.g. "
                           f"truncate -s 64M {args.disk})", EXIT_VM_DID_NOT_START)
        if not os.access(args.disk, os.R_OK | os.W_OK):
            raise CliError(f"--disk {args.disk}: not readable and writable", EXIT_VM_DID_NOT_START)
        path = os.path.abspath(args.disk).replace(",", ",,")
        argv += ["-drive", f"file={path},format=raw,if=none,id=disk0,cache=writeback",
                 "-device", f"virtio-blk-{transport},drive=disk0"]
    return argv
