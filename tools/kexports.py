#!/usr/bin/env python3
"""List the kernel symbols apps may link against: whatever include/skiff/*.h declares, plus the boot entries.

mk/kernel.mk keeps only these global in kernel.o (objcopy --keep-global-symbols), so
an application's own `panic`, `schedule` or `mm_init` can never collide with ours.
"""
import glob
import os
import re
import sys

ENTRIES = ["pvh_start32", "mb_start32", "efi_start64"]
DECL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
EXTERN_VAR = re.compile(r"^\s*extern\b[^;(]*?\b([A-Za-z_]\w*)\s*(\[[^\]]*\])?\s*;")
EXTERN_FNPTR = re.compile(r"^\s*extern\b.*\(\s*\*\s*([A-Za-z_]\w*)\s*\)")
SKIP = {"if", "for", "while", "return", "sizeof", "__attribute__", "format", "noreturn",
        "typeof", "defined", "int", "void", "char", "long", "unsigned", "const", "size_t",
        "ssize_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int64_t", "bool"}


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def symbols(include_dir):
    names = set(ENTRIES)
    for path in sorted(glob.glob(os.path.join(include_dir, "skiff", "*.h"))):
        text = strip_comments(open(path).read())
        text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#"))
        # Join multi-line declarations; drop preprocessor lines and struct bodies' typedefs.
        for stmt in re.sub(r"\n\s*", " ", text).split(";"):
            stmt = stmt.strip()
            stmt = re.sub(r"^(#[^\n]*\s)+", "", stmt)
            stmt = re.sub(r"^\}\s*", "", stmt)  # what follows an inline function's body
            if not stmt or stmt.startswith(("#", "typedef", "struct", "enum", "union")) and "(" not in stmt:
                continue
            if stmt.startswith("typedef"):
                continue
            m = EXTERN_FNPTR.match(stmt + ";")
            if m:
                names.add(m.group(1))
                continue
            m = EXTERN_VAR.match(stmt + ";")
            if m:
                names.add(m.group(1))
                continue
            if "{" in stmt:
                stmt = stmt[stmt.rfind("}") + 1:] if "}" in stmt else stmt
            m = DECL.search(stmt)
            if m and m.group(1) not in SKIP and not stmt.lstrip().startswith("#"):
                names.add(m.group(1))
    return sorted(names)


if __name__ == "__main__":
    include = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "include")
    print("\n".join(symbols(include)))
