"""Hardening checks that need several boots or a build: a fresh stack canary per boot, and clear build errors."""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SKIFF = os.path.join(ROOT, "tools", "skiff")
OUT = os.path.join(ROOT, "build", "tests", "hard")
INITIAL_CANARY = 0x0aff0d0a00ff0a00  # kernel/stackprot.c, before stackprot_init


def skiff(*args, timeout=300):
    env = dict(os.environ, SKIFF_ACCEL="tcg")
    return subprocess.run([sys.executable, SKIFF, *args], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                          timeout=timeout)


def build(name, source, *extra):
    out = os.path.join(OUT, name + ".elf")
    os.makedirs(OUT, exist_ok=True)
    return skiff("build", source, "-o", out, "-q", *extra), out


def test_stack_canary_is_random_every_boot():
    result, image = build("canary", os.path.join(HERE, "hardening", "canary.c"))
    assert result.returncode == 0, result.stderr.decode()
    seen = []
    for _ in range(3):
        run = skiff("run", image, "--timeout", "60", timeout=120)
        out = run.stdout.decode()
        assert run.returncode == 0, (run.returncode, out, run.stderr.decode())
        m = re.fullmatch(r"canary ([0-9a-f]{16}) from (rdseed|rdrand|tsc-jitter)\n", out)
        assert m, out
        seen.append(int(m.group(1), 16))
    assert len(set(seen)) == 3, [hex(c) for c in seen]
    for c in seen:
        assert c & 0xff == 0, hex(c)          # terminator byte
        assert c != INITIAL_CANARY and c >> 8, hex(c)


def _build_error(name, text):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, name + ".c")
        with open(src, "w") as f:
            f.write(text)
        result, image = build(name, src)
        err = result.stderr.decode()
        assert result.returncode == 1, (result.returncode, err)
        assert not os.path.exists(image), image
        last = err.strip().splitlines()[-1]
        assert last.startswith("skiff build: "), err
        return src, err, last


def test_c_syntax_error_names_the_line():
    src, err, last = _build_error("syntax_error", "int main(void)\n{\n\treturn 0\n}\n")
    assert f"{src}:3:" in err and "error:" in err, err
    assert last == "skiff build: make failed (status 2) building syntax_error", last


def test_app_defining_a_kernel_api_symbol_gets_one_clear_line():
    src, err, last = _build_error(
        "clash_klog", "#include <stdio.h>\nvoid klog(const char *f, ...) { puts(f); }\n"
        "int main(void) { klog(\"x\"); return 0; }\n")
    assert last == (f"skiff build: {src}:2: the app defines `klog', which skiff's kernel API "
                    f"(include/skiff/) also defines (kernel/console.c); rename the app's"), last


def test_app_may_reuse_kernel_internal_names():
    """Internal kernel symbols are local to kernel.o: an app's own `mm_init` links and runs."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "own_mm_init.c")
        with open(src, "w") as f:
            f.write("#include <stdio.h>\nint mm_init(void) { return 7; }\n"
                    "int main(void) { printf(\"mine %d\\n\", mm_init()); return 0; }\n")
        result, image = build("own_mm_init", src)
        assert result.returncode == 0, result.stderr.decode()
    run = skiff("run", image, "--timeout", "60", timeout=120)
    assert run.returncode == 0 and run.stdout == b"mine 7\n", (run.returncode, run.stdout)


def test_hello_links_no_network_block_or_filesystem_code():
    """Nothing an app does not use is linked: hello carries no virtio-net or virtio-blk
    driver, lwIP, socket, file-system or block code (the attack surface is what the app
    calls). Its stdio needs the console link: virtio core, transports, virtio-console."""
    result = subprocess.run(["make", "-s", "-C", ROOT, "hello"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, timeout=600)
    assert result.returncode == 0, result.stdout.decode()
    nm = subprocess.run(["nm", os.path.join(ROOT, "build", "apps", "hello", "hello.elf.debug")],
                        check=True, stdout=subprocess.PIPE, text=True).stdout
    names = [line.split()[-1] for line in nm.splitlines() if line.strip()]
    unwanted = re.compile(r"virtio_net|vnet|virtio_blk|vblk|^netdev|^tcp_|^udp_|^lwip_|"
                          r"^netif_|^dhcp|^etharp|ramfs|cpio|initrd|^blk|^sock", re.I)
    found = sorted(n for n in names if unwanted.search(n))
    assert not found, found
    assert "main" in names and "__stack_chk_guard" in names
    assert "virtio_console_attach" in names, "hello's stdio lost its console link"
