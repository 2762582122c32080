"""Guest command line: quoting survives the kernel's parser (host-side mirror), no VM."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402,F401  (puts tools/ on sys.path)
from skiffpy.cmdline import guest_cmdline, quote_arg, split_cmdline  # noqa: E402

TRICKY_ARGS = ["plain", "two words", "", '"quoted"', "back\\slash", "trail\\", "--",
               "tab\there", "new\nline", "ünïcode", "=", "-x", "a\\\"b", "  "]


def test_round_trip_of_tricky_arguments():
    line = guest_cmdline("bootstat ip=10.0.2.15", "hello.elf", TRICKY_ARGS)
    kernel_args, app_args = split_cmdline(line)
    assert kernel_args == ["bootstat", "ip=10.0.2.15"], kernel_args
    assert app_args == ["hello.elf", *TRICKY_ARGS], app_args


def test_separator_is_always_present():
    line = guest_cmdline("", "app.elf", [])
    assert line == '-- "app.elf"', line
    assert split_cmdline(line) == ([], ["app.elf"])


def test_kernel_args_only_before_separator():
    line = guest_cmdline("  bootstat  ", "a.elf", ["bootstat"])
    assert line == 'bootstat -- "a.elf" "bootstat"', line
    assert split_cmdline(line) == (["bootstat"], ["a.elf", "bootstat"])


def test_quote_arg_escapes_quote_and_backslash():
    assert quote_arg('a"b\\c') == '"a\\"b\\\\c"'
    assert quote_arg("") == '""'


def test_quoted_double_dash_is_not_the_separator():
    assert split_cmdline('"--" x -- y') == (["--", "x"], ["y"])


def test_parser_rejects_bad_quoting():
    for bad in ('"open', "trailing\\"):
        try:
            split_cmdline(bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad!r}")
