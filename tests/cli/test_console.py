"""skiff run's console streams: redirections keep order, the exit status survives any stderr,
stdin (file, pipe, terminal) reaches the app with its end of file, isatty tells the truth,
and a closed stdout reader stops the VM (141, as SIGPIPE)."""
import functools
import os
import select
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "guest", "console_app.c")


@functools.lru_cache(maxsize=None)
def app():
    out = os.path.join(cli_support.scratch_dir(), "console_app.elf")
    result = subprocess.run([sys.executable, cli_support.SKIFF, "build", SOURCE, "-o", out, "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600,
                            env=cli_support.skiff_env())
    assert result.returncode == 0, result.stdout.decode()
    return out


def run(*app_args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        timeout=120):
    return subprocess.run([sys.executable, cli_support.SKIFF, "run", app(), "--", *app_args],
                          env=cli_support.skiff_env(), stdin=stdin, stdout=stdout,
                          stderr=stderr, timeout=timeout)


def test_stdout_and_stderr_to_one_file_keep_order():
    """Item 1: `> f 2>&1` (one open file, offset shared) gets every write, in order."""
    with tempfile.TemporaryFile() as f:
        result = run("order", stdout=f, stderr=subprocess.STDOUT)
        f.seek(0)
        data = f.read()
    assert result.returncode == 0, (result.returncode, data)
    assert data == b"out 1\nerr 2\nout 3\n", data


def test_exit_status_after_stderr_without_newline():
    """Item 2: stderr not ending in a newline does not hide the exit line."""
    result = run("nonl")
    assert result.returncode == 5, (result.returncode, result.stderr)
    assert result.stderr == b"no newline at the end", result.stderr


def test_exit_status_after_stderr_without_newline_on_the_fallback_ports():
    """Item 2 without the console link (a bare QEMU: stderr shares debugcon with the kernel
    log): the kernel starts its exit line on a line of its own."""
    script = (
        "import sys\n"
        "from skiffpy.qemu import qemu_command\n"
        "from skiffpy.vmrun import run_vm\n"
        "sys.exit(run_vm(lambda out, log: qemu_command(sys.argv[1], mem=64 << 20,\n"
        "    cmdline='-- \"app\" \"nonl\"', out_path=out, log_path=log)))\n")
    result = subprocess.run([sys.executable, "-c", script, app()], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120,
                            env=dict(cli_support.skiff_env(),
                                     PYTHONPATH=os.path.join(cli_support.ROOT, "tools")))
    assert result.returncode == 5, (result.returncode, result.stderr)
    assert result.stderr == b"no newline at the end\n", result.stderr


def _expected_volume(nbytes):
    return b"".join(b"%099d\n" % i for i in range(nbytes // 100))


def test_stdin_from_a_file_reaches_the_app_with_eof():
    """Item 3: `skiff run cat.elf < file`: every byte, then end of file."""
    data = bytes(range(256)) * 1200 + b"tail without newline"
    with tempfile.TemporaryFile() as f:
        f.write(data)
        f.seek(0)
        result = run("cat", stdin=f)
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert result.stdout == data, len(result.stdout)
    assert result.stderr == b"eof after %d bytes\n" % len(data), result.stderr


def test_stdin_from_a_pipe_and_from_dev_null():
    data = b"through a pipe\n" * 5000
    proc = subprocess.Popen([sys.executable, cli_support.SKIFF, "run", app(), "--", "cat"],
                            env=cli_support.skiff_env(), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(data, timeout=120)
    assert proc.returncode == 0 and out == data, (proc.returncode, len(out), err)
    result = run("cat")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"eof after 0 bytes\n")


def test_app_that_never_reads_stdin_still_exits():
    with tempfile.TemporaryFile() as f:
        f.write(b"x" * 1000000)
        f.seek(0)
        result = run("order", stdin=f)
    assert result.returncode == 0 and result.stdout == b"out 1\nout 3\n", result


def _read_until(fd, wanted, timeout=120):
    got = b""
    deadline = time.monotonic() + timeout
    while wanted not in got and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], deadline - time.monotonic())
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            got += chunk
    return got


def test_interactive_terminal_line_input_and_eof():
    """Item 3 on a terminal: each line reaches the app when typed; Ctrl-D is end of file."""
    master, slave = os.openpty()
    proc = subprocess.Popen([sys.executable, cli_support.SKIFF, "run", app(), "--", "lines"],
                            env=cli_support.skiff_env(), stdin=slave, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    os.close(slave)
    try:
        os.write(master, b"first line\n")
        got = _read_until(proc.stdout.fileno(), b"got first line\n")
        assert got == b"got first line\n", got
        os.write(master, b"second\n")
        got = _read_until(proc.stdout.fileno(), b"got second\n")
        assert got == b"got second\n", got
        os.write(master, b"\x04")                 # Ctrl-D at the start of a line
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out == b"eof\n", (proc.returncode, out, err)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)


def test_waiting_for_stdin_is_no_deadlock():
    """A thread blocked in poll() or read() on stdin waits for the host (the console link's
    interrupt wakes it), while threads blocked on nothing else still panic as deadlocked
    (tests/boot/deadlock)."""
    for mode in ("poll", "lines"):
        proc = subprocess.Popen([sys.executable, cli_support.SKIFF, "run", app(), "--", mode],
                                env=cli_support.skiff_env(), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(3)                             # the guest is idle, waiting
        out, err = proc.communicate(b"late\n", timeout=120)
        want = b"poll ready: late\n\n" if mode == "poll" else b"got late\neof\n"
        assert (proc.returncode, out) == (0, want), (mode, proc.returncode, out, err)


def test_isatty_reports_skiffs_own_stdio():
    """Item 4: pipes and files are not terminals; a terminal is."""
    result = run("isatty")
    assert (result.returncode, result.stdout) == (0, b"tty 000\n"), result
    master, slave = os.openpty()
    try:
        result = run("isatty", stdin=slave, stderr=slave)
        assert (result.returncode, result.stdout) == (0, b"tty 101\n"), result
        result = run("isatty", stdout=slave)
        os.close(slave)
        slave = None
        out = _read_until(master, b"\n", timeout=5)
        assert result.returncode == 0 and out.startswith(b"tty 010"), (result, out)
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)


def test_ten_megabytes_of_stdout_exact_through_a_pipe():
    """Item 9's volume, bytes exact (its speed is `make bench-console`'s)."""
    result = run("volume", "10000000", timeout=300)
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert result.stdout == _expected_volume(10000000), len(result.stdout)


def test_closed_stdout_reader_stops_the_vm_like_sigpipe():
    """Item 9: `skiff run big.elf | head -c 100` stops at once with 141 (128 + SIGPIPE)."""
    proc = subprocess.Popen([sys.executable, cli_support.SKIFF, "run", app(), "--",
                             "volume", "100000000000"], env=cli_support.skiff_env(),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    head = proc.stdout.read(100)
    proc.stdout.close()
    try:
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    err = proc.stderr.read()
    proc.stderr.close()
    assert head == _expected_volume(200)[:100], head
    assert proc.returncode == 141, (proc.returncode, err)
    assert not cli_support.processes_mentioning(app()), "QEMU left running"
