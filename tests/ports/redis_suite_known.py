"""Known causes of Redis test-suite tests that pass natively and fail on skiff (tests/ports/redis_suite.py)."""
import re

FORK = "fork()"
CLOCK = "item 13 (clock)"
LONGDOUBLE = "item 11 (long double)"
PORTS = "VM: the guest has its own ports"
MALLOC = "item 12 (malloc: free() is O(n))"

# What a failure's message shows about its cause. Replication in external mode means
# attaching as a replica (SYNC), which makes the server BGSAVE: a child process; AOF
# can only be switched on with a background rewrite: a child process.
MESSAGES = [
    (re.compile(r"BGSAVE failed, replication can't continue"), FORK),
    (re.compile(r"Unable to turn on AOF"), FORK),
    (re.compile(r"AOF background rewriting"), FORK),
    (re.compile(r"Background saving|Can't BGSAVE|fork", re.I), FORK),
    (re.compile(r"is negative"), LONGDOUBLE),   # ceill() on the timeout
]

# (unit, test name) -> cause, where the message alone does not tell.
TESTS = {
    # Absolute times: the guest's wall clock is seconds off the host's.
    ("unit/dump", "RESTORE can set an absolute expire"): CLOCK,
    ("unit/type/string", "GETEX EXAT option"): CLOCK,
    ("unit/type/string", "GETEX PXAT option"): CLOCK,
    ("unit/type/string", "Extended SET EXAT option"): CLOCK,
    ("unit/type/string", "Extended SET PXAT option"): CLOCK,
    ("unit/expire", "EXPIREAT - Check for EXPIRE alike behavior"): CLOCK,
    ("unit/expire", "PEXPIREAT can set sub-second expires"): CLOCK,
    ("unit/expire", "EXPIRETIME returns absolute expiration time in seconds"): CLOCK,
    ("unit/expire", "PEXPIRETIME returns absolute expiration time in milliseconds"): CLOCK,
    # %Lg prints double precision, ceill()/llroundl() are implicit int declarations.
    ("unit/type/incr", "No negative zero"): LONGDOUBLE,
    ("unit/type/incr", "INCRBYFLOAT does not allow NaN or Infinity"): LONGDOUBLE,
    ("unit/type/hash", "Test HINCRBYFLOAT for correct float representation (issue #2846)"):
        LONGDOUBLE,
    ("unit/type/list", "BRPOPLPUSH with multiple blocked clients"): LONGDOUBLE,
    # HyperLogLog's estimate goes through llroundl(): cardinality 0.
    ("unit/hyperloglog", "HyperLogLog self test passes"): LONGDOUBLE,
    ("unit/hyperloglog", "PFCOUNT returns approximated cardinality of set"): LONGDOUBLE,
    ("unit/hyperloglog", "HyperLogLogs are promote from sparse to dense"): LONGDOUBLE,
    ("unit/hyperloglog", "PFMERGE results on the cardinality of union of sets"): LONGDOUBLE,
    ("unit/hyperloglog", "PFCOUNT multiple-keys merge returns cardinality of union"):
        LONGDOUBLE,
    ("unit/pause", "Test special commands are paused by RO"): LONGDOUBLE,   # PFCOUNT 0
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
for _pop in ("BLPOP", "BRPOP", "BLMPOP_LEFT", "BLMPOP_RIGHT", "BZPOPMIN", "BZPOPMAX",
             "BZMPOP_MIN", "BZMPOP_MAX"):
    TESTS[("unit/type/list", f"{_pop}: with 0.001 timeout should not block indefinitely")] = \
        LONGDOUBLE
    TESTS[("unit/type/zset", f"{_pop}: with 0.001 timeout should not block indefinitely")] = \
        LONGDOUBLE


# Units that can run out of the harness's time on skiff: tests they never reached.
# redis-cli's RDB-dump test FLUSHDBs 100,000 keys (the issue measured 111.6 s for that
# under TCG against 0.09 s natively: newlib's free() walks a sorted free list).
TIMED_OUT = {
    "integration/redis-cli": MALLOC,
}


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
