"""Redis 7.0.15 (Debian's source, unmodified) as a skiff image, driven from the host with
Debian's redis-cli and redis-benchmark through a forwarded port."""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "net"))
import netutil  # noqa: E402

ROOT = netutil.ROOT
IMAGE = os.path.join(ROOT, "build", "tests", "ports", "redis", "redis.elf")
# Persistence off, no daemon, and reachable from slirp's 10.0.2.2.
SERVER_ARGS = ["--save", "", "--appendonly", "no", "--daemonize", "no",
               "--protected-mode", "no", "--bind", "0.0.0.0"]
READY = "Ready to accept connections"
_built = []


def image():
    """Build the image once per test run with the port recipe."""
    if not _built:
        r = subprocess.run([sys.executable, os.path.join(ROOT, "apps", "redis", "recipe.py"),
                            "-o", IMAGE], stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=1200)
        assert r.returncode == 0, f"redis recipe failed:\n{r.stdout[-3000:]}{r.stderr[-3000:]}"
        _built.append(IMAGE)
    return IMAGE


def boot(port, extra=(), timeout=240):
    return netutil.Guest(image(), ["--port", f"{port}:6379", "--mem", "64M"],
                         [*SERVER_ARGS, *extra], ready=READY, timeout=timeout)


def cli(port, *args, check=True):
    r = subprocess.run(["redis-cli", "-p", str(port), *args], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=60)
    if check:
        assert r.returncode == 0, f"redis-cli {' '.join(args)}: status {r.returncode}\n{r.stderr}"
    return r.stdout.strip()


def wait_ping(port, seconds=30):
    """redis-cli PING until PONG (slirp's forward is up before the guest listens)."""
    deadline = time.monotonic() + seconds
    while cli(port, "PING", check=False) != "PONG":
        assert time.monotonic() < deadline, "redis never answered PING"
        time.sleep(0.2)


def test_redis_commands_and_shutdown():
    port = netutil.free_port()
    with boot(port) as g:
        wait_ping(port)
        assert cli(port, "SET", "greeting", "hello skiff") == "OK"
        assert cli(port, "GET", "greeting") == "hello skiff"
        assert cli(port, "GET", "missing") == ""
        assert cli(port, "INCR", "counter") == "1"
        assert cli(port, "INCRBY", "counter", "41") == "42"
        assert cli(port, "INCR", "greeting").startswith("ERR value is not an integer")
        assert cli(port, "LPUSH", "list", "c", "b", "a") == "3"
        assert cli(port, "RPUSH", "list", "d") == "4"
        assert cli(port, "LRANGE", "list", "0", "-1").split("\n") == ["a", "b", "c", "d"]
        assert cli(port, "HSET", "user:1", "name", "ada", "lang", "c") == "2"
        assert cli(port, "HGET", "user:1", "name") == "ada"
        fields = cli(port, "HGETALL", "user:1").split("\n")
        assert dict(zip(fields[::2], fields[1::2])) == {"name": "ada", "lang": "c"}
        # EXPIRE + TTL, and a key that really expires.
        assert cli(port, "EXPIRE", "greeting", "100") == "1"
        assert 95 <= int(cli(port, "TTL", "greeting")) <= 100
        assert cli(port, "SET", "brief", "x", "PX", "300") == "OK"
        assert cli(port, "EXISTS", "brief") == "1"
        deadline = time.monotonic() + 10
        while cli(port, "EXISTS", "brief") != "0":
            assert time.monotonic() < deadline, "a key with PX 300 still exists after 10 s"
            time.sleep(0.1)
        assert cli(port, "TTL", "brief") == "-2"
        # Lua scripting (Redis's own Lua 5.1 with cjson) runs in the image.
        assert cli(port, "EVAL", "return cjson.encode({redis.call('GET', KEYS[1])})",
                   "1", "counter") == '["42"]'
        # INFO: the system it runs on, and no child process.
        info = cli(port, "INFO", "server")
        assert "os:skiff 1.0 x86_64" in info, info
        # Background saving needs fork(): it fails with an error reply; the server goes on.
        bg = cli(port, "BGSAVE")
        assert bg.startswith("ERR"), bg
        assert cli(port, "PING") == "PONG"
        assert cli(port, "DBSIZE") == "4"
        # SHUTDOWN NOSAVE ends the program: the VM exits with Redis's status 0.
        cli(port, "SHUTDOWN", "NOSAVE", check=False)
        status, out = g.finish(60)
        assert status == 0, f"status {status}\n{g.log()}"
        assert "Redis is now ready to exit, bye bye" in out, out[-2000:]
    assert "fork() is not supported (ENOSYS)" in g.err_text, g.err_text[-2000:]


def boot_on_volume(port, data, fsync):
    """Redis with its AOF in host directory `data` (the volume /data); RDB saving off."""
    args = ["--save", "", "--daemonize", "no", "--protected-mode", "no", "--bind", "0.0.0.0",
            "--dir", "/data", "--appendonly", "yes", "--appendfsync", fsync]
    return netutil.Guest(image(), ["--port", f"{port}:6379", "--mem", "64M", "-v", f"{data}:/data"],
                         args, ready=READY, timeout=240)


def test_redis_aof_on_a_volume_survives_shutdown_and_a_hard_kill():
    """Persistence without fork: appendonly on a volume. Keys written before a clean
    SHUTDOWN, and before SIGKILL of QEMU with appendfsync always, are there at the next boot."""
    with tempfile.TemporaryDirectory(prefix="skiff-redis-aof-") as data:
        port = netutil.free_port()
        with boot_on_volume(port, data, "everysec") as g:
            wait_ping(port)
            assert cli(port, "SET", "kept", "across a shutdown") == "OK"
            assert cli(port, "RPUSH", "list", "a", "b", "c") == "3"
            cli(port, "SHUTDOWN", check=False)
            status, out = g.finish(60)
            assert status == 0, f"status {status}\n{g.log()}"
        assert os.path.isdir(os.path.join(data, "appendonlydir")), os.listdir(data)
        port = netutil.free_port()
        with boot_on_volume(port, data, "always") as g:
            wait_ping(port)
            assert cli(port, "GET", "kept") == "across a shutdown"
            assert cli(port, "LRANGE", "list", "0", "-1").split("\n") == ["a", "b", "c"]
            for i in range(20):
                assert cli(port, "SET", f"k{i}", f"v{i}") == "OK"
            os.killpg(g.proc.pid, signal.SIGKILL)  # QEMU and skiff run: power cut
            g.proc.wait(timeout=30)
        port = netutil.free_port()
        with boot_on_volume(port, data, "always") as g:
            wait_ping(port)
            assert cli(port, "GET", "kept") == "across a shutdown"
            assert [cli(port, "GET", f"k{i}") for i in range(20)] == [f"v{i}" for i in range(20)]
            cli(port, "SHUTDOWN", "NOSAVE", check=False)
            status, _ = g.finish(60)
            assert status == 0, f"status {status}\n{g.log()}"


def check_benchmark(r):
    """redis-benchmark -q finished every default test with a figure and no error."""
    assert r.returncode == 0, f"redis-benchmark: status {r.returncode}\n{r.stderr}"
    # -q redraws a progress line with \r until each test's final line.
    segments = [seg.strip() for seg in re.split(r"[\r\n]", r.stdout) if seg.strip()]
    final = {m.group(1) for m in (re.match(r"^(.+?): [0-9.]+ requests per second, p50=", seg)
                                   for seg in segments) if m}
    started = {m.group(1) for m in (re.match(r"^(.+?): rps=", seg) for seg in segments) if m}
    assert len(final) >= 20, r.stdout[-2000:]
    assert started <= final, f"tests without a result: {sorted(started - final)}"
    assert {"PING_INLINE", "SET", "GET", "INCR", "LPUSH", "HSET", "MSET (10 keys)"} <= final, final
    assert "error" not in (r.stdout + r.stderr).lower(), r.stdout + r.stderr


def test_redis_benchmark():
    """Every default redis-benchmark test, 10,000 requests each, without an error, through
    the forwarded port.

    Two clients, not the default 50: QEMU's user-mode network listens on the host with a
    backlog of one, so the host kernel queues at most two unaccepted connections; 50
    simultaneous connects overflow it and the rest stall in SYN-cookie retransmits for
    seconds to minutes (visible with `ss -tn` as ESTAB/FIN-WAIT-1 client sockets with
    unacknowledged bytes and no QEMU-side socket). The same happens to a Linux VM
    behind the same forward; it is not the guest. The test below runs the default 50
    clients over a tap device, where nothing stands between them and the guest."""
    port = netutil.free_port()
    with boot(port):
        wait_ping(port)
        check_benchmark(subprocess.run(
            ["redis-benchmark", "-p", str(port), "-q", "-n", "10000", "-c", "2"],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600))
        assert cli(port, "PING") == "PONG"


def test_redis_benchmark_50_clients_over_tap():
    """`redis-benchmark -q -n 10000` as is (50 clients) against the guest on a tap device in
    a network namespace made for the test."""
    host_ip, guest_ip = "192.168.79.1", "192.168.79.2"
    with netutil.tap_namespace("redis", host_ip) as ns:
        if ns is None:
            return
        args = ["--net", "tap:tap0", "--mem", "64M", "--append", f"ip={guest_ip}/24 gw={host_ip}"]
        with netutil.Guest(image(), args, SERVER_ARGS, ready=READY, timeout=300, prefix=ns):
            check_benchmark(subprocess.run(
                [*ns, "redis-benchmark", "-h", guest_ip, "-q", "-n", "10000"],
                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600))
            r = subprocess.run([*ns, "redis-cli", "-h", guest_ip, "PING"], capture_output=True,
                               text=True, timeout=60)
            assert r.stdout.strip() == "PONG", (r.stdout, r.stderr)


def test_redis_bad_config_exits_nonzero():
    """A bad argument: Redis prints its error and the VM exits with status 1, no hang."""
    with netutil.Guest(image(), ["--mem", "64M", "--net", "none"],
                       [*SERVER_ARGS, "--no-such-option", "yes"], timeout=120) as g:
        status, out = g.finish(150)
    assert status == 1, f"status {status}\n{g.log()}"
    assert "FATAL CONFIG FILE ERROR" in out + g.err_text, g.log()
    assert "no-such-option" in out + g.err_text, g.log()


def test_redis_default_bind_and_protected_mode():
    """Redis's default `bind * -::*`: both listen (0.0.0.0 and [::] with IPV6_V6ONLY, as on
    Linux), and protected mode answers a client from slirp's 10.0.2.2 with its DENIED error."""
    port = netutil.free_port()
    with netutil.Guest(image(), ["--port", f"{port}:6379", "--mem", "64M"],
                       ["--save", "", "--appendonly", "no"], ready=READY, timeout=120) as g:
        deadline = time.monotonic() + 30
        while True:
            reply = cli(port, "PING", check=False)
            if "DENIED" in reply or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert "DENIED Redis is running in protected mode" in reply, reply
    assert "Could not create server TCP listening socket" not in g.out.decode(), g.log()
