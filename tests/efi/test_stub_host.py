"""Host unit tests of the UEFI stub's pure C (efi/elf.c, memmap.c, args.c) under ASan+UBSan."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "build", "tests", "efi")
SOURCES = [os.path.join(ROOT, "tests", "efi", "host_stub.c")] + \
    [os.path.join(ROOT, "efi", f) for f in ("elf.c", "memmap.c", "args.c")]
CFLAGS = ["-O1", "-g", "-Wall", "-Wextra", "-Werror", "-fsanitize=address,undefined",
          "-fshort-wchar", "-DGNU_EFI_USE_MS_ABI", "-I" + os.path.join(ROOT, "efi"),
          "-I" + os.path.join(ROOT, "include"), "-I/usr/include/efi",
          "-I/usr/include/efi/x86_64"]


def _kernel_elf():
    """A real skiff image to check: tests/boot/hello as a PVH ELF."""
    os.makedirs(OUT, exist_ok=True)
    elf = os.path.join(OUT, "efi_host_hello.elf")
    result = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "skiff"), "build",
                             os.path.join(ROOT, "tests", "boot", "hello"), "-o", elf, "-q"],
                            stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return elf


def test_stub_pure_parts_on_host():
    exe = os.path.join(OUT, "host_stub")
    os.makedirs(OUT, exist_ok=True)
    cc = subprocess.run(["gcc", *CFLAGS, *SOURCES, "-o", exe], capture_output=True, timeout=120)
    assert cc.returncode == 0, cc.stderr.decode(errors="replace")
    env = dict(os.environ, UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1")
    run = subprocess.run([exe, _kernel_elf()], capture_output=True, env=env, timeout=60)
    out = run.stdout.decode(errors="replace") + run.stderr.decode(errors="replace")
    assert run.returncode == 0 and "FAIL" not in out, out
    assert out.count("ok ") >= 9, out


if __name__ == "__main__":
    test_stub_pure_parts_on_host()
    print("PASS test_stub_pure_parts_on_host")
