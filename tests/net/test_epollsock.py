"""epoll inside one guest over 127.0.0.1 (no network device): sockets and a pipe in one set."""
import netutil


def test_epoll_over_loopback_sockets_and_a_pipe():
    img = netutil.build("epollsock", ["tests/net/guest/epollsock/main.c"])
    with netutil.Guest(img, ["--net", "none"]) as g:
        status, out = g.finish()
    assert status == 0 and "epollsock: ok" in out, g.log()


def test_epoll_reports_sockets_in_arrival_order():
    """Linux's epoll hands out ready sockets in the order they became ready (a reported
    level-triggered one goes to the back); Redis relies on it: a client's EXEC sent
    before another client's LPUSH must run first (its WATCH test)."""
    img = netutil.build("epollorder", ["tests/net/guest/epollorder/main.c"])
    with netutil.Guest(img, ["--net", "none"]) as g:
        status, out = g.finish()
    assert status == 0 and "epollorder: ok" in out, g.log()


if __name__ == "__main__":
    netutil.run_tests(globals())
