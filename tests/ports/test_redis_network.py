"""A two-tier app on a private network: a small C front end (tests/net/guest/peer, role
`front`) reached from the host through --port uses Redis, in another instance with only its
private NIC, by the name --add-host gives it; a second instance cannot take the same host
port. Runs after test_redis.py, whose Redis image it reuses."""
import contextlib
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "net"))
import netutil  # noqa: E402
from test_network import runtime  # noqa: E402

ROOT = netutil.ROOT
IMAGES = [os.path.join(ROOT, "build", "tests", "ports", "redis", "redis.elf"),  # test_redis.py's
          os.path.join(ROOT, "build", "apps", "redis", "redis.elf")]            # make redis's


def redis_image():
    """The Redis image test_redis.py (or make redis) built, else one built now."""
    for path in IMAGES:
        if os.path.exists(path):
            return path
    r = subprocess.run([sys.executable, os.path.join(ROOT, "apps", "redis", "recipe.py"),
                        "-o", IMAGES[0]], stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=1200)
    assert r.returncode == 0, f"redis recipe failed:\n{r.stdout[-3000:]}{r.stderr[-3000:]}"
    return IMAGES[0]


def test_two_tier_redis_by_name():
    redis = redis_image()
    img = netutil.build("peer", ["tests/net/guest/peer/main.c"])
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
