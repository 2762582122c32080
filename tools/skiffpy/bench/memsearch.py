"""The smallest guest memory a VM variant boots with: upward steps for skiff, a bisection for Linux."""
from .measure import measure
from ..memsize import MIB


def boots(variant, program, mib, launcher, timeout):
    """Does the variant run program to the end, right output, with mib MiB of guest RAM?
    A guest that hangs or panics on too little memory counts as not booting."""
    run = measure(launcher, variant.argv(program, mib * MIB), marker=program.marker,
                  timeout=timeout, cleanup=variant.cleanup)
    return variant.judge(program, run) is None


def smallest_upward(try_mib, start, stop, step=1):
    """First of start, start+step, ... stop (MiB) for which try_mib is true; None if none.
    Returns (result, [(mib, ok), ...])."""
    return smallest_of(try_mib, range(start, stop + 1, step))


def smallest_of(try_mib, sizes):
    """First of sizes (MiB, ascending) for which try_mib is true; None if none.
    Returns (result, [(mib, ok), ...])."""
    tried = []
    for mib in sizes:
        ok = try_mib(mib)
        tried.append((mib, ok))
        if ok:
            return mib, tried
    return None, tried


def smallest_bisect(try_mib, low, high, resolution):
    """Bisect between low (assumed not to boot) and high (checked first) down to resolution
    MiB; the answer is the smallest size seen to boot. (None, tried) if high does not boot."""
    tried = []
    ok = try_mib(high)
    tried.append((high, ok))
    if not ok:
        return None, tried
    while high - low > resolution:
        mid = (low + high) // 2
        mid -= mid % resolution if mid - mid % resolution > low else 0
        ok = try_mib(mid)
        tried.append((mid, ok))
        if ok:
            high = mid
        else:
            low = mid
    return high, tried
