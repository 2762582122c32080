"""Memory sizes in QEMU's -m syntax: 2M, 64M, 1G, 1.5G; a bare number is MiB."""
import math
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
