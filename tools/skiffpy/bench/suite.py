"""What the suite scripts share: an argument parser with --runs and --out, and the raw-results file they write."""
import argparse
import json
import os

from ..common import BUILD, ROOT


def arguments(doc, runs, out_name, runs_help="interleaved runs"):
    """A suite's parser: its docstring's first line, -n/--runs (default runs) and --out
    (default build/bench/out_name); the suite adds its own options."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("-n", "--runs", type=int, default=runs, help=f"{runs_help} (default {runs})")
    ap.add_argument("--out", default=os.path.join(BUILD, "bench", out_name))
    return ap


def print_notes(notes, failed=()):
    """The lines under a suite's table: `- note` each, then the failed rounds, if any."""
    for note in notes:
        print(f"- {note}")
    if failed:
        print("- failed rounds: " + "; ".join(failed))


def save_json(path, document):
    """A suite's raw results as JSON (indent 2), its folder made first; returns the path
    relative to the repository, as the suite prints it."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(document, f, indent=2)
    return os.path.relpath(path, ROOT)
