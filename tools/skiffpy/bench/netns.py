"""The bench's own network namespaces: a client namespace with a tap (for the VMs) and one end of a veth pair whose other end is a server namespace (container, process)."""
import contextlib
import os
import shutil
import signal
import subprocess

CLIENT_TAP_IP, GUEST_TAP_IP = "192.168.78.1", "192.168.78.2"
CLIENT_VETH_IP, SERVER_VETH_IP = "192.168.79.1", "192.168.79.2"
TAP = "tap0"


def missing():
    """None when namespaces with a tap can be made here, else why not (one line)."""
    if os.geteuid() != 0:
        return "needs root (ip netns, a tap device)"
    if not shutil.which("ip"):
        return "no `ip` command (iproute2)"
    if not os.path.exists("/dev/net/tun"):
        return "no /dev/net/tun"
    return None


def _ip(*args):
    result = subprocess.run(["ip", *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=30)
    if result.returncode != 0:
        raise OSError(f"ip {' '.join(args)}: {result.stdout.strip()}")


class Namespaces:
    """client: `ip netns exec` prefix of the namespace holding tap0 (CLIENT_TAP_IP/24, the
    VMs' side) and veth0 (CLIENT_VETH_IP/24); server: the prefix of the namespace holding
    veth1 (SERVER_VETH_IP/24), where the container and the process run. Both are deleted,
    with whatever still runs in them, on leaving."""

    def __init__(self, tag):
        self.names = (f"skiff-{tag}-{os.getpid()}-c", f"skiff-{tag}-{os.getpid()}-s")
        self.client = ["ip", "netns", "exec", self.names[0]]
        self.server = ["ip", "netns", "exec", self.names[1]]
        self.path = f"/var/run/netns/{self.names[1]}"      # the server namespace, for runc

    def __enter__(self):
        try:
            self._create()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _create(self):
        c, s = self.names
        veth = f"nrv{os.getpid() % 100000}"   # the host-side names, gone once moved
        _ip("netns", "add", c)
        _ip("netns", "add", s)
        for ns in (c, s):
            _ip("-n", ns, "link", "set", "lo", "up")
        _ip("-n", c, "tuntap", "add", "dev", TAP, "mode", "tap")
        _ip("-n", c, "addr", "add", f"{CLIENT_TAP_IP}/24", "dev", TAP)
        _ip("-n", c, "link", "set", TAP, "up")
        _ip("link", "add", f"{veth}a", "type", "veth", "peer", "name", f"{veth}b")
        _ip("link", "set", f"{veth}a", "netns", c)
        _ip("link", "set", f"{veth}b", "netns", s)
        _ip("-n", c, "link", "set", f"{veth}a", "name", "veth0")
        _ip("-n", s, "link", "set", f"{veth}b", "name", "veth1")
        _ip("-n", c, "addr", "add", f"{CLIENT_VETH_IP}/24", "dev", "veth0")
        _ip("-n", s, "addr", "add", f"{SERVER_VETH_IP}/24", "dev", "veth1")
        _ip("-n", c, "link", "set", "veth0", "up")
        _ip("-n", s, "link", "set", "veth1", "up")

    def kill_inside(self):
        """SIGKILL to every process still in either namespace (only ours are there)."""
        for ns in self.names:
            result = subprocess.run(["ip", "netns", "pids", ns], stdin=subprocess.DEVNULL,
                                    capture_output=True, text=True)
            for pid in result.stdout.split():
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)

    def __exit__(self, *exc):
        self.kill_inside()
        for ns in self.names:
            subprocess.run(["ip", "netns", "del", ns], stdin=subprocess.DEVNULL,
                           capture_output=True)
        return False
