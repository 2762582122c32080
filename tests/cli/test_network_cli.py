"""skiff run --network/--ip/--add-host without a second VM: option errors, the QEMU and kernel
arguments (--dry-run), and the lease registry (stale leases reclaimed, live ones kept,
leases released when the VM exits)."""
import functools
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402

PEER = os.path.join(cli_support.ROOT, "tests", "net", "guest", "peer", "main.c")


@functools.lru_cache(maxsize=None)
def _peer():
    """A networked image (the instance-to-instance test app)."""
    out = os.path.join(cli_support.ROOT, "build", "tests", "cli", "peer.elf")
    subprocess.run([sys.executable, cli_support.SKIFF, "build", PEER, "-o", out, "-q"],
                   check=True, timeout=300)
    return out


def _env():
    rt = tempfile.mkdtemp(prefix="rt-", dir=cli_support.scratch_dir())
    return cli_support.skiff_env(SKIFF_RUNTIME_DIR=rt), rt


def _run(*args, env):
    r = cli_support.skiff("run", *args, env=env, timeout=120)
    return r.returncode, r.stdout.decode(), r.stderr.decode(errors="replace")


def _one_line(err):
    assert len(err.strip().splitlines()) == 1, err
    return err


def test_malformed_add_host_exits_125():
    env, _ = _env()
    for spec in ("redis", "redis:", ":10.0.0.1", "re dis:10.0.0.1", "redis:10.0.0",
                 "redis:::1", "-redis:10.0.0.1", "redis:10.0.0.256"):
        status, _, err = _run(_peer(), f"--add-host={spec}", "--dry-run", env=env)
        assert status == 125, (spec, status, err)
        assert "--add-host" in _one_line(err) and repr(spec) in err, (spec, err)


def test_network_option_errors():
    env, _ = _env()
    cases = [
        (["--ip", "10.1.0.2"], 2, "each --ip goes with a --network"),
        (["--network", "bad name"], 2, "--network 'bad name'"),
        (["--network", "a", "--network", "a"], 2, "the same network named twice"),
        (["--network", "a", "--network", "b", "--network", "c", "--network", "d"], 2,
         "at most 3"),
        (["--network", "a", "--ip", "10.1.0"], 125, "not an IPv4 address"),
        (["--network", "a", "--ip", "10.1.0.2/31"], 125, "prefix length"),
        (["--network", "a", "--ip", "10.1.0.0/24"], 125, "the network address"),
        (["--network", "a", "--ip", "10.1.0.255/24"], 125, "the broadcast address"),
        (["--network", "a", "--ip", "10.0.2.7"], 125, "overlaps the user-mode network"),
        (["--network", "a", "--ip", "10.5.0.2", "--network", "b", "--ip", "10.5.0.3"], 125,
         "overlap"),
    ]
    for args, want_status, want in cases:
        status, _, err = _run(_peer(), *args, "--dry-run", env=env)
        assert status == want_status and want in _one_line(err), (args, status, err)
    # An image without a network stack cannot join a network.
    status, _, err = _run(cli_support.image("trivial"), "--network", "a", env=env)
    assert status == 2 and "--network" in err and "no network stack" in err, (status, err)


def _dry(name, *more, env):
    status, out, err = _run(_peer(), "--network", name, *more, "--dry-run", env=env)
    assert status == 0, err
    mcast = re.search(r"socket,id=pnet0,mcast=(239\.255\.\d+\.\d+):(\d+),localaddr=127\.0\.0\.1",
                      out)
    nic = re.search(r"nic=(02:73(?::[0-9a-f]{2}){4}),(\d+\.\d+\.\d+\.\d+)/(\d+)", out)
    assert mcast and nic, out
    mac_ip = ".".join(str(int(b, 16)) for b in nic.group(1).split(":")[2:])
    assert mac_ip == nic.group(2), out                      # the MAC carries the address
    assert f"mac={nic.group(1)}" in out, out
    return mcast.groups(), nic.group(2), int(nic.group(3))


def test_dry_run_channels_addresses_and_hosts():
    env, rt = _env()
    chan_a, addr_a, prefix = _dry("alpha", env=env)
    assert _dry("alpha", env=env)[0] == chan_a              # derived from the name
    chan_b, addr_b, _ = _dry("beta", env=env)
    assert chan_b[0] != chan_a[0] and chan_b[1] != chan_a[1], (chan_a, chan_b)
    assert prefix == 24 and addr_a.startswith("10.") and addr_a.endswith(".2"), addr_a
    assert int(addr_a.split(".")[1]) >= 128, addr_a          # in 10.128.0.0/10
    # --ip defines a new network's subnet; --add-host becomes host= kernel arguments.
    _, addr, prefix = _dry("gamma", "--ip", "192.168.40.9/26", "--add-host", "db:192.168.40.10",
                           env=env)
    assert (addr, prefix) == ("192.168.40.9", 26)
    status, out, _ = _run(_peer(), "--add-host", "db.local:10.9.8.7", "--add-host",
                          "cache:10.9.8.6", "--dry-run", env=env)
    assert status == 0 and '"host=db.local:10.9.8.7"' in out and '"host=cache:10.9.8.6"' in out
    with open(os.path.join(rt, "networks.json")) as f:
        assert json.load(f) == {}, "a dry run keeps no lease"


def _holder(pid):
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    return f"{pid}:{stat[stat.rfind(')') + 2:].split()[19]}"


def _write_registry(rt, leases):
    with open(os.path.join(rt, "networks.json"), "w") as f:
        json.dump({"shared": {"subnet": "10.40.0.0/24", "group": "239.255.9.9", "port": 29999,
                              "leases": leases}}, f)


def test_leases_stale_reclaimed_live_kept():
    env, rt = _env()
    gone = subprocess.Popen(["true"])
    dead = _holder(gone.pid)
    gone.wait()
    live = subprocess.Popen(["sleep", "120"])
    try:
        _write_registry(rt, {"10.40.0.2": dead, "10.40.0.3": _holder(live.pid)})
        # The dead process's address is free again; the live one's is refused.
        _, addr, _ = _dry("shared", "--ip", "10.40.0.2", env=env)
        assert addr == "10.40.0.2"
        status, _, err = _run(_peer(), "--network", "shared", "--ip", "10.40.0.3", "--dry-run",
                              env=env)
        assert status == 125 and f"already in use on network shared (by skiff run pid " \
            f"{live.pid})" in _one_line(err), (status, err)
        # The default skips the live lease; the network keeps its channel while it lives.
        chan, addr, _ = _dry("shared", env=env)
        assert addr == "10.40.0.2" and chan == ("239.255.9.9", "29999"), (chan, addr)
        _, addr, _ = _dry("shared", "--ip", "10.40.0.77", env=env)
        assert addr == "10.40.0.77"
        status, _, err = _run(_peer(), "--network", "shared", "--ip", "10.41.0.3", "--dry-run",
                              env=env)
        assert status == 125 and "outside network shared's subnet 10.40.0.0/24" in err, err
    finally:
        live.kill()
        live.wait()
    # Its holder gone, the network is forgotten: a new subnet may take the name.
    _, addr, prefix = _dry("shared", "--ip", "10.42.0.3/16", env=env)
    assert (addr, prefix) == ("10.42.0.3", 16)


def test_lease_held_while_running_and_released_at_exit():
    env, rt = _env()
    # `mesh` serves until stdin ends; stdin is /dev/null, so the app exits at once.
    status, out, err = _run(_peer(), "--net", "none", "--network", "solo", "--ip", "10.50.0.4",
                            "--timeout", "120", "--", "mesh", "7000", env=env)
    assert status == 0 and "ready" in out, err
    assert "net0 10.50.0.4/24 (private network)" in err, err
    with open(os.path.join(rt, "networks.json")) as f:
        assert json.load(f) == {}, "the lease went with the VM"
