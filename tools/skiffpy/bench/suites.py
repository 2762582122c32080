"""The suites `skiff bench SUITE` runs: each script in tests/bench/ (plus tests/hard/soak.py and bench/netrr.py), found by name, run in this process with its own arguments."""
import ast
import os
import runpy
import sys

from ..common import ROOT

SCRIPT_DIRS = (os.path.join(ROOT, "tests", "bench"),)
EXTRA_SCRIPTS = {"soak": os.path.join(ROOT, "tests", "hard", "soak.py")}
MODULES = {"netrr": "skiffpy.bench.netrr"}       # suites that live in this package
RENAMED = {"virt-boot": "virt"}                  # file stem (with - for _) -> suite name


def _is_suite(path):
    """A script a person runs: it has a __main__ block (ports.py is also imported as a library)."""
    with open(path, encoding="utf-8") as f:
        return 'if __name__ == "__main__":' in f.read()


def find():
    """{suite name: script path or module name}, sorted by name."""
    found = dict(EXTRA_SCRIPTS)
    found.update(MODULES)
    for folder in SCRIPT_DIRS:
        for entry in os.listdir(folder):
            path = os.path.join(folder, entry)
            if entry.endswith(".py") and _is_suite(path):
                name = entry[:-3].replace("_", "-")
                found[RENAMED.get(name, name)] = path
    return dict(sorted(found.items()))


def purpose(target):
    """The first line of a suite's docstring."""
    if target in MODULES.values():
        target = os.path.join(ROOT, "tools", *target.split(".")) + ".py"
    with open(target, encoding="utf-8") as f:
        doc = ast.get_docstring(ast.parse(f.read())) or ""
    return doc.split("\n\n")[0].replace("\n", " ").strip()


def listing(width=100):
    """The suites as help text: `  name  purpose`, one a line, cut to width."""
    suites = find()
    pad = max(map(len, suites)) + 2
    lines = []
    for name, target in suites.items():
        text = f"  {name.ljust(pad)}{purpose(target)}"
        lines.append(text if len(text) <= width else text[:width - 3] + "...")
    return "\n".join(lines)


def run(name, argv):
    """Run suite name with argv as `python3 SCRIPT argv...` would; returns its exit status."""
    target = find()[name]
    saved_argv, saved_path = sys.argv, list(sys.path)
    try:
        sys.argv = [f"skiff bench {name}", *argv]    # argparse's prog: `usage: skiff bench net`
        if target in MODULES.values():
            runpy.run_module(target, run_name="__main__", alter_sys=True)
        else:
            sys.path.insert(0, os.path.dirname(target))   # as python3 SCRIPT puts its folder
            runpy.run_path(target, run_name="__main__")
    except SystemExit as done:
        return _status(done.code)
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
    return 0


def _status(code):
    """sys.exit's argument as the exit status python3 would give it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1
