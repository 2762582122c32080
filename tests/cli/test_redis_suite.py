"""The Redis-suite harness's reading of runtest output and its native/skiff comparison (tests/ports/redis_suite.py), on canned output."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "ports"))

import redis_suite  # noqa: E402

RUNTEST_OUT = """Cleanup: may take some time... OK
Starting test server at port 21079
[ready]: 1234
Testing unit/type/list
[ok]: LPOS basic usage (3 ms)
[err]: BLPOP: with negative timeout in tests/unit/type/list.tcl
Expected an error matching 'ERR *is negative*' but got '' (context: type eval line 4)
[ok]: LPOS basic usage (2 ms)
[ignore]: Tag: slow denied
[skip]: Some skipped test
[err]: GETEX use of PERSIST option should remove TTL after loadaof in tests/unit/expire.tcl
I/O error reading reply
    while executing
[exception]: Executing test client: ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs..
ERR CONFIG SET failed
[1/1 done]: unit/type/list (3 seconds)
"""


def test_parse_runtest_output():
    r = redis_suite.parse(RUNTEST_OUT)
    assert r["ok"] == ["LPOS basic usage", "LPOS basic usage"], r["ok"]
    assert list(r["err"]) == ["BLPOP: with negative timeout",
                              "GETEX use of PERSIST option should remove TTL after loadaof"]
    assert "is negative" in r["err"]["BLPOP: with negative timeout"]
    assert redis_suite.CONN_ERR.search(r["err"][
        "GETEX use of PERSIST option should remove TTL after loadaof"])
    assert r["skip"] == ["Some skipped test"] and r["ignore"] == ["Tag: slow denied"]
    assert "Unable to turn on AOF" in r["exception"]


def unit(ok, err=None, exception=None):
    return {"ok": ok, "err": err or {}, "skip": [], "ignore": [], "exception": exception,
            "timed_out": False, "server_died_in": []}


def test_compare_counts_and_causes():
    results = {"native": {"unit/a": unit(["t1", "t2", "t2", "t3", "t4"]),
                          "unit/type/incr": unit(["No negative zero"])},
               "skiff": {"unit/a": unit(["t1", "t2", "t5"],
                                        {"t3": "replication_stream error. Received '-ERR BGSAVE "
                                               "failed, replication can't continue"},
                                        exception=None),
                         "unit/type/incr": unit([], {"No negative zero": "Expected '0'"})}}
    s = redis_suite.compare(results, ["unit/a", "unit/type/incr"])
    assert s["native_passed"] == 6 and s["skiff_passed"] == 3 and s["both_passed"] == 2, s
    got = {(f["unit"], f["test"], f["how"], f["cause"]) for f in s["skiff_only_failures"]}
    assert got == {("unit/a", "t2", "not run", None),      # the second run of t2 is missing
                   ("unit/a", "t3", "failed", "fork()"),
                   ("unit/a", "t4", "not run", None),
                   ("unit/type/incr", "No negative zero", "failed", None)}, got
    assert s["native_only_failures"] == [{"unit": "unit/a", "test": "t5"}]


def test_report_of_a_missing_file_is_one_line():
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "ports", "redis_suite.py"),
                        "--report", "/nonexistent/results.json"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 2 and r.stdout == "", (r.returncode, r.stdout)
    assert r.stderr.count("\n") == 1 and "cannot read /nonexistent/results.json" in r.stderr
