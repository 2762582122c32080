"""The bench's instance-to-instance path: netsrv in one VM, netcli in another, both skiff or both Linux VM, on one private segment as `skiff run --network` makes it."""
import ipaddress
import os
import socket
import subprocess

from .server import Server
from ..netpriv import Attachment

SUBNET = ipaddress.ip_network("10.77.250.0/24")
SERVER_IP, CLIENT_IP = SUBNET[2], SUBNET[3]
PORT = 7
BOOT_ALLOWANCE_S = 120          # a Linux VM's boot under TCG, with room


def channel():
    """(group, port): a multicast group of this process and a UDP port free on the host now,
    above the 20000-29999 that skiff run --network draws from."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pid = os.getpid()
    return f"239.255.{(pid >> 8) & 255}.{pid & 255}", port


class Segment:
    """One private segment: the server's and the client's NIC (netpriv.Attachment: MAC,
    address, QEMU -netdev socket,mcast=... on 127.0.0.1)."""

    def __init__(self):
        group, port = channel()
        self.server = Attachment("bench", SERVER_IP, SUBNET, group, port)
        self.client = Attachment("bench", CLIENT_IP, SUBNET, group, port)


def _vm_argv(variant, program, mem, nic):
    """The VM's QEMU command line with only the private NIC (as `skiff run --net none
    --network ...`): skiff gets nic=MAC,ADDR/LEN, the Linux VM BENCH_IP on eth0."""
    qemu = nic.qemu_args("device", 0)
    if variant.key == "skiff":
        return variant.argv(program, mem, kernel_args=nic.karg()) + qemu
    return variant.argv(program, mem, net=True,
                        extra_cmdline=f"BENCH_IP={nic.ip}/{SUBNET.prefixlen}", extra_qemu=qemu)


def server(variant, srv_program, mem, segment):
    """netsrv on the segment, as a bench_server.Server (enter waits for its banner)."""
    argv = _vm_argv(variant, srv_program.with_args([str(PORT)]), mem, segment.server)
    return Server(argv, srv_program.marker, cleanup=variant.cleanup)


def client(variant, cli_program, mem, segment, modes, seconds):
    """Boot netcli in a second VM of the same kind against the server; its output (where
    netcli's lines are). ValueError if it did not finish in time."""
    args = [",".join(modes), str(SERVER_IP), str(PORT), str(seconds)]
    argv = _vm_argv(variant, cli_program.with_args(args), mem, segment.client)
    limit = seconds * len(modes) + BOOT_ALLOWANCE_S
    try:
        result = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace",
                                timeout=limit, start_new_session=True)
    except subprocess.TimeoutExpired:
        variant.cleanup()
        raise ValueError(f"the client VM did not finish within {limit} s") from None
    return result.stdout
