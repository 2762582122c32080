"""SQLite's sqlite3 shell as a skiff image: SQL scripts from the initrd must give exactly what Debian's native sqlite3 gives.

Databases: in memory, a file in /tmp (the RAM file system), a file on a volume (a host
directory, -v) with the rollback journal and with WAL, read back by native sqlite3, and the
raw --disk device /dev/vda across two boots (prepared on the host by native sqlite3, read
back by it).
"""
import os
import shutil
import tempfile

import portutil

HERE = os.path.join(portutil.ROOT, "tests", "ports", "sqlite")
NATIVE = "sqlite3"
SHELL = ["-batch", "-init", "/dev/null"]  # no ~/.sqliterc on either side
DISK_BYTES = 4 << 20


def image():
    return portutil.build_port("sqlite", "sqlite3.elf", "tests/ports/sqlite")


def compare(guest_args, native_args=None, disk=None, native_cwd=HERE, volumes=()):
    """Run the shell in the guest and natively; assert equal status, stdout and stderr."""
    gs, gout, gerr = portutil.boot(image(), SHELL + guest_args, disk=disk, volumes=volumes)
    hs, hout, herr = portutil.native([NATIVE, *SHELL, *(native_args or guest_args)], native_cwd)
    what = " ".join(guest_args)
    assert gout == hout, f"{what}: {portutil.first_difference(gout, hout)}"
    assert gerr == herr, f"{what}: stderr differs\nskiff:\n{gerr}\nnative:\n{herr}"
    assert gs == hs, f"{what}: status {gs} in skiff, {hs} natively"
    return gs, gout, gerr


def test_in_memory_database_matches_native():
    status, out, err = compare([":memory:", ".read main.sql"])
    # main.sql breaks two constraints on purpose: the shell reports them and exits 1
    assert status == 1 and "CHECK constraint failed: salary > 0" in err, err
    assert b"Legal & Compliance|2001.0" in out and b"SEARCH emp USING INDEX emp_dept" in out


def test_file_database_in_tmp_matches_native():
    with tempfile.TemporaryDirectory(prefix="skiff-sqlite-") as d:
        db = os.path.join(d, "file.db")
        args = [".read file.sql", ".open {}", ".read file_check.sql"]
        guest = ["/tmp/file.db"] + [a.format("/tmp/file.db") for a in args]
        native = [db] + [a.format(db) for a in args]
        status, out, _ = compare(guest, native)
    assert status == 0 and b"-- reopened\n4500|337872000" in out and b"\nok\n" in out, out


def _volume_database(journal):
    """file.sql and file_check.sql on a database in a volume, in journal mode `journal`;
    then Debian's sqlite3 checks the file the guest left on the host."""
    with tempfile.TemporaryDirectory(prefix="skiff-sqlite-vol-") as d:
        vol, nat = os.path.join(d, "vol"), os.path.join(d, "native")
        os.mkdir(vol)
        os.mkdir(nat)
        args = [f"PRAGMA journal_mode={journal}", ".read file.sql", ".open {}",
                ".read file_check.sql"]
        guest = ["/db/shop.db"] + [a.format("/db/shop.db") for a in args]
        native = [os.path.join(nat, "shop.db")] + [a.format(os.path.join(nat, "shop.db"))
                                                   for a in args]
        status, out, _ = compare(guest, native, volumes=[f"{vol}:/db"])
        assert status == 0 and b"-- reopened\n4500|337872000" in out, out
        assert f"\n{journal.lower()}\n".encode() in out, out
        # the guest closed the database: no journal or WAL is left over
        assert os.listdir(vol) == ["shop.db"], os.listdir(vol)
        check = portutil.native([NATIVE, os.path.join(vol, "shop.db"), "PRAGMA integrity_check;"
                                 "PRAGMA journal_mode; SELECT count(*) FROM emp;"], d)
        assert check[1] == f"ok\n{journal.lower()}\n4500\n".encode(), check


def test_volume_database_with_rollback_journal():
    _volume_database("DELETE")


def test_volume_database_with_wal():
    """WAL's shared memory is the -shm file mmap'd MAP_SHARED: one process, so a copy
    written back at munmap is enough."""
    _volume_database("WAL")


def test_bad_sql_gives_sqlites_error():
    for bail in ([], ["-bail"]):
        status, out, err = compare(bail + [":memory:", ".read bad.sql"])
        assert status == 1 and 'near "SELEC": syntax error' in err, err
        assert (b"not reached" in out) == (not bail), out
    status, _, err = compare([":memory:", "SELECT * FROM nowhere"])
    assert status == 1 and "no such table: nowhere" in err, err


def new_disk(path):
    """A database file made by native sqlite3 (no auto-vacuum: a device cannot shrink),
    padded to the disk's size."""
    assert portutil.native([NATIVE, path, "PRAGMA auto_vacuum=NONE; PRAGMA user_version=0;"
                            "PRAGMA page_size=4096; VACUUM;"], HERE)[0] == 0
    with open(path, "r+b") as f:
        f.truncate(DISK_BYTES)


def test_disk_database_persists_across_two_boots():
    with tempfile.TemporaryDirectory(prefix="skiff-sqlite-disk-") as d:
        disk, twin = os.path.join(d, "disk.img"), os.path.join(d, "native.db")
        new_disk(disk)
        shutil.copyfile(disk, twin)
        for script in ["disk1.sql", "disk2.sql"]:
            # the same script on the same starting bytes: /dev/vda in the guest, a file natively
            status, out, _ = compare(["/dev/vda", ".read " + script], [twin, ".read " + script],
                                     disk=disk)
            assert status == 0, out
        assert out.startswith(b"memory\n1\n3000|"), out  # disk2.sql sees disk1.sql's rows
        assert out.rstrip().endswith(b"ok"), out
        # the host reads what the guest wrote: the same rows as native sqlite3's own file
        dump = [portutil.native([NATIVE, path, ".dump"], d) for path in (disk, twin)]
        assert dump[0][0] == 0 and dump[0][1] == dump[1][1], "the disk's content differs"
        check = portutil.native([NATIVE, disk, "PRAGMA integrity_check; PRAGMA user_version;"
                                 "SELECT count(*) FROM reading;"], d)
        assert check[1] == b"ok\n2\n2401\n", check


def test_disk_without_memory_journal_is_refused_cleanly():
    """No rollback journal can be created next to /dev/vda: a write without
    journal_mode=MEMORY fails with SQLite's own error, and the disk stays intact."""
    with tempfile.TemporaryDirectory(prefix="skiff-sqlite-disk-") as d:
        disk = os.path.join(d, "disk.img")
        new_disk(disk)
        status, _, err = portutil.boot(image(), SHELL + ["/dev/vda", "CREATE TABLE t(x)"],
                                       disk=disk)
        assert status == 8 and "attempt to write a readonly database (8)" in err, (status, err)
        check = portutil.native([NATIVE, disk, "PRAGMA integrity_check; SELECT count(*) FROM sqlite_schema;"], d)
        assert check[1] == b"ok\n0\n", check
