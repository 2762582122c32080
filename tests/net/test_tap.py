"""Tap devices inside network namespaces the tests create and delete: ICMP ping from the host
side into the guest, TCP echo without slirp, DNS through lwIP against a local responder, and
DHCP giving up with ENETUNREACH. Skipped (with a SKIP line) without /dev/net/tun or `ip netns`."""
import os
import subprocess
import sys
import textwrap

import netutil
import test_echo

HOST_IP, GUEST_IP = "192.168.77.1", "192.168.77.2"

# Inside the namespace: ICMP echo requests by a raw socket (no ping binary needed),
# then a TCP echo round trip of 1 MiB.
PROBE = netutil.ECHO_ROUNDTRIP + textwrap.dedent(r"""
    import os, socket, struct, sys, time
    def csum(b):
        if len(b) % 2: b += b"\0"
        s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
        s = (s >> 16) + (s & 0xffff); s += s >> 16
        return ~s & 0xffff
    guest = sys.argv[1]
    icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    icmp.settimeout(2)
    replies = 0
    for seq in range(1, 6):
        body = struct.pack("!HH", 0x51ff, seq) + b"skiff-ping" * 5
        pkt = struct.pack("!BBH", 8, 0, 0) + body
        pkt = pkt[:2] + struct.pack("!H", csum(pkt)) + pkt[4:]
        icmp.sendto(pkt, (guest, 0))
        deadline = time.time() + 2
        while time.time() < deadline:
            try:
                data, addr = icmp.recvfrom(2048)
            except socket.timeout:
                break
            ihl = (data[0] & 15) * 4
            if addr[0] == guest and data[ihl] == 0 and data[ihl + 4:] == body:
                replies += 1
                break
    print("ping replies", replies)
    s = socket.create_connection((guest, 7), timeout=10)
    start = time.time()
    same, _ = echo_roundtrip(s, os.urandom(1 << 20))
    print("tcp echo", "ok" if same else "DIFFERS", "%.3f s" % (time.time() - start))
""")

# Inside the namespace: a DNS responder on HOST_IP:53 that knows one name.
DNS_SERVER = textwrap.dedent(r"""
    import socket, struct, sys
    known = {b"skiff.test": bytes([192, 168, 77, 9])}
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[1], 53))
    print("dns ready", flush=True)
    while True:
        q, peer = s.recvfrom(512)
        qid, flags, qd = struct.unpack("!HHH", q[:6])
        i, labels = 12, []
        while q[i]:
            labels.append(q[i + 1:i + 1 + q[i]]); i += 1 + q[i]
        question = q[12:i + 5]
        name = b".".join(labels).lower()
        ip = known.get(name)
        head = struct.pack("!HHHHHH", qid, 0x8180 if ip else 0x8183, 1, 1 if ip else 0, 0, 0)
        answer = struct.pack("!HHHIH", 0xc00c, 1, 1, 60, 4) + ip if ip else b""
        s.sendto(head + question + answer, peer)
""")


def tap_namespace(tag):
    return netutil.tap_namespace(tag, HOST_IP)


def test_ping_and_tcp_over_tap_in_netns():
    with netutil.echo_on_tap("ping", test_echo.image(), HOST_IP, GUEST_IP) as (ns, g):
        if ns is None:
            return
        out = netutil.run_in_namespace(ns, PROBE, GUEST_IP, guest=g, timeout=120)
        assert "ping replies 5" in out, f"{out}\n{g.log()}"
        assert "tcp echo ok" in out, f"{out}\n{g.log()}"


def netcheck():
    return netutil.build("netcheck", ["tests/net/guest/netcheck/main.c"])


def test_dns_lookups_through_lwip():
    img = netcheck()
    with tap_namespace("dns") as ns:
        if ns is None:
            return
        server = subprocess.Popen([*ns, sys.executable, "-c", DNS_SERVER, HOST_IP],
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout.readline().strip() == "dns ready"
            with netutil.Guest(img, ["--net", "tap:tap0", "--append",
                                     f"ip={GUEST_IP}/24 gw={HOST_IP} dns={HOST_IP}"],
                               app_args=["resolve", "skiff.test", "localhost", "10.1.2.3"],
                               prefix=ns) as g:
                status, out = g.finish()
            assert status == 0, g.log()
            assert "skiff.test is 192.168.77.9" in out, g.log()
            assert "localhost is 127.0.0.1" in out and "10.1.2.3 is 10.1.2.3" in out, out
            with netutil.Guest(img, ["--net", "tap:tap0", "--append",
                                     f"ip={GUEST_IP}/24 dns={HOST_IP}"],
                               app_args=["resolve", "nosuch.test"], prefix=ns) as g:
                status, out = g.finish()
            assert status == 1 and "nosuch.test: getaddrinfo: Name or service not known" in out, \
                g.log()
        finally:
            server.kill()
            server.wait()


def test_dhcp_without_server_gives_enetunreach():
    img = netcheck()
    with tap_namespace("dhcp") as ns:
        if ns is None:
            return
        with netutil.Guest(img, ["--net", "tap:tap0"], app_args=["socket"], prefix=ns) as g:
            status, out = g.finish(seconds=40)
        assert status == 1 and "socket failed: ENETUNREACH" in out, g.log()
        assert "DHCP gave net0 no address" in g.log(), g.log()


if __name__ == "__main__":
    netutil.run_tests(globals())
