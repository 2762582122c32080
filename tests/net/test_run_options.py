"""skiff run's --net, --port and --disk: the QEMU devices they give, and one clear line for each
mistake. No guest runs here except through --dry-run."""
import os
import socket
import subprocess
import tempfile

import netutil
import test_echo

HELLO_SRC = "apps/hello/hello.c"


def run(*args):
    r = subprocess.run([netutil.SKIFF, "run", *args], capture_output=True, text=True,
                       timeout=60, env=dict(os.environ, SKIFF_ACCEL="tcg"))
    return r.returncode, r.stdout, r.stderr


def dry(*args):
    status, out, err = run(*args, "--dry-run")
    assert status == 0, err
    return out


def test_network_images_get_a_nic_by_default_others_do_not():
    echo = test_echo.image()
    hello = netutil.build("hello-net-opts", [HELLO_SRC])
    assert "virtio-net-device,netdev=net0" in dry(echo)
    assert "-netdev user,id=net0" in dry(echo)
    assert "virtio-net" not in dry(hello), "hello does not use sockets: no network device"
    assert "virtio-net" not in dry(echo, "--net", "none")
    assert "virtio-net" not in dry(hello, "--net", "none")


def test_port_or_net_on_an_image_without_network_stack_says_why():
    hello = netutil.build("hello-net-opts", [HELLO_SRC])
    for args, what in ((["--port", "8080:80"], "--port"), (["--net", "user"], "--net user"),
                       (["--net", "udp:40002:40001"], "--net udp")):
        status, out, err = run(hello, *args, "--dry-run")
        assert status == 2 and not out, (args, status, err)
        line = [l for l in err.splitlines() if "using TCG" not in l]
        assert line == [f"skiff run: {what}: hello-net-opts.elf has no network stack (the "
                        "program never calls socket(), so skiff build linked neither lwIP "
                        "nor virtio-net)"], (args, err)


def test_port_forwards_and_transports():
    echo = test_echo.image()
    out = dry(echo, "--port", "8080:80", "--port", "udp:5353:53")
    assert "hostfwd=tcp:127.0.0.1:8080-:80" in out and "hostfwd=udp:127.0.0.1:5353-:53" in out, out
    assert "virtio-net-pci,netdev=net0" in dry(echo, "--machine", "q35")
    assert "virtio-net-pci,netdev=net0" in dry(echo, "--machine", "pc")


def test_disk_option():
    echo = test_echo.image()
    with tempfile.TemporaryDirectory() as d:
        disk = os.path.join(d, "d.img")
        with open(disk, "wb") as f:
            f.truncate(1 << 20)
        out = dry(echo, "--disk", disk)
        assert f"file={disk},format=raw" in out and "virtio-blk-device,drive=disk0" in out, out
        assert "virtio-blk-pci" in dry(echo, "--disk", disk, "--machine", "q35")
        status, _, err = run(echo, "--disk", os.path.join(d, "missing.img"))
        assert status == 125 and "--disk" in err and "no such file" in err, err


def test_mistakes_get_one_clear_line():
    echo = test_echo.image()
    for args, words in ((["--net", "bogus"], "expected user, tap[:IF], udp:L:R or none"),
                        (["--port", "80"], "expected [udp:]HOSTPORT:GUESTPORT"),
                        (["--port", "0:80"], "expected [udp:]HOSTPORT:GUESTPORT"),
                        (["--net", "none", "--port", "8080:80"], "--port needs --net user"),
                        (["--net", "tap:skiffnosuch0"], "no such network interface")):
        status, out, err = run(echo, *args)
        assert status in (2, 125), (args, status, err)
        assert words in err, (args, err)
        assert len(err.strip().splitlines()) <= 3, err
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        status, _, err = run(echo, "--port", f"{port}:7")
        assert status == 125 and f"tcp port {port} on 127.0.0.1 is not free" in err, err


def test_port_in_time_wait_is_free_as_for_qemu():
    """The server side closed first: its socket on the port waits in TIME_WAIT. QEMU's
    slirp binds with SO_REUSEADDR and would start, so the pre-check must let it."""
    echo = test_echo.image()
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as slirp's listener
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        conn, _ = server.accept()
        conn.close()                  # the server closes first -> TIME_WAIT on `port`
        assert client.recv(1) == b""
        client.close()
    assert f"hostfwd=tcp:127.0.0.1:{port}-:7" in dry(echo, "--port", f"{port}:7")


if __name__ == "__main__":
    netutil.run_tests(globals())
