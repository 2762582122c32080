"""skiff run: booting the probe guests and the exit-line protocol (with a scripted fake QEMU)."""
import os
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402


def test_trivial_image_prints_hello_and_exits_0():
    result = cli_support.skiff("run", cli_support.image("trivial"))
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert result.stdout == b"hello\n", result.stdout
    assert b"skiff: exit" not in result.stderr, result.stderr


def test_exit_line_shown_with_skiff_verbose():
    result = cli_support.skiff("run", cli_support.image("trivial"),
                               env=cli_support.skiff_env(SKIFF_VERBOSE="1"))
    assert result.returncode == 0 and b"skiff: exit 0\n" in result.stderr, result


def test_trivial_boots_on_pc():
    result = cli_support.skiff("run", "--machine", "pc", cli_support.image("trivial"))
    assert (result.returncode, result.stdout) == (0, b"hello\n"), result


def test_dry_run_command_line():
    image = cli_support.image("trivial")
    result = cli_support.skiff("run", "--dry-run", "--mem", "32", "--append", "bootstat",
                               "--gdb", "1234", image, "--", "a b", "")
    assert result.returncode == 0, result
    argv = shlex.split(result.stdout.decode())
    # no ACPI tables (a skiff guest does without), and no virtio_mmio.device= words that
    # QEMU would otherwise append to the app's arguments
    expected_pairs = [("-M", "microvm,x-option-roms=off,rtc=on,acpi=off,auto-kernel-cmdline=off"),
                      ("-accel", "tcg"),
                      ("-cpu", "max"), ("-m", "32M"), ("-kernel", image),
                      ("-append", '"hostname=trivial" bootstat -- "trivial.elf" "a b" ""'),
                      ("-serial", "chardev:out"), ("-gdb", "tcp:127.0.0.1:1234")]
    for flag, value in expected_pairs:
        assert flag in argv and argv[argv.index(flag) + 1] == value, (flag, argv)
    for flag in ("-nodefaults", "-no-user-config", "-no-reboot", "-S"):
        assert flag in argv, (flag, argv)
    assert argv[argv.index("-sandbox") + 1] == \
        "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny", argv
    devices = [argv[i + 1] for i, a in enumerate(argv) if a == "-device"]
    assert "isa-debugcon,iobase=0xe9,chardev=log" in devices, devices
    assert "isa-debug-exit,iobase=0xf4,iosize=4" in devices, devices


def test_options_after_image():
    image = cli_support.image("trivial")
    result = cli_support.skiff("run", image, "--dry-run", "--machine", "q35")
    assert result.returncode == 0 and b" -M q35 " in result.stdout, result


def test_app_exit_status_from_exit_line():
    result = cli_support.skiff("run", cli_support.image("trivial"),
                               env=cli_support.fake_qemu_env(
                                   log=b"app: to stderr\nskiff: exit 200\n", out=b"x\r\ny",
                                   status=1))
    assert result.returncode == 200, result
    assert result.stdout == b"x\r\ny", result.stdout
    assert result.stderr == b"app: to stderr\n", result.stderr


def test_quiet_hides_kernel_lines():
    log = b"skiff: bootstat: main 12 ms\napp line\nskiff: exit 3\n"
    result = cli_support.skiff("run", "--quiet", cli_support.image("trivial"),
                               env=cli_support.fake_qemu_env(log=log, status=7))
    assert result.returncode == 3, result
    assert result.stderr == b"app line\n", result.stderr


def test_quiet_still_shows_a_panic_with_its_context():
    log = (b"skiff: bootstat: main 12 ms\napp line\nskiff: page fault at address 0\n"
           b"skiff: panic: page fault in main\n")
    result = cli_support.skiff("run", "--quiet", cli_support.image("trivial"),
                               env=cli_support.fake_qemu_env(log=log, status=1))
    assert result.returncode == 134, result
    assert result.stderr == (b"app line\nskiff: page fault at address 0\n"
                             b"skiff: panic: page fault in main\n"), result.stderr


def test_refused_boot_is_126():
    log = b"skiff: refused: bad command line (unterminated double quote)\n"
    result = cli_support.skiff("run", cli_support.image("trivial"),
                               env=cli_support.fake_qemu_env(log=log, status=1))
    assert result.returncode == 126, result
    assert b"skiff: refused" in result.stderr, result.stderr


def test_vm_stopping_without_exit_line_is_134():
    result = cli_support.skiff("run", cli_support.image("trivial"),
                               env=cli_support.fake_qemu_env(log=b"skiff: booting\n", status=0))
    assert result.returncode == 134, result
    assert result.stderr.decode().endswith(
        "skiff run: VM stopped without an exit line (triple fault?)\n"), result.stderr


def test_qemu_error_is_forwarded_and_125():
    err = b"qemu-system-x86_64: -device foo: 'foo' is not a valid device model name\n"
    result = cli_support.skiff("run", cli_support.image("trivial"),
                               env=cli_support.fake_qemu_env(stderr=err, status=1))
    assert result.returncode == 125, result
    lines = result.stderr.decode().splitlines()
    assert lines[0] == err.decode().strip(), lines
    assert lines[-1].startswith("skiff run: VM did not start"), lines


def test_cpus_option_command_line():
    """--cpus N: -smp N and, under TCG, one host thread per vCPU; --cpus 1 (the default)
    adds neither."""
    image = cli_support.image("trivial")
    env = cli_support.skiff_env(SKIFF_ACCEL="tcg")
    result = cli_support.skiff("run", image, "--dry-run", "--cpus", "2", env=env)
    assert result.returncode == 0, result
    argv = shlex.split(result.stdout.decode())
    assert argv[argv.index("-accel") + 1] == "tcg,thread=multi", argv
    assert argv[argv.index("-smp") + 1] == "2", argv
    for extra in ((), ("--cpus", "1")):
        result = cli_support.skiff("run", image, "--dry-run", *extra, env=env)
        argv = shlex.split(result.stdout.decode())
        assert result.returncode == 0 and "-smp" not in argv, result
        assert argv[argv.index("-accel") + 1] == "tcg", argv


def test_cpus_option_refuses_bad_counts():
    image = cli_support.image("trivial")
    for bad in ("0", "17", "two", "-1"):
        result = cli_support.skiff("run", image, "--dry-run", f"--cpus={bad}")
        assert result.returncode == 2, (bad, result)
        assert b"--cpus: not a CPU count from 1 to 16" in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_cpus_two_boots_and_exits():
    result = cli_support.skiff("run", "--cpus", "2", cli_support.image("trivial"))
    assert (result.returncode, result.stdout) == (0, b"hello\n"), result
