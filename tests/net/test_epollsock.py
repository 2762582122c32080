"""epoll inside one guest over 127.0.0.1 (no network device): sockets and a pipe in one set."""
import netutil


def test_epoll_over_loopback_sockets_and_a_pipe():
    img = netutil.build("epollsock", ["tests/net/guest/epollsock/main.c"])
    with netutil.Guest(img, ["--net", "none"]) as g:
        status, out = g.finish()
    assert status == 0 and "epollsock: ok" in out, g.log()


if __name__ == "__main__":
    netutil.run_tests(globals())
