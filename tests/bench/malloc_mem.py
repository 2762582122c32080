#!/usr/bin/env python3
"""The smallest --mem of hello, Lua, SQLite and Redis with the current tree's allocator:
only the memory searches of tests/bench/boot.py, ports.py and redis.py (no timings, no
Linux VM), so an allocator change can be checked for a memory regression in one go.

Prints a Markdown table and writes build/bench/malloc_mem.json. Figures, not asserts.
    tools/skiff bench malloc-mem [--redis-elf IMAGE] [--skip hello,ports,redis]
"""
import argparse
import functools
import importlib.util
import json
import os
import sys
from skiffpy.bench.memsearch import smallest_upward
from skiffpy.bench.progress import progress

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "build", "bench")


def load(name):
    spec = importlib.util.spec_from_file_location(f"skiff_bench_{name}",
                                                  os.path.join(ROOT, "tests", "bench", f"{name}.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


progress = functools.partial(progress, tag="bench-malloc-mem")


def hello():
    return smallest_upward(load("boot").boots_with, 1, 16)[0]


def ports():
    p = load("ports")
    os.makedirs(os.path.join(p.WORK, "skiff"), exist_ok=True)
    lua_files, sqlite_files = p.write_workloads()
    lua = p.Port("lua", "lua", "lua", lua_files)
    sqlite = p.Port("sqlite", "sqlite", "sqlite3", sqlite_files)
    for port in (lua, sqlite):
        port.build_linux()
    expected = {"lua": p.run_native(lua.linux_bin, p.LUA_ARGS)[1]}
    for which in ("insert", "cte"):
        expected[which] = p.without_time(p.run_native(sqlite.linux_bin, p.SQL_ARGS[which])[1])
    return {label: row["skiff"] for label, row in p.memsearch((lua, sqlite), None, expected).items()}


def redis(elf):
    r = load("redis")
    os.makedirs(r.WORK, exist_ok=True)
    return r.smallest_mem(os.path.abspath(elf) if elf else r.skiff_image())[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--redis-elf", help="Redis image (default: built by apps/redis/recipe.py)")
    ap.add_argument("--skip", default="", help="comma-separated: hello, ports, redis")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    if skip - {"hello", "ports", "redis"}:
        sys.exit(f"bench-malloc-mem: --skip {args.skip}: want hello, ports, redis")
    table = {}
    if "hello" not in skip:
        progress("hello")
        table["hello"] = hello()
    if "ports" not in skip:
        progress("lua and sqlite (tests/bench/ports.py's memory search)")
        table.update(ports())
    if "redis" not in skip:
        progress("redis (tests/bench/redis.py's bisection)")
        table["redis: serves PING, SET, GET"] = redis(args.redis_elf)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "malloc_mem.json"), "w") as f:
        json.dump(table, f, indent=2)
    print("| smallest --mem | MiB |")
    print("|---|---|")
    for label, mib in table.items():
        print(f"| {label} | {mib if mib is not None else '—'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
