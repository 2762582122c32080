"""The Lua job of the CPU section: Lua 5.4's interpreter (apps/lua/port.mk's sources and options) running one script in every variant."""
import os
import re
import subprocess

from ..common import ROOT, CliError

# calls, tables, strings, sort, patterns; timed by the interpreter's own os.clock().
# %(fib)d and %(items)d: the full and the --quick sizes.
SCRIPT = """local t0 = os.clock()
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local r = fib(%(fib)d)
local t = {}
for i = 1, %(items)d do t[i] = tostring(i * 7919 %% 200003) end
table.sort(t)
local s = 0
for w in table.concat(t, " "):gmatch("%%d+") do s = s + #w end
print(string.format("lua_ms %%.3f", (os.clock() - t0) * 1000), r, s)
"""
SIZES = {"full": {"fib": 27, "items": 200000}, "quick": {"fib": 22, "items": 20000}}
RESULT = re.compile(rb"lua_ms ([0-9.]+)\t(\d+)\t(\d+)")


def _make_value(name):
    """A variable of the Makefile (apps/lua/port.mk)."""
    result = subprocess.run(["make", "-s", "-C", ROOT, "--no-print-directory",
                             f"--eval=skiff-bench-value: ; @echo $({name})",
                             "skiff-bench-value"], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise CliError(f"reading {name} from the Makefile failed: {result.stderr.strip()}")
    return result.stdout.split()


def program_parts(work, quick):
    """(sources, defines, files folder, args, what) of the Lua job; unpacks Lua's sources
    (`make lua-src`) and writes WORK/lua-www/bench.lua."""
    result = subprocess.run(["make", "-s", "-C", ROOT, "lua-src"], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise CliError(f"make lua-src failed: {(result.stderr.strip() or 'no output')[-300:]}")
    sources = _make_value("LUA_SRCS")
    defines = [d for d in _make_value("LUA_DEFS") if d != "-D"]
    www = os.path.join(work, "lua-www")
    os.makedirs(www, exist_ok=True)
    size = SIZES["quick" if quick else "full"]
    with open(os.path.join(www, "bench.lua"), "w") as f:
        f.write(SCRIPT % size)
    what = (f"Lua 5.4: fib({size['fib']}), {size['items']:,} tostring + table.sort + gmatch, "
            "timed by its own os.clock()")
    return sources, defines, www, ["WWW/bench.lua"], what


def lua_job(session):
    """Lua 5.4 in every variant; every run must print the native run's results."""
    sources, defines, www, args, what = program_parts(session.work, session.quick)
    lua = session.job_program("lua", sources, args, files=www, defines=defines,
                              marker=b"lua_ms ")
    native = RESULT.search(lua.native_output or lua.native_run())
    if not native:
        raise CliError(f"the Lua job printed no result natively: {lua.native_output[-200:]!r}")
    want = native.group(2, 3)
    session.notes.append(f"Lua job: {what}; the same results checked in every variant")

    def figures(stdout):
        found = RESULT.search(stdout)
        if not found or found.group(2, 3) != want:
            got = found.group(2, 3) if found else "missing"
            return None, f"result {got}, native {want}"
        return {"lua_job_ms": float(found.group(1))}, None
    session.job(lua, figures, ["lua_job_ms"], exit_metric="lua_exit_ms", label="lua job")
