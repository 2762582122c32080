"""The C launcher (tools/launcher/skiff-run.c): `tools/skiff run` typed as a command boots without Python and behaves as the Python path does.

The console and exit-status tests of test_console.py and test_run.py run again with
`tools/skiff` started as a command (so /bin/sh hands `run` to build/bin/skiff-run); for the
real-QEMU ones PATH holds QEMU and nothing else, so a hand-back to Python would fail."""
import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402
from skiffpy.qemu import QEMU_LIB_DIR, QEMU_TUNABLES  # noqa: E402

CLI_DIR = os.path.dirname(os.path.abspath(__file__))
LAUNCHER = os.path.join(cli_support.ROOT, "build", "bin", "skiff-run")
HELLO = os.path.join(cli_support.ROOT, "build", "apps", "hello", "hello.elf")
CONSOLE_TESTS = ("test_stdout_and_stderr_to_one_file_keep_order",
                 "test_exit_status_after_stderr_without_newline",
                 "test_stdin_from_a_file_reaches_the_app_with_eof",
                 "test_stdin_from_a_pipe_and_from_dev_null",
                 "test_app_that_never_reads_stdin_still_exits",
                 "test_interactive_terminal_line_input_and_eof",
                 "test_waiting_for_stdin_is_no_deadlock",
                 "test_isatty_reports_skiffs_own_stdio",
                 "test_ten_megabytes_of_stdout_exact_through_a_pipe",
                 "test_closed_stdout_reader_stops_the_vm_like_sigpipe")
RUN_TESTS = ("test_trivial_image_prints_hello_and_exits_0",
             "test_exit_line_shown_with_skiff_verbose",
             "test_app_exit_status_from_exit_line", "test_quiet_hides_kernel_lines",
             "test_quiet_still_shows_a_panic_with_its_context", "test_refused_boot_is_126",
             "test_vm_stopping_without_exit_line_is_134", "test_qemu_error_is_forwarded_and_125")


@functools.lru_cache(maxsize=None)
def built():
    result = subprocess.run(["make", "-s", "-C", cli_support.ROOT, "launcher", "hello"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    assert result.returncode == 0, result.stdout.decode()[-2000:]
    assert os.access(LAUNCHER, os.X_OK)
    return True


@functools.lru_cache(maxsize=None)
def qemu_only_path():
    """A PATH folder with qemu-system-x86_64 and nothing else (no python3, no sh tools)."""
    folder = os.path.join(cli_support.scratch_dir(), "qemu-only")
    os.makedirs(folder, exist_ok=True)
    link = os.path.join(folder, "qemu-system-x86_64")
    if not os.path.exists(link):
        os.symlink(shutil.which("qemu-system-x86_64"), link)
    return folder


@functools.lru_cache(maxsize=None)
def shim():
    """Stands in for sys.executable in the borrowed tests: `SHIM tools/skiff ARGS` runs
    tools/skiff as a command; anything else goes to the real Python."""
    path = os.path.join(cli_support.scratch_dir(), "as-a-command")
    with open(path, "w") as f:
        f.write(f'#!/bin/sh\nif [ "$1" = "{cli_support.SKIFF}" ]; then shift; '
                f'exec "{cli_support.SKIFF}" "$@"; fi\nexec "{sys.executable}" "$@"\n')
    os.chmod(path, 0o755)
    return path


def _borrowed(module, name, qemu_only):
    built()
    code = [f"import sys; sys.path.insert(0, {CLI_DIR!r}); import cli_support, {module}"]
    if qemu_only:
        # the guest builds first, through Python with the full PATH; then PATH holds QEMU only
        code += [f"{module}.app()", "_env = cli_support.skiff_env",
                 f"cli_support.skiff_env = lambda **o: dict(_env(**o), PATH={qemu_only_path()!r})"]
    code += [f"sys.executable = {shim()!r}", f"{module}.{name}()"]
    result = subprocess.run([sys.executable, "-c", "\n".join(code)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    assert result.returncode == 0, (module, name, result.stdout.decode()[-3000:])


def test_console_behaviour_through_the_launcher():
    for name in CONSOLE_TESTS:
        _borrowed("test_console", name, qemu_only=True)


def test_exit_statuses_through_the_launcher():
    for name in RUN_TESTS:
        _borrowed("test_run", name, qemu_only=False)


def _as_command(*args, path=None, **env):
    built()
    full = cli_support.skiff_env(**env)
    if path:
        full["PATH"] = path
    return subprocess.run([cli_support.SKIFF, *args], env=full, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)


def test_common_case_runs_without_python():
    result = _as_command("run", "--quiet", HELLO, "--", "a", "b c", path=qemu_only_path())
    assert result.returncode == 0, result
    assert result.stdout == b"Hello from skiff! argv[0]=hello.elf, 2 argument(s)\n", result.stdout


def test_other_cases_are_handed_to_python():
    """--timeout is Python's: without python3 on PATH the hand-back fails, with it it works."""
    result = _as_command("run", "--timeout", "60", HELLO, path=qemu_only_path())
    assert result.returncode == 125 and b"cannot start python3" in result.stderr, result
    result = _as_command("run", "--timeout", "60", HELLO)
    assert result.returncode == 0 and result.stdout.startswith(b"Hello from skiff!"), result


def test_errors_come_from_python():
    """A missing image, a bad --mem, too little memory: the Python front end's messages."""
    for args, status, text in ((["run", "/nonexistent.elf"], 125, b"no such image"),
                               (["run", "--mem", "1M", HELLO], 125, b"out of memory"),
                               (["run", "--mem", "lots", HELLO], 2, b"bad memory size")):
        result = _as_command(*args)
        assert result.returncode == status and text in result.stderr, (args, result)


def test_accelerator_verdict_comes_from_the_cache():
    """No SKIFF_ACCEL: with no cached verdict the launcher hands over (Python probes and
    caches); the next run reads the cache and prints the same notice."""
    cache = os.path.join(cli_support.scratch_dir(), "fresh-cache")
    shutil.rmtree(cache, ignore_errors=True)
    env = {"SKIFF_ACCEL": None, "XDG_CACHE_HOME": cache}
    first = _as_command("run", HELLO, **env)
    assert first.returncode == 0, first
    assert os.path.exists(os.path.join(cache, "skiff", "accel.json"))
    second = _as_command("run", HELLO, path=qemu_only_path(), **env)
    assert second.returncode == 0, second
    assert second.stderr == first.stderr, (first.stderr, second.stderr)


def test_stale_launcher_is_not_used():
    """A launcher older than its source is skipped (tools/skiff falls back to Python)."""
    built()
    source = os.path.join(cli_support.ROOT, "tools", "launcher", "skiff-run.c")
    saved = os.stat(LAUNCHER)
    try:
        os.utime(LAUNCHER, (saved.st_atime, os.stat(source).st_mtime - 10))
        result = _as_command("run", HELLO, path=qemu_only_path())
        assert result.returncode == 127 and b"python3: not found" in result.stderr, result
    finally:
        os.utime(LAUNCHER, (saved.st_atime, saved.st_mtime))


def test_signals_stop_the_vm():
    """Ctrl-C (SIGINT) -> 130 with one line, SIGTERM -> 143, SIGKILL of the launcher: QEMU
    goes too (its parent-death signal), as with the Python front end."""
    import test_console
    built()
    image = test_console.app()
    for sig, status in ((signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGKILL, -9)):
        read_end, write_end = os.pipe()
        proc = subprocess.Popen([cli_support.SKIFF, "run", image, "--", "lines"],
                                env=cli_support.skiff_env(), stdin=read_end,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True,
                                preexec_fn=cli_support.default_stop_signals)
        os.close(read_end)
        try:
            deadline = time.monotonic() + 60
            while not cli_support.children(proc.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            with open(f"/proc/{proc.pid}/comm") as f:
                assert f.read().strip() == "skiff-run"     # the launcher, not Python
            qemu = cli_support.children(proc.pid)
            assert qemu, "no QEMU started"
            time.sleep(1)
            proc.send_signal(sig)
            _, err = proc.communicate(timeout=30)
            assert proc.returncode == status, (sig, proc.returncode, err)
            if sig == signal.SIGINT:
                assert err == b"skiff run: interrupted, VM stopped\n", err
            deadline = time.monotonic() + 10
            while any(cli_support.running(q) for q in qemu) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not any(cli_support.running(q) for q in qemu), (sig, "QEMU left running")
        finally:
            os.close(write_end)
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _recorded_qemu_argv(launcher_on):
    """The QEMU argv of `skiff run hello.elf -- a b` through the launcher or through Python,
    and the GLIBC_TUNABLES and LD_LIBRARY_PATH QEMU gets (the user's own after skiff's),
    with the numbers of inherited descriptors left out (they differ run to run)."""
    built()
    folder = cli_support.scratch_dir()
    fake, record = os.path.join(folder, "record-qemu"), os.path.join(folder, "qemu-argv")
    with open(fake, "w") as f:
        f.write('#!/bin/sh\nprintf "%s\\n" "$@" "env GLIBC_TUNABLES=$GLIBC_TUNABLES" '
                '"env LD_LIBRARY_PATH=$LD_LIBRARY_PATH" >> "$REC_FILE"\nexit 1\n')
    os.chmod(fake, 0o755)
    if os.path.exists(record):
        os.unlink(record)
    env = dict(cli_support.skiff_env(), SKIFF_QEMU=fake, SKIFF_ACCEL="tcg", REC_FILE=record,
               SKIFF_LAUNCHER="1" if launcher_on else "0", GLIBC_TUNABLES="glibc.x=1",
               LD_LIBRARY_PATH="/nonexistent-lib")
    subprocess.run([cli_support.SKIFF, "run", HELLO, "--", "a", "b"], env=env,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60)
    with open(record) as f:
        words = f.read().splitlines()
    return sorted(re.sub(r"fd=\d+|/proc/self/fd/\d+", "fd", w) for w in words)


def test_launcher_starts_qemu_exactly_as_python_does():
    """Any flag added to one path and not the other (a device, the seccomp sandbox, QEMU's
    glibc tunables, its stand-in disassembler library) fails here."""
    words = _recorded_qemu_argv(True)
    assert words == _recorded_qemu_argv(False)
    assert f"env GLIBC_TUNABLES={QEMU_TUNABLES}:glibc.x=1" in words
    assert f"env LD_LIBRARY_PATH={QEMU_LIB_DIR}:/nonexistent-lib" in words
