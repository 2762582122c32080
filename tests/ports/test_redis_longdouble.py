"""Redis's long-double paths in the skiff image: INCRBYFLOAT/HINCRBYFLOAT (strtold, %.17Lf), negative blocking timeouts (ceill), HyperLogLog counts (llroundl)."""
import test_redis as redis
import netutil


def test_float_increments_print_like_redis_on_linux():
    port = netutil.free_port()
    with redis.boot(port):
        redis.wait_ping(port)
        assert redis.cli(port, "INCRBYFLOAT", "k", "1.23") == "1.23"
        assert redis.cli(port, "INCRBYFLOAT", "k", "10.5") == "11.73"
        assert redis.cli(port, "INCRBYFLOAT", "k", "-0.03") == "11.7"
        assert redis.cli(port, "SET", "e", "5.0e3") == "OK"
        assert redis.cli(port, "INCRBYFLOAT", "e", "2.0e2") == "5200"
        assert redis.cli(port, "INCRBYFLOAT", "big", "1e5000").startswith("ERR")  # strtold: ERANGE
        assert redis.cli(port, "HINCRBYFLOAT", "h", "f", "1.23") == "1.23"
        assert redis.cli(port, "HINCRBYFLOAT", "h", "f", "0.1") == "1.33"
        # Negative blocking timeouts are refused, positive ones time out (ceill).
        assert redis.cli(port, "BLPOP", "nolist", "-1") == "ERR timeout is negative"
        assert redis.cli(port, "BLPOP", "nolist", "0.01") == ""
        # HyperLogLog's estimate goes through llroundl.
        assert redis.cli(port, "PFADD", "hll", "a", "b", "c", "d", "e") == "1"
        assert redis.cli(port, "PFCOUNT", "hll") == "5"
        assert redis.cli(port, "PFADD", "many", *[f"item{i}" for i in range(2000)]) == "1"
        n = int(redis.cli(port, "PFCOUNT", "many"))
        assert 1940 <= n <= 2060, f"PFCOUNT of 2000 distinct items gave {n}"
        redis.cli(port, "SHUTDOWN", "NOSAVE", check=False)
