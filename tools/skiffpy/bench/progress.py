"""Progress on stderr for every bench: a line per step for the suites, a status line rewritten in place for skiff bench."""
import sys


def progress(text, tag="bench"):
    """One progress line on stderr: `[bench] text` (tag names the suite where it differs)."""
    print(f"[{tag}] {text}", file=sys.stderr, flush=True)


class Progress:
    """One status line on stderr: rewritten in place on a terminal, a line per step otherwise."""

    def __init__(self):
        self.tty = sys.stderr.isatty()
        self.width = 0

    def __call__(self, text):
        if self.tty:
            sys.stderr.write("\r" + text.ljust(self.width)[:160])
            self.width = len(text)
        else:
            sys.stderr.write(f"bench: {text}\n")
        sys.stderr.flush()

    def done(self):
        if self.tty and self.width:
            sys.stderr.write("\r" + " " * min(self.width, 160) + "\r")
            sys.stderr.flush()
