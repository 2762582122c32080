"""Lua 5.4 as a skiff image: scripts from the initrd must print exactly what Debian's native lua5.4 prints."""
import os
import re
import time

import portutil

HERE = os.path.join(portutil.ROOT, "tests", "ports", "lua")
NATIVE = "lua5.4"
# Each script's stdout is compared byte for byte; they run from the folder (cwd "/" in the guest).
SCRIPTS = ["closures", "coroutines", "strings", "sort", "errors", "math", "fileio", "os", "require"]
# errors.lua recurses until Lua's own stack limit (LUAI_MAXSTACK): that takes ~100 MiB of heap.
MEM = "160M"


def image():
    return portutil.build_port("lua", "lua.elf", "tests/ports/lua")


def both(args, mem=MEM):
    """Run lua with args in the guest and natively: ((status, out, err), (status, out, err))."""
    guest = portutil.boot(image(), args, mem=mem)
    host = portutil.native([NATIVE, *args], HERE)
    return guest, host


def same_stderr(guest_err, host_err):
    """lua prefixes messages with its argv[0]: lua.elf in the guest, lua5.4 natively."""
    norm = lambda s: re.sub(r"^(lua\.elf|lua5\.4): ", "lua: ", s, flags=re.M)  # noqa: E731
    return norm(guest_err) == norm(host_err)


def test_scripts_match_native_lua():
    for name in SCRIPTS:
        (gs, gout, gerr), (hs, hout, herr) = both([name + ".lua"])
        assert hs == 0 and not herr, f"{name}.lua fails natively ({hs}): {herr}"
        assert gs == 0, f"{name}.lua: status {gs} in skiff\n{gerr}"
        assert gout == hout, f"{name}.lua: {portutil.first_difference(gout, hout)}"
        assert gerr == "", f"{name}.lua wrote to stderr in skiff: {gerr}"


def test_arguments_reach_the_script():
    (gs, gout, _), (hs, hout, _) = both(["args.lua", "one", "two words", "", "-x"])
    assert gs == hs == 0 and gout == hout, portutil.first_difference(gout, hout)
    assert b"[two words]" in gout and b"4\targs.lua\tone" in gout


def test_runtime_error_gives_message_traceback_and_status_1():
    (gs, gout, gerr), (hs, hout, herr) = both(["error_runtime.lua"])
    assert gs == hs == 1, f"status {gs} in skiff, {hs} natively"
    assert gout == hout == b"before the error\n", gout
    assert "attempt to index a nil value (field 'field')" in gerr, gerr
    assert same_stderr(gerr, herr), f"skiff:\n{gerr}\nnative:\n{herr}"


def test_syntax_error_and_missing_script():
    for script, message in [("error_syntax.lua", "error_syntax.lua:3: unexpected symbol near '='"),
                            ("no_such_script.lua", "cannot open no_such_script.lua")]:
        (gs, gout, gerr), (hs, hout, herr) = both([script])
        assert gs == hs == 1 and gout == hout == b"", f"{script}: {gs} {hs} {gout!r}"
        assert message in gerr, f"{script}: {gerr}"
        assert same_stderr(gerr, herr), f"{script}: skiff:\n{gerr}\nnative:\n{herr}"


def test_os_exit_status_and_flush():
    (gs, gout, _), (hs, hout, _) = both(["exit_status.lua"])
    assert gs == hs == 3 and gout == hout == b"flushed before exit", (gs, hs, gout)


def test_clocks_are_real():
    """os.time is the host's wall clock; os.clock advances while Lua computes."""
    code = ("local c = os.clock(); local x = 0; for i = 1, 3e6 do x = x + i end; "
            "print(os.time(), os.clock() - c > 0, x)")
    before = time.time()
    status, out, err = portutil.boot(image(), ["-e", code])
    after = time.time()
    assert status == 0, err
    t, advanced, x = out.decode().split()
    assert before - 5 <= int(t) <= after + 5, f"os.time {t}, host {before:.0f}..{after:.0f}"
    assert advanced == "true" and x == "4500001500000", out


def test_initrd_is_read_only_and_tmp_is_not():
    code = ('print(io.open("data/words.txt", "w")); '
            'local f = assert(io.open("/tmp/w", "w")); f:write("ok"); f:close(); '
            'print(io.open("/tmp/w"):read("a"))')
    status, out, err = portutil.boot(image(), ["-e", code])
    assert status == 0, err
    assert out == b"nil\tdata/words.txt: Read-only file system\t30\nok\n", out


def test_out_of_memory_is_a_lua_error():
    """Filling a small guest's heap ends in Lua's own "not enough memory", not a crash."""
    code = "local t = {}; for i = 1, 1e9 do t[i] = ('x'):rep(64) .. i end"
    status, out, err = portutil.boot(image(), ["-e", code], mem="8M")
    assert status == 1 and "not enough memory" in err, f"status {status}\n{err}"
