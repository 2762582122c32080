"""Crash consistency on a volume: SIGKILL of QEMU at seeded-random moments while SQLite commits (rollback journal, WAL) or Redis appends (appendfsync always); after the next boot nothing acknowledged is lost and the database is intact."""
import os
import random
import signal
import socket
import subprocess
import tempfile
import threading
import time

import portutil
import test_redis  # puts tests/net on sys.path
import test_sqlite
import netutil  # noqa: E402

SEED = int(os.environ.get("SKIFF_CRASH_SEED", "1414"))
KILLS = 3                   # SQLite: a boot takes about a second
REDIS_KILLS = 2             # Redis: about 25 s a boot under TCG
TXNS = 4000                 # more than a run can commit before its kill
ROWS_PER_TXN = 3
FIRST_COMMIT_TIMEOUT_S = 180


def _script(base):
    """Transactions of ROWS_PER_TXN rows each; after each COMMIT returns, `committed ID`."""
    lines = ["CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, txn INTEGER, pad BLOB);"]
    for n in range(base, base + TXNS):
        rows = ", ".join(f"({n * ROWS_PER_TXN + r}, {n}, randomblob(1500))"
                         for r in range(ROWS_PER_TXN))
        lines.append(f"BEGIN; INSERT INTO t VALUES {rows}; COMMIT; SELECT 'committed {n}';")
    return "\n".join(lines) + "\n"


class Killed:
    """tools/skiff run in its own process group; its stdout read line by line on a thread."""

    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, start_new_session=True)
        self.lines = []
        self.first = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.err = b""
        self.err_reader = threading.Thread(target=self._read_err, daemon=True)
        self.err_reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.decode(errors="replace").strip())
            self.first.set()

    def _read_err(self):
        self.err = self.proc.stderr.read()

    def kill(self):
        """SIGKILL QEMU and skiff run together (a power cut); the lines printed before."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)
        self.reader.join(timeout=10)
        self.err_reader.join(timeout=10)
        return list(self.lines)


def _sqlite_crash_rounds(journal):
    rng = random.Random(f"{SEED}-{journal}")
    image = test_sqlite.image()
    committed = set()
    with tempfile.TemporaryDirectory(prefix=f"skiff-crash-{journal}-") as vol:
        db = os.path.join(vol, "crash.db")
        status, out, err = portutil.boot(image, test_sqlite.SHELL + [
            "/db/crash.db", f"PRAGMA journal_mode={journal};"], volumes=[f"{vol}:/db"])
        assert status == 0 and out.decode().strip().lower() == journal.lower(), (out, err)
        for k in range(KILLS):
            with open(os.path.join(vol, "crash.sql"), "w") as f:
                f.write(_script(k * TXNS))
            run = Killed([portutil.SKIFF, "run", image, "--quiet", "-v", f"{vol}:/db", "--",
                          *test_sqlite.SHELL, "/db/crash.db", ".read /db/crash.sql"])
            got_first = run.first.wait(FIRST_COMMIT_TIMEOUT_S)
            # seeded moment: somewhere in the next 0.1 .. 2.5 s of commits
            time.sleep(rng.uniform(0.1, 2.5) if got_first else 0)
            lines = run.kill()
            assert got_first, f"round {k}: no commit printed\n{run.err.decode(errors='replace')}"
            printed = {int(l.split()[1]) for l in lines if l.startswith("committed ")}
            assert printed, lines[-5:]
            assert len(printed) < TXNS, f"round {k}: the script ended before the kill"
            committed |= printed
            status, out, err = portutil.boot(image, test_sqlite.SHELL + [
                "/db/crash.db", "PRAGMA integrity_check; PRAGMA journal_mode; "
                "SELECT DISTINCT txn FROM t;"], volumes=[f"{vol}:/db"])
            assert status == 0, f"round {k}: check boot status {status}: {err}"
            words = out.decode().split()
            assert words[0] == "ok", f"round {k}: integrity_check: {out[:400]!r}"
            assert words[1].lower() == journal.lower(), words[:2]
            present = {int(w) for w in words[2:]}
            lost = committed - present
            assert not lost, f"round {k}: {len(lost)} committed transactions lost: " \
                f"{sorted(lost)[:10]}"
            count = subprocess.run(["sqlite3", db, "PRAGMA integrity_check; SELECT count(*) "
                                    "FROM t GROUP BY txn HAVING count(*) != 3;"],
                                   capture_output=True, text=True, timeout=60)
            assert count.stdout.split() == ["ok"], \
                f"round {k}: native sqlite3: {count.stdout[:300]} {count.stderr}"
    return committed


def test_crash_sqlite_rollback_journal():
    """Rollback journal: a hot journal left by the kill is rolled back at the next open."""
    assert len(_sqlite_crash_rounds("DELETE")) >= KILLS


def test_crash_sqlite_wal():
    """WAL: the wal-index (-shm) is rebuilt and committed frames replayed after the kill."""
    assert len(_sqlite_crash_rounds("WAL")) >= KILLS


def _set(sock, key, value):
    cmd = f"*3\r\n$3\r\nSET\r\n${len(key)}\r\n{key}\r\n${len(value)}\r\n{value}\r\n"
    sock.sendall(cmd.encode())
    reply = b""
    while not reply.endswith(b"\r\n"):
        chunk = sock.recv(64)
        if not chunk:
            raise ConnectionError("closed")
        reply += chunk
    return reply == b"+OK\r\n"


def _get_all(port, keys):
    """GET each key over one connection; {key: value or None}."""
    out = {}
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        f = s.makefile("rb")
        for key in keys:
            s.sendall(f"*2\r\n$3\r\nGET\r\n${len(key)}\r\n{key}\r\n".encode())
            head = f.readline()
            if head.startswith(b"$-1"):
                out[key] = None
                continue
            assert head.startswith(b"$"), head
            out[key] = f.read(int(head[1:]) + 2)[:-2].decode()
    return out


def test_crash_redis_aof_always():
    """appendfsync always: every SET answered +OK before a kill at a seeded moment is there
    after the next boot, over several kills."""
    rng = random.Random(f"{SEED}-redis")
    acked = {}
    with tempfile.TemporaryDirectory(prefix="skiff-crash-redis-") as data:
        for k in range(REDIS_KILLS):
            port = netutil.free_port()
            with test_redis.boot_on_volume(port, data, "always") as g:
                test_redis.wait_ping(port)
                found = _get_all(port, list(acked))
                lost = [key for key, value in acked.items() if found[key] != value]
                assert not lost, f"round {k}: {len(lost)} acknowledged keys lost: {lost[:10]}"
                stop = threading.Event()

                def writer():
                    n = 0
                    try:
                        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                            while not stop.is_set():
                                key, value = f"r{k}k{n}", f"v{n}-{k}"
                                if _set(s, key, value):
                                    acked[key] = value
                                n += 1
                    except OSError:
                        pass            # the kill closes the connection
                thread = threading.Thread(target=writer, daemon=True)
                thread.start()
                time.sleep(rng.uniform(0.5, 3.0))
                os.killpg(g.proc.pid, signal.SIGKILL)   # QEMU and skiff run: power cut
                g.proc.wait(timeout=30)
                stop.set()
                thread.join(timeout=30)
            assert any(key.startswith(f"r{k}k") for key in acked), f"round {k}: no SET answered"
        port = netutil.free_port()
        with test_redis.boot_on_volume(port, data, "always") as g:
            test_redis.wait_ping(port)
            found = _get_all(port, list(acked))
            lost = [key for key, value in acked.items() if found[key] != value]
            assert not lost, f"{len(lost)} of {len(acked)} acknowledged keys lost: {lost[:10]}"
            test_redis.cli(port, "SHUTDOWN", "NOSAVE", check=False)
            status, _ = g.finish(60)
            assert status == 0, f"status {status}\n{g.log()}"
