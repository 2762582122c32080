"""What `skiff run` needs to know about an image: is it ELF, has it a PVH note, how much memory."""
import math
import struct

from .memsize import MIB, KIB

PT_LOAD = 1
PT_NOTE = 4
XEN_ELFNOTE_PHYS32_ENTRY = 18
HEADROOM = 512 * KIB          # boot page tables, stacks, first heap pages
MINIMUM_MEMORY = 2 * MIB


class NotAnImage(Exception):
    """The file is not an x86 ELF executable skiff can boot."""


class ElfImage:
    """Program headers and notes of one ELF file (32- or 64-bit, little-endian)."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        self.path = path
        self.segments = self._read_program_headers()

    def _read_program_headers(self):
        data = self.data
        if len(data) < 52 or data[:4] != b"\x7fELF":
            raise NotAnImage("not an ELF file")
        elf_class, byte_order = data[4], data[5]
        if byte_order != 1 or elf_class not in (1, 2):
            raise NotAnImage("not a little-endian 32/64-bit ELF file")
        if elf_class == 2:
            phoff, = struct.unpack_from("<Q", data, 32)
            phentsize, phnum = struct.unpack_from("<HH", data, 54)
            layout, fields = "<IIQQQQQQ", ("type", "flags", "offset", "vaddr", "paddr", "filesz", "memsz")
        else:
            phoff, = struct.unpack_from("<I", data, 28)
            phentsize, phnum = struct.unpack_from("<HH", data, 42)
            layout, fields = "<IIIIIIII", ("type", "offset", "vaddr", "paddr", "filesz", "memsz", "flags")
        segments = []
        for i in range(phnum):
            start = phoff + i * phentsize
            if start + struct.calcsize(layout) > len(data):
                raise NotAnImage("truncated ELF program headers")
            values = struct.unpack_from(layout, data, start)
            segments.append(dict(zip(fields, values)))
        return segments

    def notes(self):
        """(owner, type, descriptor) of every note in the PT_NOTE segments."""
        found = []
        for seg in self.segments:
            if seg["type"] != PT_NOTE:
                continue
            pos, end = seg["offset"], seg["offset"] + seg["filesz"]
            while pos + 12 <= end and pos + 12 <= len(self.data):
                namesz, descsz, note_type = struct.unpack_from("<III", self.data, pos)
                name_start = pos + 12
                desc_start = name_start + _align4(namesz)
                owner = self.data[name_start:name_start + namesz].rstrip(b"\0")
                found.append((owner, note_type, self.data[desc_start:desc_start + descsz]))
                pos = desc_start + _align4(descsz)
        return found

    def has_pvh_note(self):
        return any(owner == b"Xen" and kind == XEN_ELFNOTE_PHYS32_ENTRY
                   for owner, kind, _ in self.notes())

    def memory_needed(self):
        """Guest RAM the image needs: top of its loaded segments + headroom, whole MiB, >= 2 MiB.
        Uses the physical load address (p_paddr), which is where QEMU places PVH segments."""
        top = max((seg["paddr"] + seg["memsz"] for seg in self.segments if seg["type"] == PT_LOAD),
                  default=0)
        need = math.ceil((top + HEADROOM) / MIB) * MIB
        return max(need, MINIMUM_MEMORY)

    def function_names(self):
        """Names in the image's .ksyms table (tools/mksyms.py: count, then {offset, name
        offset} pairs, then the names), or None when it has none (not a skiff image)."""
        data = self.data
        if len(data) < 64 or data[4] != 2:
            return None
        shoff, = struct.unpack_from("<Q", data, 40)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 58)
        if not shoff or shstrndx >= shnum or shoff + shnum * shentsize > len(data):
            return None
        sections = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
        strtab = sections[shstrndx][4]
        for name, _, _, _, offset, size in sections:
            if data[strtab + name:strtab + name + 7] == b".ksyms\0":
                blob = data[offset:offset + size]
                count, = struct.unpack_from("<I", blob, 0) if size >= 8 else (0,)
                names = blob[8 + 8 * count:]
                return {n.decode(errors="replace") for n in names.split(b"\0") if n}
        return None


def _align4(n):
    return (n + 3) & ~3
