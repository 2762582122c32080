"""The fuzz stage of `make test`: each target in tests/fuzz/targets builds with libFuzzer,
passes every checked-in seed and regression input, then survives a brief fuzzing run
(FUZZ_TEST_SECONDS, default 10) that must find nothing. Figures: build/fuzz/test-results.json."""
import json
import os

import fuzz

SECONDS = int(os.environ.get("FUZZ_TEST_SECONDS", "10"))


def check_target(name):
    try:
        exe = fuzz.build(name)
        assert fuzz.inputs(name, "corpus"), f"tests/fuzz/corpus/{name}/ has no seeds"
        fuzz.replay(name, exe)
    except fuzz.FuzzError as e:
        print(e.output[-8000:])
        raise AssertionError(str(e)) from None
    r = fuzz.fuzz(name, exe, SECONDS)
    path = os.path.join(fuzz.OUT, "test-results.json")
    results = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            results = json.load(f)
    results[name] = {k: v for k, v in r.items() if k != "output"}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=2)
    print(fuzz.table([r]))
    if r["crashes"]:
        print(r.get("output", ""))
    assert not r["crashes"], f"fuzz_{name} crashed; reproducer(s): {r['reproducers']}"
    assert r["execs"] > 0, f"fuzz_{name} ran no inputs"


def test_targets_found():
    assert set(fuzz.targets()) >= {"cmdline", "cpio", "initrd", "http", "netrx"}, fuzz.targets()


def test_cmdline():
    check_target("cmdline")


def test_cpio():
    check_target("cpio")


def test_initrd():
    check_target("initrd")


def test_http():
    check_target("http")


def test_netrx():
    check_target("netrx")
