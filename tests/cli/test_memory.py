"""--mem parsing and the memory an image needs, computed from its ELF program headers."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402
from skiffpy.elfimage import ElfImage, NotAnImage  # noqa: E402
from skiffpy.memsize import MIB, describe, parse_mem, qemu_mem_arg  # noqa: E402


def test_mem_syntax():
    assert parse_mem("2M") == 2 * MIB
    assert parse_mem("64m") == 64 * MIB
    assert parse_mem("1G") == 1024 * MIB
    assert parse_mem("1.5G") == 1536 * MIB
    assert parse_mem("512") == 512 * MIB
    assert parse_mem("4096K") == 4 * MIB
    for bad in ("", "M", "-1M", "0", "1X", "1 G B", "64MB"):
        try:
            parse_mem(bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted --mem {bad!r}")


def test_mem_formats():
    assert qemu_mem_arg(64 * MIB) == "64M"
    assert qemu_mem_arg(1536 * 1024) == "1536K"
    assert describe(2 * MIB) == "2M" and describe(1024 * MIB) == "1G"


def test_trivial_image_needs_two_mib():
    image = ElfImage(cli_support.image("trivial"))
    assert image.has_pvh_note()
    assert image.memory_needed() == 2 * MIB, image.memory_needed()


def test_need_grows_with_the_highest_segment():
    image = ElfImage(cli_support.image("trivial"))
    loads = [s for s in image.segments if s["type"] == 1]
    loads[0]["paddr"] = 0x300000           # top at 3 MiB + a little, + 512 KiB → 4 MiB
    assert image.memory_needed() == 4 * MIB, image.memory_needed()


def test_non_elf_and_missing_note():
    not_elf = os.path.join(cli_support.scratch_dir(), "not-elf.elf")
    with open(not_elf, "wb") as f:
        f.write(b"#!/bin/sh\necho not an image\n" * 4)
    try:
        ElfImage(not_elf)
    except NotAnImage:
        pass
    else:
        raise AssertionError("a shell script parsed as ELF")
    assert not ElfImage(sys.executable).has_pvh_note()


def test_mem_too_small_is_refused_before_qemu():
    result = cli_support.skiff("run", "--mem", "1M", cli_support.image("trivial"),
                               env=cli_support.skiff_env(SKIFF_QEMU="/nonexistent-qemu"))
    err = result.stderr.decode()
    assert result.returncode == 125, (result.returncode, err)
    assert err.strip() == ("skiff run: out of memory: --mem 1M is too small, "
                           "this image needs at least 2M"), err


def test_bad_mem_syntax_is_a_usage_error():
    result = cli_support.skiff("run", cli_support.image("trivial"), "--mem", "lots")
    assert result.returncode == 2, result
    assert result.stderr.decode().startswith("skiff run: --mem:"), result.stderr
