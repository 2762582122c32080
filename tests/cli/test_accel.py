"""skiff accel: the verdict line, its cache, and SKIFF_ACCEL overrides."""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402
from skiffpy import accel  # noqa: E402

VERDICT_LINE = re.compile(r"^(tcg|kvm): \S.*\n$")


def _private_cache(tag):
    home = os.path.join(cli_support.scratch_dir(), f"cache-{tag}")
    os.makedirs(home, exist_ok=True)
    return home, os.path.join(home, "skiff", "accel.json")


def _env(home, **extra):
    settings = {"XDG_CACHE_HOME": home, "SKIFF_ACCEL": None, **extra}
    return cli_support.skiff_env(**settings)


def test_verdict_line_and_cache_file():
    home, path = _private_cache("verdict")
    result = cli_support.skiff("accel", "--refresh", env=_env(home))
    line = result.stdout.decode()
    assert result.returncode == 0 and VERDICT_LINE.match(line), result
    with open(path) as f:
        cached = json.load(f)
    for field in ("accel", "reason", "qemu", "kernel"):
        assert field in cached, cached
    assert line == f"{cached['accel']}: {cached['reason']}\n", (line, cached)
    if os.path.exists(accel.KVM_DEVICE) and os.path.exists(accel.PVM_MODULE):
        assert line.startswith("tcg: ") and "nested PVM" in line, line


def test_cached_verdict_is_reused_until_the_key_changes():
    home, path = _private_cache("reuse")
    cli_support.skiff("accel", env=_env(home))
    with open(path) as f:
        cached = json.load(f)
    cached["reason"] = "planted by the test"
    with open(path, "w") as f:
        json.dump(cached, f)
    again = cli_support.skiff("accel", env=_env(home)).stdout.decode()
    assert again.endswith(": planted by the test\n"), again
    cached["key"]["kernel"] = "some-other-kernel"
    with open(path, "w") as f:
        json.dump(cached, f)
    reprobed = cli_support.skiff("accel", env=_env(home)).stdout.decode()
    assert "planted" not in reprobed and VERDICT_LINE.match(reprobed), reprobed


def _plant_tcg_verdict(home, path):
    """A cached 'KVM cannot run code' verdict that matches this host's key."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    saved = os.environ.get("SKIFF_QEMU")
    os.environ.pop("SKIFF_QEMU", None)
    try:
        key = accel.host_key()
    finally:
        if saved is not None:
            os.environ["SKIFF_QEMU"] = saved
    record = {"accel": "tcg", "reason": "/dev/kvm is nested PVM, which cannot run SSE code",
              "qemu": "test", "kernel": key["kernel"], "key": key}
    with open(path, "w") as f:
        json.dump(record, f)


def test_forced_kvm_where_kvm_cannot_run_fails_fast():
    home, path = _private_cache("forced")
    _plant_tcg_verdict(home, path)
    start = time.monotonic()
    result = cli_support.skiff("run", cli_support.image("trivial"),
                               env=_env(home, SKIFF_ACCEL="kvm"), timeout=10)
    elapsed = time.monotonic() - start
    err = result.stderr.decode()
    assert result.returncode == 125, (result.returncode, err)
    assert len(err.splitlines()) == 1 and err.startswith("skiff run: SKIFF_ACCEL=kvm"), err
    assert elapsed < 5, elapsed


def test_tcg_notice_printed_once_and_hidden_by_quiet():
    home, path = _private_cache("notice")
    _plant_tcg_verdict(home, path)
    image = cli_support.image("trivial")
    loud = cli_support.skiff("run", image, env=_env(home))
    assert loud.returncode == 0 and loud.stdout == b"hello\n", loud
    notices = [l for l in loud.stderr.decode().splitlines() if l.startswith("skiff: using TCG")]
    assert len(notices) == 1, loud.stderr
    quiet = cli_support.skiff("run", "--quiet", image, env=_env(home))
    assert quiet.returncode == 0 and quiet.stderr == b"", quiet


def test_bogus_accel_is_rejected():
    result = cli_support.skiff("run", cli_support.image("trivial"),
                               env=cli_support.skiff_env(SKIFF_ACCEL="bogus"))
    err = result.stderr.decode()
    assert result.returncode == 2 and err.startswith("skiff run: SKIFF_ACCEL="), result


def test_sse_probe_image_passes_under_tcg():
    assert accel.run_probe("tcg") == accel.PROBE_EXIT_STATUS
