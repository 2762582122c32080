"""The loader-to-kernel ABI constants the host tool needs, read from include/skiff/handoff.h (their one home)."""
import os
import re

from .common import ROOT

HEADER = os.path.join(ROOT, "include", "skiff", "handoff.h")
_DEFINE = re.compile(r'^#define\s+(\w+)\s+("(?:[^"\\]|\\.)*"|0x[0-9a-fA-F]+|\d+)\s*(?:/\*.*)?$', re.M)


def _read(path=HEADER):
    """{name: value} of the header's string (as bytes) and integer #defines."""
    with open(path, encoding="ascii") as f:
        text = f.read()
    out = {}
    for name, value in _DEFINE.findall(text):
        if value.startswith('"'):
            # C and Python agree on the escapes the header uses (\033, \007, \\, \").
            out[name] = value[1:-1].encode("ascii").decode("unicode_escape").encode("latin-1")
        else:
            out[name] = int(value, 0)
    return out


_DEFS = _read()
EFI_START_MARKER = _DEFS["EFI_START_MARKER"]
SKIFF_NOTE = (_DEFS["SKIFF_NOTE_OWNER"], _DEFS["SKIFF_NOTE_EFI_ENTRY"])
