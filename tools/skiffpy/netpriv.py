"""`skiff run --network NAME [--ip ADDR[/LEN]]` and `--add-host NAME:ADDR`: private Layer-2
segments between instances on loopback multicast, their address leases, the hosts table.

A network is a QEMU `-netdev socket,mcast=GROUP:PORT,localaddr=127.0.0.1`: every VM on it
joins one multicast group on the host's loopback interface and sees every Ethernet frame the
others send (a hub), with no root and nothing leaving the host. The registry (one JSON file
under a lock in the runtime directory) records, for each network with a running instance, its
subnet, its group and port, and one lease per address naming the `skiff run` process that
holds it (PID and start time). A lease goes when its process exits (or, after a SIGKILL, the
next time anyone takes the lock and finds the process gone); a network goes with its last
lease.

- GROUP:PORT: derived from a hash of NAME (239.255.X.Y, the IPv4 local scope, and a UDP port
  in 20000-29999, below Linux's ephemeral range), then probed forward while a live network
  already has that group or that port (or the port is taken on the host), so two networks
  never share a channel. The pair is kept while the network lives.
- Subnet: the first instance's `--ip A.B.C.D[/LEN]` defines it (LEN 24 by default); without
  --ip, 10.X.Y.0/24 derived from NAME in 10.128.0.0/10 (probed past live networks' subnets;
  never QEMU's user-mode 10.0.2.0/24). Later instances must fit it.
- Address: the --ip given (refused outside the subnet, or when another live instance holds
  it), else the lowest free host address from .2 (.1 is left free, as Docker's gateway).
- MAC: 02:73 then the four address bytes, unique on a segment since addresses are.
The guest gets `nic=MAC,ADDR/LEN` per network (net/net_private.c matches NICs by MAC)."""
import contextlib
import fcntl
import hashlib
import ipaddress
import json
import os
import re
import socket

from .common import EXIT_USAGE, EXIT_VM_DID_NOT_START, CliError

NETWORKS_MAX = 3          # net/net_start.c NETIF_MAX 4, one kept for the user-mode NIC
DEFAULT_PREFIX = 24
PORT_BASE, PORT_SPAN = 20000, 10000
DEFAULT_SUPERNET = ipaddress.ip_network("10.128.0.0/10")
USER_MODE_SUBNET = ipaddress.ip_network("10.0.2.0/24")   # QEMU's slirp default
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def add_arguments(p):
    p.add_argument("--network", dest="networks", action="append", default=[], metavar="NAME",
                   help="also attach a NIC to the private network NAME, shared by every "
                   f"instance that names it (repeatable, at most {NETWORKS_MAX})")
    p.add_argument("--ip", dest="ips", action="append", default=[], metavar="ADDR[/LEN]",
                   help="this instance's address on the matching --network (the first --ip "
                   "goes with the first --network, and so on); default: a free one")
    p.add_argument("--add-host", dest="add_hosts", action="append", default=[],
                   metavar="NAME:ADDR", help="NAME resolves to ADDR in the guest "
                   "(getaddrinfo, gethostbyname), before DNS; repeatable")


def runtime_dir():
    """Where the registry lives: $SKIFF_RUNTIME_DIR, else $XDG_RUNTIME_DIR/skiff, else
    /tmp/skiff-UID (made 0700)."""
    path = os.environ.get("SKIFF_RUNTIME_DIR")
    if not path:
        xdg = os.environ.get("XDG_RUNTIME_DIR")
        path = os.path.join(xdg, "skiff") if xdg else f"/tmp/skiff-{os.getuid()}"
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


# ---------------------------------------------------------------- --add-host

def host_words(specs):
    """`host=NAME:ADDR` kernel words for --add-host; a malformed one exits 125."""
    words = []
    for spec in specs:
        name, colon, addr = spec.partition(":")
        labels = name.rstrip(".").split(".") if name else []
        if not colon or not labels or not all(_HOST_LABEL.match(label) for label in labels) \
                or len(name) > 253:
            raise CliError(f"--add-host {spec!r}: expected NAME:ADDR with NAME a host name "
                           "(letters, digits, '-', dots)", EXIT_VM_DID_NOT_START)
        try:
            ipaddress.IPv4Address(addr)
        except ValueError:
            raise CliError(f"--add-host {spec!r}: {addr!r} is not an IPv4 address "
                           "(A.B.C.D)", EXIT_VM_DID_NOT_START) from None
        words.append(f"host={name}:{addr}")
    return words


# ------------------------------------------------------------------- leases

def _start_time(pid):
    """The process's start time in clock ticks (/proc/PID/stat field 22), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    return stat[stat.rfind(")") + 2:].split()[19]


def _holder():
    pid = os.getpid()
    return f"{pid}:{_start_time(pid)}"


def _alive(holder):
    pid, _, start = holder.partition(":")
    return pid.isdigit() and _start_time(int(pid)) == start


def _hash(name, salt):
    return int.from_bytes(hashlib.sha256(f"{salt}:{name}".encode()).digest()[:8], "big")


def _port_usable(group, port):
    """Can QEMU bind GROUP:PORT (it sets SO_REUSEADDR, as other instances of ours do)?"""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((group, port))
        except OSError:
            return False
    return True


def _new_channel(name, networks):
    groups = {n["group"] for n in networks.values()}
    ports = {n["port"] for n in networks.values()}
    start = _hash(name, "channel")
    for k in range(4096):
        c = (start + k) % (1 << 16)
        group, port = f"239.255.{c >> 8}.{c & 255}", PORT_BASE + (start + k) % PORT_SPAN
        if group not in groups and port not in ports and _port_usable(group, port):
            return group, port
    raise CliError(f"--network {name}: no free multicast group and port", EXIT_VM_DID_NOT_START)


def _default_subnet(name, networks):
    taken = [ipaddress.ip_network(n["subnet"]) for n in networks.values()]
    count = 1 << (DEFAULT_PREFIX - DEFAULT_SUPERNET.prefixlen)
    start = _hash(name, "subnet")
    base = int(DEFAULT_SUPERNET.network_address)
    for k in range(count):
        index = (start + k) % count
        net = ipaddress.ip_network((base + (index << (32 - DEFAULT_PREFIX)), DEFAULT_PREFIX))
        if not any(net.overlaps(t) for t in taken):
            return net
    raise CliError(f"--network {name}: no free default subnet", EXIT_VM_DID_NOT_START)


def _parse_ip(text):
    """(address, prefix or None) from --ip ADDR[/LEN]."""
    addr, slash, prefix = text.partition("/")
    try:
        ip = ipaddress.IPv4Address(addr)
    except ValueError:
        raise CliError(f"--ip {text!r}: not an IPv4 address (A.B.C.D[/LEN])",
                       EXIT_VM_DID_NOT_START) from None
    if slash and not (prefix.isdigit() and 8 <= int(prefix) <= 30):
        raise CliError(f"--ip {text!r}: the prefix length must be 8 to 30",
                       EXIT_VM_DID_NOT_START)
    return ip, int(prefix) if slash else None


class Attachment:
    """One NIC on one private network."""

    def __init__(self, name, ip, subnet, group, port):
        self.name, self.ip, self.subnet = name, ip, subnet
        self.group, self.port = group, port
        self.mac = "02:73:" + ":".join(f"{b:02x}" for b in ip.packed)

    def karg(self):
        return f"nic={self.mac},{self.ip}/{self.subnet.prefixlen}"

    def qemu_args(self, transport, index):
        dev = f"pnet{index}"
        return ["-netdev", f"socket,id={dev},mcast={self.group}:{self.port},localaddr=127.0.0.1",
                "-device", f"virtio-net-{transport},netdev={dev},mac={self.mac}"]


class Registry:
    """The leases file under its lock: `with Registry() as reg:` loads it, purged of leases
    whose process is gone; leaving the block saves it."""

    def __init__(self):
        self.dir = runtime_dir()
        self.path = os.path.join(self.dir, "networks.json")
        self.networks = {}

    def __enter__(self):
        self.lock = open(os.path.join(self.dir, "networks.lock"), "a")
        fcntl.flock(self.lock, fcntl.LOCK_EX)
        try:
            with open(self.path) as f:
                self.networks = json.load(f)
        except (OSError, ValueError):
            self.networks = {}
        for name in list(self.networks):
            net = self.networks[name]
            net["leases"] = {a: h for a, h in net.get("leases", {}).items() if _alive(h)}
            if not net["leases"]:
                del self.networks[name]
        return self

    def __exit__(self, exc_type, *_):
        try:
            if exc_type is None:
                tmp = self.path + f".{os.getpid()}"
                with open(tmp, "w") as f:
                    json.dump(self.networks, f, indent=1, sort_keys=True)
                os.replace(tmp, self.path)
        finally:
            self.lock.close()          # releases the flock
        return False


def _check_names(names, ips):
    if len(names) > NETWORKS_MAX:
        raise CliError(f"--network: at most {NETWORKS_MAX} networks per instance", EXIT_USAGE)
    if len(ips) > len(names):
        raise CliError("--ip: each --ip goes with a --network (the first with the first); "
                       f"{len(ips)} --ip for {len(names)} --network", EXIT_USAGE)
    for name in names:
        if not _NAME.match(name):
            raise CliError(f"--network {name!r}: letters, digits, '_', '.', '-' (at most 64)",
                           EXIT_USAGE)
    if len(set(names)) != len(names):
        raise CliError("--network: the same network named twice", EXIT_USAGE)


def _lease(reg, name, ip_text, holder):
    ip, prefix = _parse_ip(ip_text) if ip_text else (None, None)
    net = reg.networks.get(name)
    if net is None:
        if ip is not None:
            subnet = ipaddress.ip_interface(f"{ip}/{prefix or DEFAULT_PREFIX}").network
        else:
            subnet = _default_subnet(name, reg.networks)
        group, port = _new_channel(name, reg.networks)
        net = {"subnet": str(subnet), "group": group, "port": port, "leases": {}}
    subnet = ipaddress.ip_network(net["subnet"])
    if ip is not None:
        if prefix is not None and prefix != subnet.prefixlen or ip not in subnet:
            raise CliError(f"--ip {ip_text}: outside network {name}'s subnet {subnet}",
                           EXIT_VM_DID_NOT_START)
        if ip in (subnet.network_address, subnet.broadcast_address):
            raise CliError(f"--ip {ip_text}: the {'network' if ip == subnet.network_address else 'broadcast'} "
                           f"address of {subnet}, not a host's", EXIT_VM_DID_NOT_START)
        owner = net["leases"].get(str(ip))
        if owner is not None:
            raise CliError(f"--ip {ip}: already in use on network {name} (by skiff run pid "
                           f"{owner.partition(':')[0]})", EXIT_VM_DID_NOT_START)
    else:
        hosts = subnet.hosts()
        next(hosts, None)                 # .1 stays free, as Docker's gateway
        ip = next((h for h in hosts if str(h) not in net["leases"]), None)
        if ip is None:
            raise CliError(f"--network {name}: no free address left in {subnet}",
                           EXIT_VM_DID_NOT_START)
    net["leases"][str(ip)] = holder
    reg.networks[name] = net
    return Attachment(name, ip, subnet, net["group"], net["port"])


def _check_overlaps(attachments, user_mode):
    for i, a in enumerate(attachments):
        if user_mode and a.subnet.overlaps(USER_MODE_SUBNET):
            raise CliError(f"--network {a.name}: its subnet {a.subnet} overlaps the user-mode "
                           f"network {USER_MODE_SUBNET}", EXIT_VM_DID_NOT_START)
        for b in attachments[i + 1:]:
            if a.subnet.overlaps(b.subnet):
                raise CliError(f"--network {a.name} and {b.name}: their subnets {a.subnet} "
                               f"and {b.subnet} overlap", EXIT_VM_DID_NOT_START)


@contextlib.contextmanager
def leases(args, user_mode):
    """Take a lease on each --network for the life of the block; yields the Attachments."""
    names, ips = args.networks, args.ips
    if not names:
        yield []
        return
    _check_names(names, ips)
    holder = _holder()
    with Registry() as reg:
        attachments = [_lease(reg, name, ips[i] if i < len(ips) else None, holder)
                       for i, name in enumerate(names)]
        _check_overlaps(attachments, user_mode)   # raising here saves nothing
    try:
        yield attachments
    finally:
        with Registry() as reg:
            for a in attachments:
                net = reg.networks.get(a.name)
                if net and net["leases"].get(str(a.ip)) == holder:
                    del net["leases"][str(a.ip)]
                    if not net["leases"]:
                        del reg.networks[a.name]


def qemu_args(attachments, transport):
    return [arg for i, a in enumerate(attachments) for arg in a.qemu_args(transport, i)]


def kernel_words(attachments, add_hosts):
    return [a.karg() for a in attachments] + host_words(add_hosts)


def check_syntax(args):
    """Errors that need no registry (before anything else is done)."""
    host_words(args.add_hosts)
    _check_names(args.networks, args.ips)
    for text in args.ips:
        _parse_ip(text)

