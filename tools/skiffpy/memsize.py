"""Memory sizes in QEMU's -m syntax: 2M, 64M, 1G, 1.5G; a bare number is MiB."""
import math
import os
import re

KIB = 1024
MIB = 1024 * KIB

_UNITS = {"": MIB, "B": 1, "K": KIB, "M": MIB, "G": 1024 * MIB, "T": 1024 * 1024 * MIB}
_SYNTAX = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([bBkKmMgGtT]?)\s*$")


def parse_mem(text):
    """Bytes meant by `text`; ValueError with a readable reason on bad syntax."""
    match = _SYNTAX.match(text)
    if not match:
        raise ValueError(f"bad memory size {text!r} (examples: 64M, 1G, 512 for MiB)")
    number, unit = match.groups()
    size = int(float(number) * _UNITS[unit.upper()])
    if size <= 0:
        raise ValueError(f"memory size {text!r} must be more than zero")
    return size


def qemu_mem_arg(size):
    """The -m value for `size` bytes: whole MiB when exact, else KiB rounded up."""
    if size % MIB == 0:
        return f"{size // MIB}M"
    return f"{math.ceil(size / KIB)}K"


def describe(size):
    """Short human form: 2M, 1G, 1536K."""
    for unit, scale in (("G", 1024 * MIB), ("M", MIB), ("K", KIB)):
        if size % scale == 0:
            return f"{size // scale}{unit}"
    return f"{size}B"


def check_mem_and_image_path(path, mem_text):
    """--mem in bytes, after checking that IMAGE exists and is a file: what every boot
    path validates before anything starts (errors are CliError with skiff's statuses)."""
    from .common import EXIT_USAGE, EXIT_VM_DID_NOT_START, CliError
    try:
        mem = parse_mem(mem_text)
    except ValueError as err:
        raise CliError(f"--mem: {err}", EXIT_USAGE) from None
    if not os.path.exists(path):
        raise CliError(f"no such image: {path}", EXIT_VM_DID_NOT_START)
    if os.path.isdir(path):
        raise CliError(f"{path} is a directory, not an image", EXIT_VM_DID_NOT_START)
    return mem
