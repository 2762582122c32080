"""Known causes of Redis test-suite tests that pass natively and fail on skiff (tests/ports/redis_suite.py)."""

# (unit, test name prefix) -> cause. "fork()" is the documented difference (BGSAVE,
# AOF rewrite, replication need a child process); "item N" is issue 13's item being
# fixed elsewhere.
KNOWN = {
}


def cause(unit, name):
    for (u, prefix), why in KNOWN.items():
        if u == unit and name.startswith(prefix):
            return why
    return None
