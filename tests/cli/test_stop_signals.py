"""SIGINT, SIGTERM and SIGHUP to `skiff run` at any moment, through the C launcher and the Python front end: QEMU stopped, one line, 128 + N, no traceback."""
import os
import shutil
import signal
import subprocess
import sys
import time

import cli_support
import test_console

WORDS = {signal.SIGINT: b"skiff run: interrupted", signal.SIGTERM: b"skiff run: terminated (SIGTERM)",
         signal.SIGHUP: b"skiff run: hung up (SIGHUP)"}
STOP_SIGNALS = tuple(WORDS)
# After the start: inside sh or Python's start-up, the checks, QEMU starting, the guest running.
DELAYS_S = (0.0, 0.05, 0.15, 0.3, 0.6, 1.0, 2.0)


def _unique_image(tag):
    """A copy named for this test, so a QEMU left behind shows up by its command line."""
    path = os.path.join(cli_support.scratch_dir(), f"stop-{os.getpid()}-{tag}.elf")
    shutil.copy(test_console.app(), path)
    return path


def _start(args, launcher, **env):
    """`skiff run ARGS` with a pipe as stdin (the app's `lines` mode waits on it)."""
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [cli_support.SKIFF, "run", *args],
        env=cli_support.skiff_env(SKIFF_LAUNCHER="1" if launcher else "0", **env),
        stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True, preexec_fn=cli_support.default_stop_signals)
    os.close(read_end)
    return proc, write_end


def _finish(proc, write_end, sig):
    """Send sig; returns (status, stderr) once skiff has gone."""
    try:
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        return proc.returncode, err
    finally:
        os.close(write_end)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _assert_clean_stop(sig, status, err, image, vm_ran=None):
    """128 + N and exactly one line, or (only before any skiff code ran) killed with nothing said;
    never a traceback; no QEMU left behind."""
    assert b"Traceback" not in err, err
    if status == -sig:
        assert err == b"", (sig, err)
    else:
        assert status == 128 + sig, (sig, status, err)
        last = err.splitlines()[-1] if err else b""
        assert last.startswith(WORDS[sig]), (sig, err)
        assert sum(WORDS[sig] in line for line in err.splitlines()) == 1, err
        if vm_ran is not None:
            assert last.endswith(b", VM stopped") == vm_ran, (sig, err)
    deadline = time.monotonic() + 10
    while cli_support.processes_mentioning(image) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not cli_support.processes_mentioning(image), (sig, "QEMU left running")


def _while_running(launcher):
    image = _unique_image(f"running-{int(launcher)}")
    for sig in STOP_SIGNALS:
        proc, write_end = _start([image, "--", "lines"], launcher)
        deadline = time.monotonic() + 60
        while not cli_support.children(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        with open(f"/proc/{proc.pid}/comm") as f:
            front = f.read().strip()
        assert front == ("skiff-run" if launcher else "python3"), front
        assert cli_support.children(proc.pid), "no QEMU started"
        time.sleep(1)
        status, err = _finish(proc, write_end, sig)
        assert status == 128 + sig, (sig, status, err)
        assert err.endswith(WORDS[sig] + b", VM stopped\n"), (sig, err)
        _assert_clean_stop(sig, status, err, image, vm_ran=True)


def test_launcher_stops_the_running_vm_on_each_signal():
    _while_running(launcher=True)


def test_python_stops_the_running_vm_on_each_signal():
    _while_running(launcher=False)


def _at_every_moment(launcher):
    image = _unique_image(f"moment-{int(launcher)}")
    for round_, delay in enumerate(DELAYS_S):
        sig = STOP_SIGNALS[round_ % len(STOP_SIGNALS)]
        proc, write_end = _start([image, "--", "lines"], launcher)
        time.sleep(delay)
        status, err = _finish(proc, write_end, sig)
        _assert_clean_stop(sig, status, err, image)


def test_launcher_signal_at_any_moment():
    _at_every_moment(launcher=True)


def test_python_signal_at_any_moment():
    _at_every_moment(launcher=False)


def test_signal_while_the_vm_ends():
    """The app exits at once (no stdin) after stderr without a final newline: a signal around
    its end still ends cleanly, with the app's status if it came too late to matter, else
    128 + N and the line, on a line of its own."""
    image = _unique_image("ending")
    for launcher in (True, False):
        for delay in (0.5, 1.0, 1.5, 2.0):
            proc, write_end = _start([image, "--", "nonl"], launcher)
            time.sleep(delay)
            status, err = _finish(proc, write_end, signal.SIGTERM)
            assert b"Traceback" not in err, err
            if status != 5:
                _assert_clean_stop(signal.SIGTERM, status, err, image)


def test_signal_during_the_uefi_wrap_build():
    """--machine efi links the UEFI stub around the ELF (make) before QEMU: a SIGTERM then
    stops make and says so."""
    image = _unique_image("efi")
    proc, write_end = _start([image, "--machine", "efi", "--", "lines"], launcher=False)
    deadline = time.monotonic() + 60
    make = []
    while not make and time.monotonic() < deadline and proc.poll() is None:
        make = [c for c in cli_support.children(proc.pid)
                if open(f"/proc/{c}/comm").read().strip() == "make"]
        time.sleep(0.02)
    assert make, "make never ran"
    status, err = _finish(proc, write_end, signal.SIGTERM)
    assert status == 143, (status, err)
    assert err.endswith(b"skiff run: terminated (SIGTERM)\n"), err
    _assert_clean_stop(signal.SIGTERM, status, err, image, vm_ran=False)
    time.sleep(0.5)
    assert not any(cli_support.running(m) for m in make), "make left running"


def test_nohup_keeps_sighup_ignored():
    """Started with SIGHUP ignored (nohup), skiff and its VM go on after a hang-up."""
    image = _unique_image("nohup")
    for launcher in (True, False):
        read_end, write_end = os.pipe()
        proc = subprocess.Popen(
            ["nohup", cli_support.SKIFF, "run", image, "--", "lines"],
            env=cli_support.skiff_env(SKIFF_LAUNCHER="1" if launcher else "0"),
            stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True, preexec_fn=cli_support.default_stop_signals)
        os.close(read_end)
        try:
            deadline = time.monotonic() + 60
            while not cli_support.children(proc.pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(1)
            proc.send_signal(signal.SIGHUP)
            time.sleep(1)
            assert proc.poll() is None, "skiff stopped on an ignored SIGHUP"
            assert cli_support.processes_mentioning(image), "the VM stopped"
        finally:
            status, err = _finish(proc, write_end, signal.SIGTERM)
        _assert_clean_stop(signal.SIGTERM, status, err, image, vm_ran=True)


if __name__ == "__main__":
    sys.exit("run through tests/run.py")
