#!/usr/bin/env python3
"""Stand-in for qemu-system-x86_64 in CLI tests: writes scripted bytes to the chardevs, exits.

FAKE_QEMU_OUT / FAKE_QEMU_LOG / FAKE_QEMU_STDERR are hex bytes for COM1, the log port and
QEMU's own stderr; FAKE_QEMU_STATUS is the exit status."""
import os
import sys


def chardev_paths(argv):
    paths = {}
    for flag, value in zip(argv, argv[1:]):
        if flag == "-chardev":
            fields = dict(f.split("=", 1) for f in value.split(",")[1:] if "=" in f)
            if "path" in fields:            # not the time service's or console link's socket (fd=N)
                paths[fields["id"]] = fields["path"]
    return paths


def main():
    paths = chardev_paths(sys.argv)
    for chardev, var in (("out", "FAKE_QEMU_OUT"), ("log", "FAKE_QEMU_LOG")):
        data = bytes.fromhex(os.environ.get(var, ""))
        if data:
            with open(paths[chardev], "ab") as f:
                f.write(data)
    sys.stderr.buffer.write(bytes.fromhex(os.environ.get("FAKE_QEMU_STDERR", "")))
    return int(os.environ.get("FAKE_QEMU_STATUS", "0"))


if __name__ == "__main__":
    sys.exit(main())
