"""IPv6: from the host into the guest over a tap in a network namespace the test makes (ping6 to the
link-local and a static global address, TCP and UDP echo, an HTTP GET byte-exact), SLAAC through
QEMU's user-mode network, --port into a dual-stack [::] listener (the peer seen as ::ffff:a.b.c.d),
DAD refusing a taken address, and the name/address functions against the same program built natively."""
import hashlib
import os
import subprocess
import sys
import tempfile
import textwrap

import netutil
import test_echo
import test_httpd

HOST_IP, GUEST_IP = "192.168.78.1", "192.168.78.2"
HOST_IP6, GUEST_IP6 = "fd77::1", "fd77::2"
V6CHECK = "tests/net/guest/v6check/main.c"

# Inside the namespace: find the guest's link-local address (its MAC from the
# neighbour table after a ping to the global address), then ICMPv6 echo to both
# by a raw socket (the kernel sums ICMPv6), TCP echo of 256 KiB to both, UDP
# echo, and one IPv4 TCP echo through the same dual-stack listener.
PROBE = netutil.ECHO_ROUNDTRIP + textwrap.dedent(r"""
    import os, socket, struct, subprocess, sys, time
    glob6, v4 = sys.argv[1], sys.argv[2]
    def ping(dest, n=3):
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        s.settimeout(2)
        got = 0
        for seq in range(1, n + 1):
            body = struct.pack("!HH", 0x5166, seq) + b"skiff-ping6" * 4
            s.sendto(struct.pack("!BBH", 128, 0, 0) + body, dest)
            deadline = time.time() + 3
            while time.time() < deadline:
                try:
                    data, addr = s.recvfrom(2048)
                except socket.timeout:
                    break
                if data[0] == 129 and data[4:] == body:
                    got += 1
                    break
        return got
    # The guest may still be in DAD for its static address: wait for a first reply.
    for _ in range(20):
        if ping((glob6, 0), 1):
            break
        time.sleep(0.5)
    print("ping6 global", ping((glob6, 0)))
    neigh = subprocess.run(["ip", "-6", "neigh", "show", glob6, "dev", "tap0"],
                           capture_output=True, text=True).stdout.split()
    mac = bytes.fromhex(neigh[neigh.index("lladdr") + 1].replace(":", ""))
    eui = bytes([mac[0] ^ 2]) + mac[1:3] + b"\xff\xfe" + mac[3:]
    ll = "fe80::" + ":".join("%x" % int.from_bytes(eui[i:i + 2], "big") for i in range(0, 8, 2))
    scope = socket.if_nametoindex("tap0")
    print("link-local", ll)
    print("ping6 link-local", ping((ll, 0, 0, scope)))
    def tcp_echo(addr, fam, size):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.settimeout(20)
        s.connect(addr)
        same, _ = echo_roundtrip(s, os.urandom(size))
        s.close()
        return "ok" if same else "DIFFERS"
    print("tcp6 global", tcp_echo((glob6, 7), socket.AF_INET6, 256 << 10))
    print("tcp6 link-local", tcp_echo((ll, 7, 0, scope), socket.AF_INET6, 64 << 10))
    print("tcp4", tcp_echo((v4, 7), socket.AF_INET, 64 << 10))
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.settimeout(3)
    ok = 0
    for i in range(3):
        msg = b"udp6-%d-" % i + os.urandom(1000)
        u.sendto(msg, (glob6, 7))
        try:
            data, peer = u.recvfrom(4096)
            ok += data == msg and peer[0] == glob6
        except socket.timeout:
            pass
    print("udp6 replies", ok)
""")

# Inside the namespace: GET a file over IPv6 and print its sha256.
HTTP_GET = textwrap.dedent(r"""
    import hashlib, socket, sys, time
    for _ in range(40):
        try:
            s = socket.create_connection((sys.argv[1], 80), timeout=20)
            break
        except OSError:
            time.sleep(0.5)
    s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    buf = bytearray()
    while True:
        chunk = s.recv(1 << 20)
        if not chunk: break
        buf += chunk
    head, body = bytes(buf).split(b"\r\n\r\n", 1)
    print(head.split(b"\r\n")[0].decode(), len(body), hashlib.sha256(body).hexdigest())
""")


def v6_namespace(tag):
    """tap_namespace with an IPv6 address on tap0 beside the IPv4 one."""
    return netutil.tap_namespace(tag, HOST_IP, HOST_IP6)


def v6check():
    return netutil.build("v6check", [V6CHECK])


def test_ping6_tcp_udp_over_tap():
    img = test_echo.image()
    with v6_namespace("v6echo") as ns:
        if ns is None:
            return
        with netutil.Guest(img, ["--net", "tap:tap0", "--ip6", GUEST_IP6, "--append",
                                 f"ip={GUEST_IP}/24"],
                           ready="echo: listening", prefix=ns) as g:
            out = netutil.run_in_namespace(ns, PROBE, GUEST_IP6, GUEST_IP, guest=g,
                                           timeout=180)
            for line in ("ping6 global 3", "ping6 link-local 3", "tcp6 global ok",
                         "tcp6 link-local ok", "tcp4 ok", "udp6 replies 3"):
                assert line in out, f"no {line!r}:\n{out}\n{g.log()}"


def test_http_get_over_ipv6_byte_exact():
    site = test_httpd.site()
    with v6_namespace("v6http") as ns:
        if ns is None:
            return
        with netutil.Guest(site["image"], ["--net", "tap:tap0", "--mem", "32M", "--ip6",
                                           GUEST_IP6, "--append", f"ip={GUEST_IP}/24"],
                           ready="httpd: serving", prefix=ns) as g:
            out = netutil.run_in_namespace(ns, HTTP_GET, GUEST_IP6, guest=g, timeout=120)
            assert out.split() == ["HTTP/1.1", "200", "OK", str(1 << 20),
                                   site["big_sha"]], f"{out}\n{g.log()}"


def test_duplicate_address_refused_by_dad():
    """The host holds fd77::2 already: the guest's DAD hears it and gives up the address."""
    img = netutil.build("netcheck", ["tests/net/guest/netcheck/main.c"])
    with v6_namespace("v6dad") as ns:
        if ns is None:
            return
        netutil.sh(*ns, "ip", "-6", "addr", "add", f"{GUEST_IP6}/64", "dev", "tap0", "nodad")
        with netutil.Guest(img, ["--net", "tap:tap0", "--ip6", GUEST_IP6, "--append",
                                 f"ip={GUEST_IP}/24"], app_args=["socket"], prefix=ns) as g:
            status, out = g.finish(seconds=60)
        assert status == 1 and "netcheck: socket failed: Address not available" in out, g.log()
        assert "unknown kernel argument" not in g.log(), g.log()
        assert f"ip6={GUEST_IP6}/64 on net0: another host has it (DAD)" in g.log(), g.log()


def test_port_forward_reaches_dual_stack_listener():
    """QEMU 7.2's hostfwd is IPv4 on both sides: an [::] listener gets the
    connection as ::ffff:10.0.2.2, as Linux would report it."""
    port = netutil.free_port()
    with netutil.Guest(v6check(), ["--port", f"{port}:5000"], app_args=["serve", "5000", "1"],
                       ready="v6check: listening") as g:
        s = netutil.connect(port, timeout=30)
        s.sendall(b"through --port\n")
        assert netutil.recv_exact(s, 15) == b"through --port\n"
        s.close()
        status, out = g.finish()
    assert status == 0, g.log()
    assert "listening v6only=0 domain=inet6" in out, out
    assert "accepted inet6 len=28 [::ffff:10.0.2.2]:" in out, out
    assert "peername inet6 len=28 [::ffff:10.0.2.2]:" in out, out
    assert "sockname inet6 len=28 [::ffff:10.0.2.15]:5000" in out, out


def test_v6only_listener_refuses_ipv4_clients():
    """IPV6_V6ONLY=1: the [::] listener no longer takes the IPv4 connection
    --port makes (the guest answers it with a reset; slirp closes the host side)."""
    port = netutil.free_port()
    with netutil.Guest(v6check(), ["--port", f"{port}:5000"],
                       app_args=["serve", "5000", "1", "v6only"],
                       ready="v6check: listening v6only=1") as g:
        s = netutil.connect(port, timeout=30)
        s.settimeout(20)
        try:
            s.sendall(b"refused?\n")
            got = s.recv(100)
        except OSError:
            got = b""
        s.close()
        assert got == b"", got
        assert b"accepted" not in g.out, g.log()


# A TCP server on [ARGV1]:any port (printed) answering `host: ` + what it is sent.
HOST_V6_SERVER = textwrap.dedent(r"""
    import socket, sys
    s = socket.socket(socket.AF_INET6)
    s.bind((sys.argv[1], 0))
    s.listen(8)
    print(s.getsockname()[1], flush=True)
    while True:
        c, a = s.accept()
        c.sendall(b"host: " + c.recv(100))
        c.close()
""")


def test_slaac_address_from_user_mode_network():
    """QEMU's user-mode network advertises fec0::/64; the guest's connection to
    fec0::2 (the host's ::1) leaves from its SLAAC address, EUI-64 from the MAC."""
    server = subprocess.Popen([sys.executable, "-c", HOST_V6_SERVER, "::1"], stdout=subprocess.PIPE,
                              text=True)
    try:
        port = server.stdout.readline().strip()
        assert port.isdigit(), "no ::1 on this host"
        with netutil.Guest(v6check(), app_args=["source", "fec0::2", port]) as g:
            status, out = g.finish()
        assert status == 0, g.log()
        assert "v6check: source inet6 len=28 [fec0::5054:ff:fe12:3456]:" in out, out
        assert "v6check: reply host: hello over ipv6" in out, out
    finally:
        server.kill()
        server.wait()


def test_names_match_native_build():
    """inet_pton/inet_ntop/getaddrinfo/getnameinfo on IPv6 and v4-mapped forms:
    the guest prints what the same program prints on the host (glibc)."""
    native = os.path.join(tempfile.mkdtemp(prefix="skiff-v6check-"), "v6check")
    subprocess.run(["cc", "-O1", "-o", native, os.path.join(netutil.ROOT, V6CHECK)],
                   check=True, timeout=120)
    want = subprocess.run([native, "names"], capture_output=True, text=True, check=True).stdout
    with netutil.Guest(v6check(), app_args=["names"]) as g:
        status, out = g.finish()
    assert status == 0, g.log()
    assert len(want.splitlines()) > 60
    got = out.replace("\r\n", "\n")
    assert got == want, "guest and native differ:\n" + "\n".join(
        f"native: {a}\nguest:  {b}" for a, b in zip(want.splitlines(), got.splitlines())
        if a != b)


def test_static_gateway_reaches_an_off_link_address():
    """gw6=: with no router advertisements on the tap, fd99::1 (off the /64,
    held by the namespace) is reachable only through the static next hop."""
    with v6_namespace("v6gw") as ns:
        if ns is None:
            return
        netutil.sh(*ns, "ip", "-6", "addr", "add", "fd99::1/128", "dev", "lo")
        server = subprocess.Popen([*ns, sys.executable, "-c", HOST_V6_SERVER, "fd99::1"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            port = server.stdout.readline().strip()
            with netutil.Guest(v6check(), ["--net", "tap:tap0", "--ip6", GUEST_IP6, "--gw6",
                                           HOST_IP6, "--append", f"ip={GUEST_IP}/24"],
                               app_args=["source", "fd99::1", port], prefix=ns) as g:
                status, out = g.finish()
            assert status == 0, g.log()
            assert f"v6check: source inet6 len=28 [{GUEST_IP6}]:" in out, out
            assert "v6check: reply host: hello over ipv6" in out, out
        finally:
            server.kill()
            server.wait()


# Inside the namespace: a DNS responder with A and AAAA records (no answer,
# rcode 0, for a known name without the type asked; NXDOMAIN for others).
DNS6_SERVER = textwrap.dedent(r"""
    import socket, struct, sys
    A = {b"both.test": socket.inet_pton(socket.AF_INET, "192.168.78.9"),
         b"four.test": socket.inet_pton(socket.AF_INET, "192.168.78.4")}
    AAAA = {b"both.test": socket.inet_pton(socket.AF_INET6, "fd77::9"),
            b"six.test": socket.inet_pton(socket.AF_INET6, "fd77::6")}
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[1], 53))
    print("dns ready", flush=True)
    while True:
        q, peer = s.recvfrom(512)
        qid = struct.unpack("!H", q[:2])[0]
        i, labels = 12, []
        while q[i]:
            labels.append(q[i + 1:i + 1 + q[i]]); i += 1 + q[i]
        qtype = struct.unpack("!H", q[i + 1:i + 3])[0]
        question = q[12:i + 5]
        name = b".".join(labels).lower()
        rec = (A if qtype == 1 else AAAA if qtype == 28 else {}).get(name)
        known = name in A or name in AAAA
        head = struct.pack("!HHHHHH", qid, 0x8180 if known else 0x8183, 1, 1 if rec else 0, 0, 0)
        answer = struct.pack("!HHHIH", 0xc00c, qtype, 1, 60, len(rec)) + rec if rec else b""
        s.sendto(head + question + answer, peer)
""")


def test_getaddrinfo_names_over_dns_both_families():
    """AF_UNSPEC asks for A and AAAA and orders them as glibc does: IPv4 first
    while the guest has only a link-local IPv6 address, IPv6 first once it has
    a global one; AF_INET6 gets AAAA only, AF_INET A only."""
    with v6_namespace("v6dns") as ns:
        if ns is None:
            return
        server = subprocess.Popen([*ns, sys.executable, "-c", DNS6_SERVER, HOST_IP],
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout.readline().strip() == "dns ready"
            names = ["both.test", "four.test", "six.test", "none.test"]
            outs = {}
            for tag, extra in (("ll", []), ("global", ["--ip6", GUEST_IP6])):
                with netutil.Guest(v6check(), ["--net", "tap:tap0", *extra, "--append",
                                               f"ip={GUEST_IP}/24 dns={HOST_IP}"],
                                   app_args=["resolve", *names], prefix=ns) as g:
                    status, out = g.finish()
                assert status == 0, g.log()
                outs[tag] = out
            v4 = "[inet 1 6 len=16 192.168.78.9 80]"
            v6 = "[inet6 1 6 len=28 fd77::9 80]"
            gai = "gai %s 80 fam=%s type=1 flags=0:"
            assert f"{gai % ('both.test', 'unspec')} {v4} {v6}\n" in outs["ll"], outs["ll"]
            assert f"{gai % ('both.test', 'unspec')} {v6} {v4}\n" in outs["global"], outs
            for out in outs.values():
                assert f"{gai % ('both.test', 'inet6')} {v6}\n" in out, out
                assert f"{gai % ('both.test', 'inet')} {v4}\n" in out, out
                assert (f"{gai % ('four.test', 'unspec')} "
                        "[inet 1 6 len=16 192.168.78.4 80]\n") in out, out
                assert f"{gai % ('four.test', 'inet6')} error -2\n" in out, out
                assert (f"{gai % ('six.test', 'unspec')} "
                        "[inet6 1 6 len=28 fd77::6 80]\n") in out, out
                assert f"{gai % ('six.test', 'inet')} error -2\n" in out, out
                assert f"{gai % ('none.test', 'unspec')} error -2\n" in out, out
        finally:
            server.kill()
            server.wait()


def run(*args):
    r = subprocess.run([netutil.SKIFF, "run", *args], capture_output=True, text=True,
                       timeout=60, env=dict(os.environ, SKIFF_ACCEL="tcg"))
    err = [l for l in r.stderr.splitlines() if "using TCG" not in l]
    return r.returncode, r.stdout, err


def test_ip6_options_become_kernel_arguments_and_bad_ones_say_why():
    echo = test_echo.image()
    status, out, err = run(echo, "--ip6", "FD77::0002", "--gw6", "fe80::1", "--dry-run")
    assert status == 0, err
    assert "ip6=fd77::2/64 gw6=fe80::1" in out, out
    for args, why in (
            (["--ip6", "fd77::2::1"], "argument --ip6: not an IPv6 address: 'fd77::2::1'"),
            (["--ip6", "10.0.2.15"], "argument --ip6: not an IPv6 address: '10.0.2.15'"),
            (["--ip6", "fd77::2/48"], "argument --ip6: prefix length /48 in 'fd77::2/48': "
             "only /64 is supported"),
            (["--ip6", "fe80::2"], "argument --ip6: fe80::2 is not a unicast global or site "
             "address"),
            (["--ip6", "ff02::1"], "is not a unicast global or site address"),
            (["--gw6", "ff02::2"], "argument --gw6: ff02::2 is not a unicast address")):
        status, out, err = run(echo, *args, "--dry-run")
        assert status == 2 and not out and len(err) == 1 and why in err[0], (args, status, err)
    hello = netutil.build("hello-net-opts", ["apps/hello/hello.c"])
    status, out, err = run(hello, "--ip6", "fd77::2", "--dry-run")
    assert status == 2 and err == ["skiff run: --ip6/--gw6: hello-net-opts.elf has no "
                                   "network stack"], err


def test_malformed_ip6_kernel_argument_fails_sockets_with_einval():
    img = netutil.build("netcheck", ["tests/net/guest/netcheck/main.c"])
    for karg, why in (("ip6=fd77::2/48", "the prefix length must be 64"),
                      ("ip6=nonsense", "not an IPv6 address"),
                      ("ip6=fe80::1", "not a unicast global or site address"),
                      ("gw6=ff02::1", "not a unicast IPv6 address")):
        with netutil.Guest(img, ["--append", karg], app_args=["socket"]) as g:
            status, out = g.finish()
        assert status == 1 and "netcheck: socket failed: Invalid argument" in out, g.log()
        assert f"skiff: net: malformed kernel argument {karg} ({why})" in g.log(), g.log()


if __name__ == "__main__":
    netutil.run_tests(globals())
