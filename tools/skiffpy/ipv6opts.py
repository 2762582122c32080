"""`skiff run` IPv6 options: --ip6 ADDR[/64] and --gw6 ADDR -> the ip6= and gw6= kernel arguments."""
import argparse
import ipaddress


def add_arguments(p):
    p.add_argument("--ip6", metavar="ADDR[/64]", type=_ip6_iface, default=None,
                   help="a static IPv6 address for the guest's network device, beside its "
                   "link-local address and any address from router advertisements (SLAAC); "
                   "the prefix length is 64 (the default)")
    p.add_argument("--gw6", metavar="ADDR", type=_ip6_gateway, default=None,
                   help="the IPv6 next hop for destinations off the /64 (default: a router "
                   "from advertisements)")


def _ip6_iface(text):
    addr, _, prefix = text.partition("/")
    try:
        a = ipaddress.IPv6Address(addr)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an IPv6 address: {addr!r}") from None
    if prefix not in ("", "64"):
        raise argparse.ArgumentTypeError(
            f"prefix length /{prefix} in {text!r}: only /64 is supported (lwIP treats a "
            "global address's /64 as on-link)")
    if a.is_unspecified or a.is_multicast or a.is_loopback or a.is_link_local \
            or a.ipv4_mapped is not None:
        raise argparse.ArgumentTypeError(
            f"{addr} is not a unicast global or site address (link-local addresses come "
            "from the MAC address by themselves)")
    return str(a)


def _ip6_gateway(text):
    try:
        a = ipaddress.IPv6Address(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an IPv6 address: {text!r}") from None
    if a.is_unspecified or a.is_multicast:
        raise argparse.ArgumentTypeError(f"{text} is not a unicast address")
    return str(a)


def kargs(args):
    """The kernel arguments the options stand for (a leading space when any)."""
    out = ""
    if getattr(args, "ip6", None):
        out += f" ip6={args.ip6}/64"
    if getattr(args, "gw6", None):
        out += f" gw6={args.gw6}"
    return out
