"""skiff run failure paths: bad images, QEMU start failure, --timeout, Ctrl-C."""
import os
import select
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402


def _one_error_line(result, status, prefix="skiff run: "):
    err = result.stderr.decode()
    assert result.returncode == status, (result.returncode, err)
    assert len(err.splitlines()) == 1 and err.startswith(prefix), err
    return err


def test_missing_image_is_125():
    missing = os.path.join(cli_support.scratch_dir(), "no-such.elf")
    err = _one_error_line(cli_support.skiff("run", missing), 125)
    assert "no such image" in err, err


def test_non_elf_image_is_125():
    path = os.path.join(cli_support.scratch_dir(), "text.elf")
    with open(path, "w") as f:
        f.write("this is not an ELF file\n")
    err = _one_error_line(cli_support.skiff("run", path), 125)
    assert "not an ELF" in err, err


def test_elf_without_pvh_note_is_125():
    err = _one_error_line(cli_support.skiff("run", sys.executable), 125)
    assert "PVH" in err, err


def test_qemu_that_fails_to_start_is_125():
    result = cli_support.skiff("run", cli_support.image("trivial"),
                               env=cli_support.skiff_env(SKIFF_QEMU="/bin/false"))
    _one_error_line(result, 125)
    assert b"VM did not start" in result.stderr, result.stderr


def test_qemu_binary_missing_is_125():
    result = cli_support.skiff("run", cli_support.image("trivial"),
                               env=cli_support.skiff_env(SKIFF_QEMU="/nonexistent/qemu"))
    _one_error_line(result, 125)


def test_unknown_command_and_option_are_usage_errors():
    _one_error_line(cli_support.skiff("frobnicate"), 2, "skiff: ")
    _one_error_line(cli_support.skiff("run", "--machine", "vax", "x.elf"), 2)


def test_timeout_stops_a_guest_that_never_exits():
    start = time.monotonic()
    result = cli_support.skiff("run", "--timeout", "1", cli_support.image("hang"), timeout=30)
    elapsed = time.monotonic() - start
    assert result.returncode == 124, result
    assert b"skiff run: timeout" in result.stderr, result.stderr
    assert elapsed < 6, elapsed


def _wait_for_line(stream, needle, seconds):
    seen, deadline = b"", time.monotonic() + seconds
    while needle not in seen:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([stream], [], [], remaining)[0]:
            raise AssertionError(f"no {needle!r} within {seconds} s: {seen!r}")
        chunk = os.read(stream.fileno(), 4096)
        if not chunk:
            raise AssertionError(f"stream ended before {needle!r}: {seen!r}")
        seen += chunk
    return seen


def test_sigint_stops_the_vm_and_exits_130():
    # A uniquely named copy, so any QEMU left behind can be found by its command line.
    image = os.path.join(cli_support.scratch_dir(), f"hang-{os.getpid()}-sigint.elf")
    shutil.copy(cli_support.image("hang"), image)
    proc = subprocess.Popen([sys.executable, cli_support.SKIFF, "run", image],
                            env=cli_support.skiff_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=cli_support.default_stop_signals)
    try:
        _wait_for_line(proc.stderr, b"hang: halted", 20)
        assert cli_support.processes_mentioning(image), "QEMU is not running"
        proc.send_signal(signal.SIGINT)
        status = proc.wait(timeout=10)
        rest = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    assert status == 130, (status, rest)
    assert b"Traceback" not in rest, rest
    deadline = time.monotonic() + 5
    while cli_support.processes_mentioning(image) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not cli_support.processes_mentioning(image), "QEMU left running"
