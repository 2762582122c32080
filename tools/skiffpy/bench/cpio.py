"""A newc cpio writer (the Linux initramfs format), standard library only, for the bench's Linux VM."""
import os
import stat

MAGIC = b"070701"
TRAILER = "TRAILER!!!"


def _pad4(data):
    return data + b"\0" * (-len(data) % 4)


class CpioWriter:
    """Collects entries in memory; bytes() gives the archive. Owner root, mtime 0, so the
    same inputs always give the same archive."""

    def __init__(self):
        self.chunks = []
        self.ino = 1

    def _entry(self, name, mode, data=b"", rdev=(0, 0)):
        name_bytes = name.encode() + b"\0"
        fields = (self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
                  len(name_bytes), 0)
        header = MAGIC + b"".join(b"%08X" % value for value in fields)
        self.chunks.append(_pad4(header + name_bytes))
        self.chunks.append(_pad4(data))
        self.ino += 1

    def directory(self, name, perm=0o755):
        self._entry(name, stat.S_IFDIR | perm)

    def file(self, name, data, perm=0o755):
        self._entry(name, stat.S_IFREG | perm, data)

    def char_device(self, name, major, minor, perm=0o600):
        self._entry(name, stat.S_IFCHR | perm, rdev=(major, minor))

    def tree(self, name, folder):
        """folder's directories and regular files, recursively, under name."""
        self.directory(name)
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            inside = f"{name}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                self.tree(inside, entry.path)
            elif entry.is_file(follow_symlinks=False):
                with open(entry.path, "rb") as f:
                    self.file(inside, f.read(), 0o644)

    def __bytes__(self):
        trailer = CpioWriter()
        trailer._entry(TRAILER, 0)
        return b"".join(self.chunks + trailer.chunks)
