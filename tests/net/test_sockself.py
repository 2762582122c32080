"""The socket layer inside one guest over 127.0.0.1 (no network device): TCP, UDP, poll, select,
non-blocking I/O, options, names, getaddrinfo and more than 64 descriptors."""
import netutil


def test_sockets_over_loopback():
    img = netutil.build("sockself", ["tests/net/guest/sockself/main.c"])
    with netutil.Guest(img, ["--net", "none"]) as g:
        status, out = g.finish()
    assert status == 0 and "sockself: ok" in out, g.log()
    assert "only 127.0.0.1" in g.log(), g.log()


if __name__ == "__main__":
    netutil.run_tests(globals())
