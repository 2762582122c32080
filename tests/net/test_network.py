"""Private networks between instances (skiff run --network, --ip, --add-host): two and five
instances exchanging TCP and UDP by name and address, one stopping while the others go on,
isolation between networks, multicast and broadcast, a two-tier app in front of Redis, and
the tool's refusals (address outside the subnet, a duplicate address, a busy --port)."""
import contextlib
import os
import re
import shutil
import subprocess
import tempfile

import netutil

PORT = 7000           # inside the guests: every instance has its own stack
ROUND_S = 120         # a round of TCP+UDP to every peer under TCG, on a busy machine


@contextlib.contextmanager
def runtime():
    """A private lease registry (SKIFF_RUNTIME_DIR) and a network-name tag for one test."""
    path = tempfile.mkdtemp(prefix="skiff-rt-")
    try:
        yield {"SKIFF_RUNTIME_DIR": path}, f"t{os.getpid()}"
    finally:
        shutil.rmtree(path, ignore_errors=True)


def peer_image():
    return netutil.build("peer", ["tests/net/guest/peer/main.c"])


def boot_all(stack, img, specs, env):
    """Start every (run_args, app_args) at once, then wait for each one's `ready`."""
    guests = []
    for run_args, app_args in specs:
        g = netutil.Guest(img, ["--mem", "32M", *run_args], app_args, stdin=True, env=env,
                          timeout=400)
        guests.append(stack.enter_context(g))
    for g in guests:
        g.wait_for("ready", 120)
    return guests


def private_address(g):
    """The address the guest's kernel log shows on its private NIC."""
    m = re.search(r"skiff: net: net\d (\S+)/\d+ \(private network\)", g.log())
    assert m, g.log()
    return m.group(1)


def round_ok(g, peers, mark):
    """Send `go PEERS`, wait for the round's end, check every peer answered both ways."""
    start = len(g.out)
    g.send("go " + " ".join(peers))
    g.wait_for(mark, ROUND_S)
    text = g.out[start:].decode(errors="replace")
    for p in peers:
        assert f"tcp {p} ok" in text and f"udp {p} ok" in text, \
            f"round to {peers}:\n{text}\n{g.log()}"


def test_two_instances_by_name():
    img = peer_image()
    with runtime() as (env, tag), contextlib.ExitStack() as stack:
        net = f"{tag}-pair"
        a, b = boot_all(stack, img, [
            (["--network", net, "--ip", "10.77.0.2/24", "--add-host", "bee:10.77.0.3"],
             ["mesh", str(PORT)]),
            (["--network", net, "--ip", "10.77.0.3", "--add-host", "ay:10.77.0.2"],
             ["mesh", str(PORT)]),
        ], env)
        a.send("go bee")
        b.send("go ay")
        for g, peer in ((a, "bee"), (b, "ay")):
            g.wait_for("round done", ROUND_S)
            text = g.out.decode()
            assert f"tcp {peer} ok" in text and f"udp {peer} ok" in text, g.log()

        # The tool's refusals while both leases are held: one line, exit 125, no VM.
        def refused(*run_args):
            r = subprocess.run([netutil.SKIFF, "run", img, *run_args, "--", "mesh", "1"],
                               capture_output=True, text=True, timeout=60,
                               env=dict(os.environ, **env), stdin=subprocess.DEVNULL)
            assert r.returncode == 125 and len(r.stderr.splitlines()) == 1, (r.returncode, r.stderr)
            return r.stderr
        err = refused("--network", net, "--ip", "10.77.0.3")
        assert "10.77.0.3: already in use on network" in err, err
        err = refused("--network", net, "--ip", "10.78.0.9")
        assert "outside network" in err and "10.77.0.0/24" in err, err
        err = refused("--network", net, "--ip", "10.77.0.9/16")
        assert "outside network" in err, err
        a.close_stdin()
        b.close_stdin()
        for g in (a, b):
            status, _ = g.finish(120)
            assert status == 0, g.log()


def test_five_instances_every_pair_and_one_stops():
    img = peer_image()
    with runtime() as (env, tag), contextlib.ExitStack() as stack:
        net = f"{tag}-five"
        guests = boot_all(stack, img, [(["--network", net], ["mesh", str(PORT)])] * 5, env)
        addrs = [private_address(g) for g in guests]
        assert len(set(addrs)) == 5, addrs          # default leases never collide
        for i, g in enumerate(guests):
            g.send("go " + " ".join(a for j, a in enumerate(addrs) if j != i))
        for i, g in enumerate(guests):
            g.wait_for("round done", ROUND_S)
            text = g.out.decode()
            for j, a in enumerate(addrs):
                if j != i:
                    assert f"tcp {a} ok" in text and f"udp {a} ok" in text, \
                        f"{addrs[i]} -> {a}\n{g.log()}"
        # One instance stops; the other four still reach each other.
        guests[0].stop()
        for i, g in enumerate(guests[1:], 1):
            start = len(g.out)
            g.send("go " + " ".join(a for j, a in enumerate(addrs) if j not in (0, i)))
            g.wait_for("round done", ROUND_S, count=2)
            text = g.out[start:].decode()
            assert "FAIL" not in text and text.count(" ok") == 6, f"{addrs[i]}:\n{text}"
        for g in guests[1:]:
            g.close_stdin()
            status, _ = g.finish(120)
            assert status == 0, g.log()


def test_multicast_and_broadcast_stay_on_their_network():
    img = peer_image()
    with runtime() as (env, tag), contextlib.ExitStack() as stack:
        neta, netb = f"{tag}-ma", f"{tag}-mb"
        # The same subnet on both networks: only the segment keeps them apart.
        joined, bystander, other, bsender, msender, plain = boot_all(stack, img, [
            (["--net", "none", "--network", neta, "--ip", "10.88.0.3"],
             ["recv", "5353", "239.1.2.3"]),
            (["--net", "none", "--network", neta, "--ip", "10.88.0.4"], ["recv", "5353"]),
            (["--net", "none", "--network", netb, "--ip", "10.88.0.5"],
             ["recv", "5353", "239.1.2.3"]),
            (["--net", "none", "--network", neta, "--ip", "10.88.0.2"],
             ["send", "5353", "10.88.0.255", "broadcast"]),
            (["--net", "none", "--network", neta, "--ip", "10.88.0.6"],
             ["send", "5353", "239.1.2.3"]),
            (["--net", "none", "--network", neta, "--ip", "10.88.0.7"],
             ["send", "5353", "10.88.0.255"]),
        ], env)
        # Broadcast: every instance on the segment, with or without a group; not network B.
        bsender.send("bcast-one")
        bsender.wait_for("sent bcast-one", 60)
        joined.wait_for("got bcast-one from 10.88.0.2", 60)
        bystander.wait_for("got bcast-one from 10.88.0.2", 60)
        # Without SO_BROADCAST the send is refused, as on Linux.
        plain.send("bcast-refused")
        plain.wait_for("send failed: EACCES", 60)
        # Multicast: only the member on network A.
        msender.send("mcast-one")
        msender.wait_for("sent mcast-one", 60)
        joined.wait_for("got mcast-one from 10.88.0.6", 60)
        # After leaving the group nothing more arrives.
        joined.send("drop")
        joined.wait_for("dropped", 60)
        msender.send("mcast-two")
        msender.wait_for("sent mcast-two", 60)
        bsender.send("bcast-two")               # a datagram that does arrive, as a marker
        joined.wait_for("got bcast-two", 60)
        bystander.wait_for("got bcast-two", 60)
        for g in (joined, bystander, other):      # the segment delivers in order; margin only
            g.drain(1)
        assert b"mcast-two" not in joined.out, joined.out
        assert b"mcast-one" not in bystander.out, bystander.out
        assert b"got" not in other.out, other.out   # network B heard nothing
        assert b"bcast-refused" not in joined.out + bystander.out


def test_two_tier_redis_by_name():
    redis = os.path.join(netutil.ROOT, "build", "apps", "redis", "redis.elf")
    if not os.path.exists(redis):
        r = subprocess.run(["make", "-C", netutil.ROOT, "redis"], capture_output=True,
                           text=True, timeout=1800)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    img = peer_image()
    with runtime() as (env, tag), contextlib.ExitStack() as stack:
        net = f"{tag}-tier"
        host_port = netutil.free_port()
        back = stack.enter_context(netutil.Guest(
            redis, ["--mem", "64M", "--net", "none", "--network", net, "--ip", "10.99.0.2"],
            ["--protected-mode", "no", "--save", ""], env=env, timeout=400))
        back.wait_for("Ready to accept connections", 180)
        front = stack.enter_context(netutil.Guest(
            img, ["--mem", "32M", "--network", net, "--add-host", "redis:10.99.0.2",
                  "--port", f"{host_port}:80"], ["front", "80", "redis"], env=env,
            timeout=400, ready="ready"))
        with netutil.connect(host_port, timeout=60) as s:
            s.settimeout(60)
            s.sendall(b"fruit mango\n")
            assert netutil.recv_exact(s, 6) == b"mango\n", front.log()
        # Redis has only its private NIC: the host reaches the front end alone.
        assert "(private network)" in back.log() and "DHCP" not in back.log(), back.log()
        # A second instance cannot claim the front end's host port.
        r = subprocess.run([netutil.SKIFF, "run", img, "--network", net, "--port",
                            f"{host_port}:80", "--", "front", "80", "redis"],
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, **env), stdin=subprocess.DEVNULL)
        assert r.returncode == 125 and f"tcp port {host_port} on 127.0.0.1 is not free" \
            in r.stderr, (r.returncode, r.stderr)


if __name__ == "__main__":
    netutil.run_tests(globals())
