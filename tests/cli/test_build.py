"""skiff build argument checks that fail before make runs (no toolchain work needed)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402
from skiffpy.cmd_build import image_name  # noqa: E402


def _usage_error(*args):
    result = cli_support.skiff("build", *args)
    err = result.stderr.decode()
    assert result.returncode == 2, (result.returncode, err)
    assert len(err.splitlines()) == 1 and err.startswith("skiff build: "), err
    return err


def _ok_source():
    source = os.path.join(cli_support.scratch_dir(), "ok.c")
    with open(source, "w") as f:
        f.write("int main(void) { return 0; }\n")
    return source


def test_missing_source_is_one_line_exit_2():
    missing = os.path.join(cli_support.scratch_dir(), "missing.c")
    assert "missing.c" in _usage_error(missing)


def test_output_suffix_must_be_known():
    source = _ok_source()
    assert ".elf" in _usage_error(source, "-o", "x.bin")


def test_directory_without_c_files():
    empty = os.path.join(cli_support.scratch_dir(), "empty-app")
    os.makedirs(empty, exist_ok=True)
    assert "no .c files" in _usage_error(empty)


def test_image_name_rules():
    assert image_name("/x/out/server.elf", "dir", ["/a/main.c"]) == "server"
    assert image_name(None, "echo", ["/a/main.c"]) == "echo"
    assert image_name(None, None, ["/a/main.c", "/a/util.c"]) == "main"


def test_include_dir_must_exist():
    source = _ok_source()
    assert "no-such-dir" in _usage_error(source, "-I", "/no-such-dir")


def test_bad_define_and_cflags_are_usage_errors():
    source = _ok_source()
    assert "-D" in _usage_error(source, "-D", "=1")
    assert "--cflags" in _usage_error(source, "--cflags=-DX='unterminated")


def _flags_source():
    source = os.path.join(cli_support.scratch_dir(), "flags.c")
    with open(source, "w") as f:
        f.write("#if defined(__OPTIMIZE__) || !defined(FROM_CFLAGS)\n"
                "#error --cflags did not reach the compiler\n#endif\n"
                "int main(void) { return 0; }\n")
    return source


def test_cflags_value_may_start_with_a_dash_with_or_without_equals():
    source = _flags_source()
    out = os.path.join(cli_support.scratch_dir(), "flags.elf")
    for args in (["--cflags", "-O0 -DFROM_CFLAGS"], ["--cflags=-O0 -DFROM_CFLAGS"],
                 ["--cflags", "-O0", "-D", "FROM_CFLAGS"]):
        result = cli_support.skiff("build", source, "-o", out, "-q", *args, timeout=300)
        assert result.returncode == 0, (args, result.stderr.decode())


def test_efi_and_img_builds_print_no_make_warning():
    source = _ok_source()
    for suffix in (".efi", ".img"):
        out = os.path.join(cli_support.scratch_dir(), "ok" + suffix)
        result = cli_support.skiff("build", source, "-o", out, "-q", "-j", "2", timeout=300)
        assert result.returncode == 0, result.stderr.decode()
        assert result.stderr == b"", (suffix, result.stderr.decode())


def test_files_keeps_symbolic_links_as_links():
    from skiffpy.initrd import cpio_bytes
    src = os.path.join(cli_support.scratch_dir(), "linkfiles")
    os.makedirs(src, exist_ok=True)
    for name, target in (("host", "/etc/hostname"), ("loop", "loop"), ("dir", "/")):
        if not os.path.lexists(os.path.join(src, name)):
            os.symlink(target, os.path.join(src, name))
    data, entries, at = cpio_bytes(src), {}, 0
    while True:                      # newc: 110-byte hex header, name, data, 4-byte padding
        head = data[at:at + 110]
        mode, size, namesize = (int(head[6 + 8 * i:14 + 8 * i], 16) for i in (1, 6, 11))
        name = data[at + 110:at + 110 + namesize - 1].decode()
        start = (at + 110 + namesize + 3) & ~3
        if name == "TRAILER!!!":
            break
        entries[name] = (mode, data[start:start + size])
        at = (start + size + 3) & ~3
    assert entries == {"dir": (0o120777, b"/"), "host": (0o120777, b"/etc/hostname"),
                       "loop": (0o120777, b"loop")}, entries
