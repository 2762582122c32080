"""Without isa-debug-exit the kernel powers off through ACPI S5 (microvm: the hardware-reduced
sleep register; pc: the PM1a control block) instead of hanging or rebooting. (skiff run's
microvm has no ACPI tables, tools/skiffpy/qemu.py; the microvm test turns them on.)"""
import os
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.path.join(ROOT, "tools", "skiff")
HELLO = os.path.join(ROOT, "build", "apps", "hello", "hello.elf")
sys.path.insert(0, os.path.join(ROOT, "tools"))

from skiffpy.qemu import without_console_link  # noqa: E402


def _boot_without_debug_exit(machine):
    if not os.path.exists(HELLO):
        subprocess.run(["make", "-s", "-C", ROOT, "all"], check=True)
    env = dict(os.environ, SKIFF_ACCEL="tcg")
    dry = subprocess.run([SKIFF, "run", "--dry-run", "--machine", machine, HELLO],
                         capture_output=True, text=True, env=env, check=True)
    cmd = shlex.split(dry.stdout.strip().splitlines()[-1])
    i = cmd.index("isa-debug-exit,iobase=0xf4,iosize=4")
    del cmd[i - 1:i + 1]          # the -device and its value
    cmd.remove("-no-reboot")      # a reset would now reboot: power-off must be real
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "log")
        cmd = without_console_link(cmd, log)   # no skiff run around it: stdout on COM1
        if machine == "microvm":      # skiff run's microvm has no ACPI tables: put them back
            i = cmd.index("-M") + 1
            cmd[i] = cmd[i].replace("acpi=off", "acpi=on")
            assert "acpi=on" in cmd[i], cmd
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        with open(log) as f:
            return p.returncode, p.stdout, f.read()


def test_acpi_poweroff_microvm():
    rc, out, log = _boot_without_debug_exit("microvm")
    assert rc == 0, (rc, log)
    assert out.count("Hello from skiff") == 1, out
    assert "skiff: exit 0" in log, log


def test_acpi_poweroff_pc():
    rc, out, log = _boot_without_debug_exit("pc")
    assert rc == 0, (rc, log)
    assert out.count("Hello from skiff") == 1, out
    assert "skiff: exit 0" in log, log
