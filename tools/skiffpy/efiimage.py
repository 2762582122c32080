"""What `skiff run` checks in a UEFI image before QEMU starts: a PE32+ EFI application, or a
GPT disk with an EFI System Partition. A bad image must fail here, never as a firmware screen."""
import struct

from .memsize import KIB, MIB

PE_MACHINE_X86_64 = 0x8664
PE32PLUS_MAGIC = 0x20b
SUBSYSTEM_EFI_APPLICATION = 10
SECTOR = 512
GPT_SIGNATURE = b"EFI PART"
ESP_TYPE_GUID = bytes.fromhex("28732ac11ff8d211ba4b00a0c93ec93b")  # C12A7328-F81F-11D2-BA4B-00A0C93EC93B
OVMF_MIN_MEMORY = 64 * MIB    # OVMF with a virtio disk does not reach the boot manager below ~48 MiB
FIRMWARE_OVERHEAD = 32 * MIB  # what OVMF keeps (runtime services, ACPI) and needs to boot
ELF_HEADROOM = 512 * KIB


class BadEfiImage(Exception):
    """One line saying why the file is not a bootable UEFI image."""


def kind_of(path):
    """'efi' (MZ header), 'img' (GPT signature at byte 512), 'elf', or None, by content."""
    with open(path, "rb") as f:
        head = f.read(SECTOR + len(GPT_SIGNATURE))
    if head[:2] == b"MZ":
        return "efi"
    if head[SECTOR:SECTOR + len(GPT_SIGNATURE)] == GPT_SIGNATURE:
        return "img"
    if head[:4] == b"\x7fELF":
        return "elf"
    return None


def check_pe(data):
    """Raise BadEfiImage unless data is a whole x86-64 PE32+ EFI application."""
    size = len(data)
    if size < 64 or data[:2] != b"MZ":
        raise BadEfiImage("not a UEFI application (no MZ header)")
    pe, = struct.unpack_from("<I", data, 0x3c)
    if pe + 24 > size or data[pe:pe + 4] != b"PE\0\0":
        raise BadEfiImage("not a UEFI application (no PE header)")
    machine, nsections, _, _, _, opt_size, _ = struct.unpack_from("<HHIIIHH", data, pe + 4)
    if machine != PE_MACHINE_X86_64:
        raise BadEfiImage(f"PE image for machine {machine:#x}, not x86-64 ({PE_MACHINE_X86_64:#x})")
    opt = pe + 24
    if opt_size < 70 or opt + opt_size > size:
        raise BadEfiImage(f"truncated PE image: optional header past the end ({size} bytes)")
    magic, = struct.unpack_from("<H", data, opt)
    if magic != PE32PLUS_MAGIC:
        raise BadEfiImage(f"not a PE32+ (64-bit) image (optional header magic {magic:#x})")
    subsystem, = struct.unpack_from("<H", data, opt + 68)
    if subsystem != SUBSYSTEM_EFI_APPLICATION:
        raise BadEfiImage(f"PE subsystem {subsystem}, not an EFI application (10)")
    table = opt + opt_size
    if nsections == 0 or table + 40 * nsections > size:
        raise BadEfiImage(f"truncated PE image: the section table ends past byte {size}")
    for i in range(nsections):
        name, _, _, raw_size, raw_ptr = struct.unpack_from("<8sIIII", data, table + 40 * i)
        if raw_size and raw_ptr + raw_size > size:
            label = name.rstrip(b"\0").decode("ascii", "replace")
            raise BadEfiImage(f"truncated PE image: section {label} ends at byte "
                              f"{raw_ptr + raw_size}, the file has {size}")


def embedded_elf_top(data):
    """End of the highest PT_LOAD of the skiff kernel ELF inside a .efi, or 0 if none found."""
    start = data.find(b"\x7fELF\x02\x01\x01")
    if start < 0 or start + 64 > len(data):
        return 0
    phoff, = struct.unpack_from("<Q", data, start + 32)
    phentsize, phnum = struct.unpack_from("<HH", data, start + 54)
    top = 0
    for i in range(phnum):
        at = start + phoff + i * phentsize
        if phentsize < 56 or at + 56 > len(data):
            return 0
        ptype, = struct.unpack_from("<I", data, at)
        paddr, _, memsz = struct.unpack_from("<QQQ", data, at + 24)
        if ptype == 1:
            top = max(top, paddr + memsz)
    return top


def memory_needed(data=None):
    """Guest RAM for a UEFI boot: OVMF's floor, or the kernel's top plus what OVMF keeps."""
    top = embedded_elf_top(data) if data else 0
    need = -(-(top + ELF_HEADROOM + FIRMWARE_OVERHEAD) // MIB) * MIB if top else 0
    return max(OVMF_MIN_MEMORY, need)


def esp_offset(path):
    """Byte offset of the EFI System Partition in a GPT disk image; BadEfiImage if none."""
    with open(path, "rb") as f:
        f.seek(SECTOR)
        header = f.read(92)
        if len(header) < 92 or header[:8] != GPT_SIGNATURE:
            raise BadEfiImage("not a GPT disk image (no 'EFI PART' at byte 512)")
        entries_lba, count, entry_size = struct.unpack_from("<QII", header, 72)
        if entry_size < 128 or count > 1024:
            raise BadEfiImage("corrupt GPT header")
        f.seek(entries_lba * SECTOR)
        table = f.read(count * entry_size)
    for i in range(len(table) // entry_size):
        entry = table[i * entry_size:(i + 1) * entry_size]
        if entry[:16] == ESP_TYPE_GUID:
            first, = struct.unpack_from("<Q", entry, 32)
            return first * SECTOR
    raise BadEfiImage("the GPT disk has no EFI System Partition")
