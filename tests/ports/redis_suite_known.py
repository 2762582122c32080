"""Known causes of Redis test-suite tests that pass natively and fail on skiff (tests/ports/redis_suite.py)."""
import re

FORK = "fork()"
PORTS = "VM: the guest has its own ports"

# What a failure's message shows about its cause. Replication in external mode means
# attaching as a replica (SYNC), which makes the server BGSAVE: a child process; AOF
# can only be switched on with a background rewrite: a child process.
MESSAGES = [
    (re.compile(r"BGSAVE failed, replication can't continue"), FORK),
    (re.compile(r"Unable to turn on AOF"), FORK),
    (re.compile(r"AOF background rewriting"), FORK),
    (re.compile(r"Background saving|Can't BGSAVE|fork", re.I), FORK),
]

# (unit, test name) -> cause, where the message alone does not tell.
TESTS = {
    # The test listens on a host port and expects CONFIG SET port to find it taken; the
    # guest's ports are its own (behind `skiff run --port`), so Redis moves to it and
    # the forwarded port no longer reaches it: the same in any VM or container.
    ("unit/introspection", "CONFIG SET rollback on apply error"): PORTS,
    # BGSAVE itself, and tests whose server could not switch AOF on.
    ("unit/other", "BGSAVE"): FORK,
    ("unit/expire", "GETEX use of PERSIST option should remove TTL after loadaof"): FORK,
    ("integration/redis-cli", "Dumping an RDB - functions only: no"): FORK,
    ("integration/redis-cli", "Dumping an RDB - functions only: yes"): FORK,
    ("integration/redis-cli", "Connecting as a replica"): FORK,
}
# Items 11 (long double), 12 (malloc) and 13 (clock) of issue 13 once explained 21 more
# (INCRBYFLOAT, HyperLogLog, blocking timeouts, absolute expiry times, a unit that ran out
# of time freeing 100,000 keys); they are fixed, so such a failure now is unexplained.
TIMED_OUT = {}


def cause(unit, name, message=""):
    """The known cause of a skiff-only failure, or None."""
    why = TESTS.get((unit, re.sub(r" #\d+$", "", name)))
    if why:
        return why
    if message == "timed out" and unit in TIMED_OUT:
        return TIMED_OUT[unit]
    for pattern, why in MESSAGES:
        if pattern.search(message or ""):
            return why
    return None
