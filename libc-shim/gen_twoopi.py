#!/usr/bin/env python3
"""Writes libc-shim/mathl_twoopi.c: the bits of 2/pi for sinl/cosl/tanl's argument reduction.

pi comes from Machin's formula (pi = 16 atan(1/5) - 4 atan(1/239)) in integer arithmetic
with 17,600 bits, enough for the largest long double (2^16384) plus 192 bits beyond."""
import os

BITS = 17600


def atan_inv(n, scale):
    """atan(1/n) * scale, truncated, by its Taylor series."""
    total = term = scale // n
    k, sign = 1, -1
    while term:
        term //= n * n
        total += sign * (term // (2 * k + 1))
        sign, k = -sign, k + 1
    return total


def main():
    scale = 1 << (BITS + 64)
    pi = 16 * atan_inv(5, scale) - 4 * atan_inv(239, scale)  # pi * scale (guard bits below)
    twoopi = 2 * scale * scale // pi                            # 2/pi * scale
    words = [(twoopi >> (BITS - 64 * i)) & (2**64 - 1) for i in range(BITS // 64)]
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mathl_twoopi.c")
    with open(out, "w") as f:
        f.write("/* The bits of 2/pi, 64 a word from 2^-1 down, for sinl/cosl/tanl's argument "
                "reduction (written by libc-shim/gen_twoopi.py). */\n")
        f.write('#include "mathl_trig.h"\n\n')
        f.write(f"const unsigned long long __skiff_twoopi[{len(words)}] = {{\n")
        for i in range(0, len(words), 3):
            f.write("\t" + " ".join(f"0x{w:016x}ULL," for w in words[i:i + 3]) + "\n")
        f.write("};\n")


if __name__ == "__main__":
    main()
