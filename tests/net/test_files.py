"""Files: `skiff build --files` contents read back byte-exact; the initrd, /tmp and /dev in a guest self-test."""
import os
import tempfile

import netutil

_built = {}


def files_dir():
    if "dir" not in _built:
        d = tempfile.mkdtemp(prefix="skiff-files-")
        with open(os.path.join(d, "hello.txt"), "w") as f:
            f.write("hello world\n")
        os.makedirs(os.path.join(d, "sub", "deep"))
        with open(os.path.join(d, "sub", "two.txt"), "w") as f:
            f.write("2\n")
        with open(os.path.join(d, "sub", "deep", "three.txt"), "w") as f:
            f.write("3\n")
        blob = bytes(range(256)) * 64 + os.urandom(300001)   # every byte value, odd length
        with open(os.path.join(d, "sub", "blob.bin"), "wb") as f:
            f.write(blob)
        _built.update(dir=d, blob=blob)
    return _built["dir"]


def image():
    if "image" not in _built:
        _built["image"] = netutil.build("fsself", ["tests/net/guest/fsself/main.c"],
                                        files=files_dir())
    return _built["image"]


def test_files_read_back_byte_exact():
    img = image()   # builds files_dir() too
    with netutil.Guest(img, app_args=["cat", "/sub/blob.bin"]) as g:
        status, out = g.finish()
    assert status == 0, g.log()
    assert g.out == _built["blob"], f"{len(g.out)} bytes back, want {len(_built['blob'])}"


def test_initrd_tmp_dev_and_fd_table():
    with netutil.Guest(image(), app_args=["self"]) as g:
        status, out = g.finish()
    assert status == 0 and "fsself: ok" in out, g.log()


if __name__ == "__main__":
    netutil.run_tests(globals())
