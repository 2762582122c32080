"""UEFI boot tests: skiff images built as .efi/.img and booted through OVMF (q35, TCG here).

Each test_* raises AssertionError on failure. Run alone with `python3 tests/efi/test_efi.py`
(or through tests/run.py once it scans tests/efi). About 4 s a boot under TCG."""
import functools
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIFF = os.path.join(ROOT, "tools", "skiff")
BOOT_TESTS = os.path.join(ROOT, "tests", "boot")
OUT = os.path.join(ROOT, "build", "tests", "efi")
BOOT_TIMEOUT = 90          # one OVMF boot takes 3-10 s under TCG
ARGV_ARGS = ["alpha", "beta gamma", "", 'say "hi"', "back\\slash"]  # tests/boot/argv/expect
EFI_MAKE = ["make", "-s", "-C", ROOT, "-f", os.path.join(ROOT, "Makefile"),
            "-f", os.path.join(ROOT, "mk", "efi.mk")]


def skiff(*args, timeout=BOOT_TIMEOUT):
    env = dict(os.environ, SKIFF_ACCEL="tcg")
    for key in ("SKIFF_QEMU", "SKIFF_VERBOSE", "SKIFF_NO_HOST_CHECKS", "SKIFF_OVMF"):
        env.pop(key, None)
    return subprocess.run([sys.executable, SKIFF, *args], env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)


@functools.lru_cache(maxsize=None)
def built(test, suffix):
    """tests/boot/<test> built as OUT/efi_<test><suffix> (once per session)."""
    os.makedirs(OUT, exist_ok=True)
    image = os.path.join(OUT, f"efi_{test}{suffix}")
    result = skiff("build", os.path.join(BOOT_TESTS, test), "-o", image, "-q", timeout=300)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return image


def _describe(result):
    return (f"status {result.returncode}\n--- stdout\n{result.stdout!r}\n--- stderr\n"
            f"{result.stderr.decode(errors='replace')}")


def test_hello_efi_stdout_is_exact():
    result = skiff("run", built("hello", ".efi"))
    assert result.returncode == 0, _describe(result)
    assert result.stdout == b"Hello from skiff\n", _describe(result)   # no firmware text


def test_argv_efi_arguments_survive():
    result = skiff("run", built("argv", ".efi"), "--", *ARGV_ARGS)
    assert result.returncode == 0, _describe(result)
    assert result.stdout == b"argv ok: argv[0]=efi_argv.efi\n", _describe(result)


def test_exit_42_efi_status_passes_through():
    result = skiff("run", built("exit_42", ".efi"))
    assert result.returncode == 42, _describe(result)
    assert result.stdout == b"exiting with 42\n", _describe(result)


def test_hello_img_boots():
    image = built("hello", ".img")
    with open(image, "rb") as f:
        f.seek(512)
        assert f.read(8) == b"EFI PART"
    before = os.path.getmtime(image), os.path.getsize(image)
    result = skiff("run", image, "--", "x")
    assert result.returncode == 0, _describe(result)
    assert result.stdout == b"Hello from skiff\n", _describe(result)
    assert (os.path.getmtime(image), os.path.getsize(image)) == before, "skiff run changed the .img"


def test_elf_with_machine_efi_is_wrapped():
    result = skiff("run", built("exit_42", ".elf"), "--machine", "efi")
    assert result.returncode == 42, _describe(result)
    assert result.stdout == b"exiting with 42\n", _describe(result)


def test_cpus_4_efi_every_cpu_from_ovmf_madt():
    result = skiff("run", built("smp_online", ".efi"), "--cpus", "4", timeout=240)
    assert result.returncode == 0, _describe(result)
    assert result.stdout == b"cpus online 4 conf 4 nprocs 4\n", _describe(result)
    assert b"skiff: 4 CPUs up" in result.stderr, _describe(result)


def test_cpus_2_elf_with_machine_efi_routes_interrupts_to_cpu_1():
    # irq_route: virtio-net-pci's MSI-X re-aimed at CPU 1 once it is up, through OVMF's tables
    result = skiff("run", built("irq_route", ".elf"), "--machine", "efi", "--cpus", "2",
                   "--append", "irqcpu=1", "--", "1", timeout=240)
    assert result.returncode == 0, _describe(result)
    assert b"interrupts on cpu 1 only\n" in result.stdout, _describe(result)


def _rejected_fast(image, words):
    start = time.monotonic()
    result = skiff("run", image, timeout=30)
    secs = time.monotonic() - start
    err = result.stderr.decode(errors="replace")
    assert result.returncode == 125, _describe(result)
    assert len(err.splitlines()) == 1 and err.startswith("skiff run: "), err
    for word in words:
        assert word in err, err
    assert secs < 5, f"took {secs:.1f} s to reject"
    assert result.stdout == b""


def test_truncated_efi_rejected_before_qemu():
    path = os.path.join(OUT, "truncated.efi")
    with open(built("hello", ".efi"), "rb") as f:
        head = f.read(4096)
    with open(path, "wb") as f:
        f.write(head)
    _rejected_fast(path, ["truncated.efi", "truncated PE image"])


def test_text_file_named_efi_rejected():
    path = os.path.join(OUT, "x.efi")
    with open(path, "w") as f:
        f.write("this is not a UEFI application\n")
    _rejected_fast(path, ["x.efi", "not a UEFI application"])


def test_stub_refusing_a_bad_kernel_stops_the_vm():
    """A well-formed .efi whose embedded kernel is not an ELF: the stub says why on ConOut,
    skiff run stops the VM at once (no UEFI shell, no hang) and exits 125."""
    work = os.path.join(OUT, "badkernel")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    blob = os.path.join(work, "notakernel.bin")
    with open(blob, "w") as f:
        f.write("not a kernel\n" * 100)
    image = os.path.join(work, "bad.efi")
    make = subprocess.run(EFI_MAKE + ["efi-pe", f"EFI_KERNEL={blob}", f"EFI_PE={image}",
                                      f"EFI_WORK={work}/obj"],
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    assert make.returncode == 0, make.stderr.decode(errors="replace")
    start = time.monotonic()
    result = skiff("run", image)
    err = result.stderr.decode(errors="replace")
    assert result.returncode == 125, _describe(result)
    assert "UEFI stub: bad kernel image: not an ELF file" in err, err
    assert result.stdout == b"", _describe(result)
    assert time.monotonic() - start < 30


def test_machine_microvm_cannot_boot_efi():
    result = skiff("run", built("hello", ".efi"), "--machine", "microvm", timeout=30)
    assert result.returncode == 2, _describe(result)
    assert b"no UEFI firmware" in result.stderr


def main():
    failed = 0
    for name, fn in list(globals().items()):
        if not (name.startswith("test_") and callable(fn)):
            continue
        start = time.monotonic()
        try:
            fn()
            print(f"PASS {name} ({time.monotonic() - start:.1f}s)", flush=True)
        except Exception as err:  # noqa: BLE001 - report every failure, keep going
            failed += 1
            print(f"FAIL {name}: {type(err).__name__}: {err}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
