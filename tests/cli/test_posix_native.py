"""The POSIX text calls (tests/boot/posix_text: getline, regex, iconv, timegm, tm_gmtoff, err.h...) give
the same stdout, stderr and exit status under skiff as the same program built natively against glibc."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402

SOURCE = os.path.join(cli_support.ROOT, "tests", "boot", "posix_text", "main.c")
NATIVE_ENV = dict(os.environ, TZ="UTC", LC_ALL="C")  # the guest has no time zone and no locale


def _strip_log(err):
    return "".join(l for l in err.splitlines(keepends=True) if not l.startswith("skiff: "))


def test_posix_text_matches_glibc():
    # the same file name on both sides: err.h prints it
    work = os.path.join(cli_support.scratch_dir(), "posix-native")
    os.makedirs(work, exist_ok=True)
    native = os.path.join(work, "posix_text.elf")
    r = subprocess.run(["gcc", "-O1", "-o", native, SOURCE, "-lm"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    nat = subprocess.run([native], cwd=work, env=NATIVE_ENV, stdin=subprocess.DEVNULL,
                         capture_output=True, timeout=60)

    image = os.path.join(work, "skiff", "posix_text.elf")
    os.makedirs(os.path.dirname(image), exist_ok=True)
    built = cli_support.skiff("build", os.path.dirname(SOURCE), "-o", image, timeout=300)
    assert built.returncode == 0, built.stderr.decode(errors="replace")
    ran = cli_support.skiff("run", image, "--quiet", "--timeout", "60", timeout=120)

    assert nat.returncode == 3 and nat.stdout == b"posix_text ok\n", (nat.returncode, nat.stdout)
    assert ran.returncode == nat.returncode, (ran.returncode, ran.stderr)
    assert ran.stdout == nat.stdout, (ran.stdout, nat.stdout)
    assert _strip_log(ran.stderr.decode(errors="replace")) == nat.stderr.decode(), \
        (ran.stderr, nat.stderr)
