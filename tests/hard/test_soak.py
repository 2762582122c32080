"""Soak, CI sizes (make soak runs the full ones through tests/hard/soak.py): httpd under
wrk -c64 with zero errors, no leak and a flat heap high-water mark after warm-up, sequential
connections that leave no memory behind, and 500 concurrent echo clients, all over a tap;
each at --cpus 1 and again at --cpus 2."""
import json
import os

import soak

# CI sizes; SKIFF_SOAK_SECONDS etc. override them for a longer local run.
WRK_SECONDS = int(os.environ.get("SKIFF_SOAK_SECONDS", "30"))
SEQUENTIAL = int(os.environ.get("SKIFF_SOAK_SEQUENTIAL", "2000"))
CLIENTS = int(os.environ.get("SKIFF_SOAK_CLIENTS", "500"))


def brief(r):
    return json.dumps({k: v for k, v in r.items() if k not in ("guest_log", "wrk_output")})


def test_httpd_under_wrk_c64_zero_errors_flat_heap(cpus=1):
    r = soak.wrk_soak(WRK_SECONDS, cpus=cpus)
    if r is None:
        return
    print(brief(r))
    assert r["guest_alive"], r["guest_log"]
    assert r["requests"] > 0, r["wrk_output"]
    assert r["warmup_errors"] == 0, f"{r['warmup_errors']} wrk errors during the warm-up"
    assert r["error_total"] == 0, f"wrk errors {r['errors']}\n{r['wrk_output']}"
    assert r["served"] >= r["requests"], (r["served"], r["requests"])
    assert r["sample_errors"] == 0, f"{r['sample_errors']} /_stats samples failed"
    assert r["no_leak"], (f"malloc in use once idle grew by {r['malloc_growth']} bytes "
                          f"(> {soak.LEAK_SLACK}) over {r['requests']} requests after the "
                          f"warm-up: {r['malloc_in_use_warm']} -> {r['malloc_in_use_after']}")
    assert r["heap_flat"], (f"heap high-water grew from 20% into the soak by more than "
                            f"{soak.HIGH_SLACK >> 10} KiB: "
                            f"{r['heap_high_warm']} -> {r['heap_high_after']}")


def test_sequential_connections_leave_no_memory_behind(cpus=1):
    r = soak.sequential(SEQUENTIAL, cpus=cpus)
    if r is None:
        return
    print(brief(r))
    assert r["guest_alive"], r["guest_log"]
    assert r["errors"] == 0 and r["ok"] == SEQUENTIAL, r["first_errors"]
    assert r["accepted"] == SEQUENTIAL, (r["accepted"], SEQUENTIAL)
    assert r["no_leak"], (f"malloc in use when idle grew by {r['malloc_growth']} bytes over "
                          f"{SEQUENTIAL * 9 // 10} connections")


def test_echo_500_concurrent_clients(cpus=1):
    r = soak.echo_clients(CLIENTS, rounds=2, cpus=cpus)
    if r is None:
        return
    print(brief(r))
    assert r["guest_alive"], r["guest_log"]
    assert r["error_count"] == 0 and r["ok"] == CLIENTS, r["errors"]


def test_cpus2_httpd_under_wrk_c64_zero_errors_flat_heap():
    test_httpd_under_wrk_c64_zero_errors_flat_heap(cpus=2)


def test_cpus2_sequential_connections_leave_no_memory_behind():
    test_sequential_connections_leave_no_memory_behind(cpus=2)


def test_cpus2_echo_500_concurrent_clients():
    test_echo_500_concurrent_clients(cpus=2)


if __name__ == "__main__":
    soak.h.netutil.run_tests(globals())
