"""skiff run -e/--env, --env-file, -w/--workdir, --hostname: what the guest sees (tests/cli/guests/envdump.c)."""
import functools
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402

GUEST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "guests", "envdump.c")
DEFAULT_PATH = b"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@functools.lru_cache(maxsize=None)
def _image():
    out = os.path.join(cli_support.ROOT, "build", "tests", "cli", "envdump.elf")
    subprocess.run([sys.executable, cli_support.SKIFF, "build", GUEST, "-o", out, "-q",
                    "--cflags=-Werror"], check=True, timeout=300)
    return out


def _run(*args, env=None):
    """(status, [environ entries as bytes], {cwd, hostname, nodename, ...}, stderr)."""
    result = cli_support.skiff("run", _image(), *args, env=env, timeout=120)
    entries, info = [], {}
    for line in result.stdout.decode().splitlines():
        key, _, value = line.partition(" ")
        if key == "env":
            entries.append(bytes.fromhex(value))
        else:
            info[key] = value
    return result.returncode, entries, info, result.stderr.decode(errors="replace")


def test_defaults_are_dockers_and_names_agree():
    status, entries, info, err = _run()
    assert status == 0, err
    assert entries == [DEFAULT_PATH, b"HOME=/", b"HOSTNAME=envdump"], entries
    assert info["hostname"] == info["nodename"] == "envdump", info
    assert info["cwd"] == "/", info
    assert "HOSTNAME" not in info and "gethostname" not in info, info


def test_values_arrive_byte_exact_and_later_settings_win():
    tmp = cli_support.scratch_dir()
    env_file = os.path.join(tmp, "vars.env")
    with open(env_file, "wb") as f:
        f.write(b"# a comment\n\nFROM_FILE=one two\nOVER=file\nFROM_HOST\nNOT_ON_HOST\n"
                b"HOME=/home/app\n")
    tricky = 'say "hi" \\ back\\\\slash = x\ny\tz \u00e9\u4e2d \\"'
    host_value = b"raw \xff byte"
    env = cli_support.skiff_env()
    env.pop("NOT_ON_HOST", None)
    env = {k.encode(): v.encode() for k, v in env.items()}
    env[b"FROM_HOST"] = host_value
    status, entries, info, err = _run("--env-file", env_file, "-e", "OVER=flag",
                                      "-e", "TRICKY=" + tricky, "-e", "EMPTY=",
                                      "-e", "EQ==a=b", "-e", "NOT_ON_HOST", env=env)
    assert status == 0, err
    assert entries == [DEFAULT_PATH, b"HOME=/home/app", b"HOSTNAME=envdump",
                       b"FROM_FILE=one two", b"OVER=flag", b"FROM_HOST=" + host_value,
                       b"TRICKY=" + tricky.encode(), b"EMPTY=", b"EQ==a=b"], entries


def test_hostname_option_sets_all_three_and_sethostname_changes_uname():
    status, entries, info, err = _run("--hostname", "web-1", "--", "sethost")
    assert status == 0, err
    assert b"HOSTNAME=web-1" in entries, entries
    assert info["hostname"] == info["nodename"] == "web-1", info
    assert info["after"] == "sethostname renamed renamed web-1", info


def test_workdir_is_created_under_tmp_and_relative_paths_land_there():
    status, _, info, err = _run("-w", "/tmp/app/data", "--", "touch")
    assert status == 0, err
    assert info["cwd"] == "/tmp/app/data", info
    assert info["touch"] == "/tmp/app/data/made-here ok", info
    status, _, info, err = _run("-w", "/tmp", "--", "touch")
    assert status == 0 and info["cwd"] == "/tmp", (status, info, err)


def test_workdir_on_the_read_only_initrd_refuses_the_boot():
    status, entries, info, err = _run("-w", "/srv/app")
    assert status == 126, (status, err)
    assert "skiff: refused: workdir /srv/app: cannot create it: Read-only file system" in err, err
    assert not entries and not info, (entries, info)


def test_workdir_on_an_image_without_a_file_system_refuses_the_boot():
    """hello opens no files, so it links no file system (workdir.c's weak chdir): -w cannot be
    honoured and says so instead of starting main somewhere else."""
    hello = os.path.join(cli_support.ROOT, "build", "apps", "hello", "hello.elf")
    result = cli_support.skiff("run", hello, "-w", "/tmp/x", timeout=120)
    err = result.stderr.decode()
    assert result.returncode == 126, (result.returncode, err)
    assert "workdir /tmp/x: this image has no file system code" in err, err
    assert not result.stdout, result.stdout


def _one_line_error(args, status, needle):
    result = cli_support.skiff("run", _image(), "--dry-run", *args)
    err = result.stderr.decode()
    assert result.returncode == status, (result.returncode, err)
    lines = [l for l in err.splitlines() if not l.startswith("skiff: using TCG")]
    assert len(lines) == 1 and lines[0].startswith("skiff run: ") and needle in lines[0], err


def test_bad_environment_options_are_one_line():
    missing = os.path.join(cli_support.scratch_dir(), "no-such.env")
    _one_line_error(["--env-file", missing], 125, f"--env-file {missing}: No such file")
    _one_line_error(["-e", "=x"], 2, "empty variable name")
    _one_line_error(["-w", "relative/dir"], 2, "absolute path")
    _one_line_error(["--hostname", "bad_name"], 2, "--hostname 'bad_name'")
    _one_line_error(["-e", "BIG=" + "x" * 5000], 2, "of them the environment), more than")
    _one_line_error(["-e", "A=1"] * 300, 2, "kernel arguments")

