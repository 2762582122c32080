"""skiff's lean QEMU (tools/qemu/): skiff run boots microvm on it where it is built, on Debian's QEMU what it lacks, and says which."""
import os
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402
import test_launcher  # noqa: E402
from skiffpy.qemu import LEAN_QEMU  # noqa: E402

DEBIAN = "qemu-system-x86_64"


def _fake_lean():
    """A stand-in lean build that appends its own path ($0) to $REC_FILE and fails."""
    path = os.path.join(cli_support.scratch_dir(), "fake-qemu-lean")
    with open(path, "w") as f:
        f.write('#!/bin/sh\necho "$0" >> "$REC_FILE"\nexit 1\n')
    os.chmod(path, 0o755)
    return path


def _dry_run(*args, **env):
    """(QEMU's argv[0], skiff's stderr) of skiff run --dry-run ARGS."""
    result = cli_support.skiff("run", "--dry-run", *args, env=cli_support.skiff_env(**env))
    assert result.returncode == 0, result
    return shlex.split(result.stdout.decode())[0], result.stderr.decode()


def test_dry_run_names_the_lean_build_for_microvm_and_debians_for_the_rest():
    fake, image = _fake_lean(), cli_support.image("trivial")
    argv0, err = _dry_run(image, SKIFF_QEMU_LEAN=fake)
    assert argv0 == fake and f"skiff run: QEMU: {fake} (the lean build" in err, err
    for machine in ("pc", "q35"):
        argv0, err = _dry_run("--machine", machine, image, SKIFF_QEMU_LEAN=fake)
        assert argv0 == DEBIAN, argv0
        assert f"QEMU: {DEBIAN} (Debian's; the lean build has no {machine} machine)" in err, err
    argv0, err = _dry_run(image, SKIFF_QEMU_LEAN="0")
    assert argv0 == DEBIAN and "SKIFF_QEMU_LEAN=0" in err, err
    argv0, err = _dry_run(image, SKIFF_QEMU_LEAN="/nonexistent/qemu-lean")
    assert argv0 == DEBIAN and "no lean build at /nonexistent/qemu-lean" in err, err
    argv0, err = _dry_run(image, SKIFF_QEMU_LEAN=fake, SKIFF_QEMU="/bin/false")
    assert argv0 == "/bin/false" and "(SKIFF_QEMU)" in err, err


def test_launcher_and_python_start_the_lean_build():
    """The common case through the C launcher and through Python: both exec the lean build
    (the stand-in fails, so skiff says the VM did not start)."""
    test_launcher.built()
    fake = _fake_lean()
    record = os.path.join(cli_support.scratch_dir(), "lean-argv0")
    for launcher in ("1", "0"):
        if os.path.exists(record):
            os.unlink(record)
        env = cli_support.skiff_env(SKIFF_QEMU_LEAN=fake, REC_FILE=record,
                                    SKIFF_LAUNCHER=launcher)
        result = subprocess.run([cli_support.SKIFF, "run", test_launcher.HELLO], env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, timeout=60)
        assert result.returncode == 125, (launcher, result)
        with open(record) as f:
            assert f.read() == fake + "\n", launcher


def test_the_lean_build_boots_hello_where_built():
    """With `make qemu-lean` done (make all does it), the real lean build runs hello and is
    what --dry-run names; without it, Debian's QEMU is named."""
    test_launcher.built()
    argv0, err = _dry_run(test_launcher.HELLO)
    if not os.access(LEAN_QEMU, os.X_OK):
        assert argv0 == DEBIAN and "no lean build" in err, err
        return
    assert argv0 == LEAN_QEMU, argv0
    result = subprocess.run([cli_support.SKIFF, "run", test_launcher.HELLO, "--", "a", "b"],
                            env=cli_support.skiff_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert (result.returncode, result.stdout) == \
        (0, b"Hello from skiff! argv[0]=hello.elf, 2 argument(s)\n"), result
