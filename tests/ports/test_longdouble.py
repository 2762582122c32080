"""Long double: tests/boot/longdouble/main.c built as a skiff image and natively with glibc must print the same bytes; what skiff does not implement must not link."""
import fractions
import os
import re
import subprocess

import portutil

SRC = os.path.join(portutil.ROOT, "tests", "boot", "longdouble", "main.c")
OUT = os.path.join(portutil.OUT, "longdouble")
# Parsed by strtold at run time and printed with %Lf/%Le/%Lg (values whose %Lf is
# short: past DECIMAL_DIG digits C leaves %Lf's digits to the library).
ARGS = ["1.23", "-0.1", "0x1.8p-16445", "12abc", "1e-4940", "-123456789.987654321987",
        "18446744073709551615", "inf", "-nan"]


def build_image(source, name):
    """`skiff build` SOURCE into OUT/NAME.elf; the CompletedProcess."""
    os.makedirs(OUT, exist_ok=True)
    return subprocess.run([portutil.SKIFF, "build", source, "-o", os.path.join(OUT, name + ".elf")],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=portutil.BUILD_TIMEOUT)


def hex_value(text):
    """A %La string (any leading digit, as C allows) as an exact fraction."""
    m = re.fullmatch(r"(-?)0x([0-9a-f]+)(?:\.([0-9a-f]*))?p([+-]\d+)", text)
    assert m, f"not a %La value: {text}"
    frac = m.group(3) or ""
    v = fractions.Fraction(int(m.group(2) + frac, 16), 16 ** len(frac)) * \
        fractions.Fraction(2) ** int(m.group(4))
    return -v if m.group(1) else v


def same_output(guest, host):
    """Byte-equal, except the %La line, whose hex form may differ but not its value."""
    g, h = guest.decode().splitlines(), host.decode().splitlines()
    assert len(g) == len(h), f"skiff has {len(g)} lines, native {len(h)}"
    for i, (x, y) in enumerate(zip(g, h)):
        if x.startswith("%La ") and y.startswith("%La "):
            assert hex_value(x.split()[-1]) == hex_value(y.split()[-1]), f"line {i + 1}: {x!r} vs {y!r}"
        else:
            assert x == y, f"line {i + 1}: skiff {x!r} vs native {y!r}"


def test_longdouble_matches_glibc():
    r = build_image(SRC, "longdouble")
    assert r.returncode == 0, f"skiff build failed:\n{r.stdout}{r.stderr}"
    native = os.path.join(OUT, "longdouble-native")
    subprocess.run(["gcc", "-O2", "-Wall", "-Werror", "-o", native, SRC, "-lm"], check=True,
                   timeout=120)
    hs, hout, herr = portutil.native([native, *ARGS], OUT)
    assert hs == 0 and not herr, f"native run failed ({hs}): {herr}"
    gs, gout, gerr = portutil.boot(os.path.join(OUT, "longdouble.elf"), ARGS)
    assert gs == 0, f"status {gs}\n{gerr}"
    same_output(gout, hout)
    # What double precision would print instead.
    assert b"strtold(1.23) 1.23000000000000000002 " in gout
    assert b"incrbyfloat 1.23000000000000000\n" in gout


# Long-double functions skiff does not implement to long-double precision: a call must
# not compile (no prototype) and, declared by hand, must not link.
MISSING = ["erfl", "erfcl", "lgammal", "tgammal", "fmal"]


def test_unimplemented_long_double_functions_do_not_link():
    os.makedirs(OUT, exist_ok=True)
    for name in MISSING:
        src = os.path.join(OUT, f"missing_{name}.c")
        with open(src, "w") as f:
            f.write("#include <math.h>\n#include <stdio.h>\nvolatile long double v = 0.5L;\n"
                    f"int main(void) {{ printf(\"%Lg\\n\", {name}(v)); return 0; }}\n")
        r = build_image(src, f"missing_{name}")
        assert r.returncode != 0, f"{name}: an image that calls it was built"
        assert re.search(f"implicit declaration of function .{name}.", r.stderr + r.stdout), r.stderr
    # Declared by hand (as a program with its own prototypes would), still no image; the
    # same for newlib's complex functions built on the undeclared ones (cargl, cexpl...).
    for name, decl, call in [("lgammal", "long double lgammal(long double);", "lgammal(v)"),
                             ("fmal", "long double fmal(long double, long double, long double);",
                              "fmal(v, v, v)"),
                             ("cexpl", "#include <complex.h>\nlong double complex cexpl(long double complex);",
                              "creall(cexpl(v + v * I))")]:
        src = os.path.join(OUT, f"declared_{name}.c")
        with open(src, "w") as f:
            f.write(f"#include <stdio.h>\n{decl}\nvolatile long double v = 0.5L;\n"
                    f"int main(void) {{ printf(\"%Lg\\n\", (long double)({call})); return 0; }}\n")
        r = build_image(src, f"declared_{name}")
        assert r.returncode != 0, f"{name}: an image that calls it was built"
        assert "undefined reference to" in r.stderr + r.stdout, r.stderr


def test_cargl_is_gccs_atan2l_with_glibcs_value():
    """Apps are compiled hosted, as on Linux: gcc turns cargl(z) into atan2l(cimag z,
    creal z), which skiff implements to long-double precision; the value must be glibc's."""
    src = os.path.join(OUT, "cargl.c")
    os.makedirs(OUT, exist_ok=True)
    with open(src, "w") as f:
        f.write("#include <complex.h>\n#include <stdio.h>\nvolatile long double v = 0.5L;\n"
                "int main(void) { printf(\"%.21Lg\\n\", cargl(v + 2 * v * I)); return 0; }\n")
    r = build_image(src, "cargl")
    assert r.returncode == 0, f"skiff build failed:\n{r.stdout}{r.stderr}"
    native = os.path.join(OUT, "cargl-native")
    subprocess.run(["gcc", "-O2", "-o", native, src, "-lm"], check=True, timeout=120)
    hs, hout, _ = portutil.native([native], OUT)
    gs, gout, gerr = portutil.boot(os.path.join(OUT, "cargl.elf"), [])
    assert hs == 0 and gs == 0, (hs, gs, gerr)
    assert gout == hout, (gout, hout)
