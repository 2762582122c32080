"""skiff build -o app.qcow2 booted as OpenStack Nova boots it, and -o app.oci.tar checked with skopeo, unpacked with umoci and its disk booted."""
import json
import os
import re
import shutil
import subprocess

import libvirt_rig as rig

VIRTCHECK = ["tests/virt/guest/virtcheck.c"]


def _exit_status(text):
    found = re.findall(r"^skiff: exit (\d+)\s*$", text, re.M)
    return int(found[-1]) if found else None


def _check_console(text, want_args, status):
    assert f"virtcheck: argc={len(want_args) + 1} " + " ".join(f"[{a}]" for a in want_args) \
        + " GREETING=(unset)" in text, text
    assert "virtcheck: socket ok" in text, text
    assert re.search(r"^skiff: net: net0 [0-9.]+ by DHCP", text, re.M), text
    assert _exit_status(text) == status, text


def test_qcow2_boots_like_nova_with_baked_args_and_dhcp():
    lv = rig.daemon()
    if lv is None:
        return
    work = rig.workdir("qcow2")
    image = rig.build("vcdisk", VIRTCHECK, ".qcow2", ["3", "net", "baked in"])
    info = subprocess.run(["qemu-img", "info", "--output=json", image], capture_output=True,
                          text=True, check=True)
    assert json.loads(info.stdout)["format"] == "qcow2", info.stdout
    disk = os.path.join(work, "vcdisk.qcow2")
    shutil.copyfile(image, disk)
    os.chmod(disk, 0o666)
    _check_console(rig.boot_disk(lv, "skiff-nova", disk, work), ["3", "net", "baked in"], 3)


def test_oci_archive_is_a_containerdisk_whose_disk_boots():
    lv = rig.daemon()
    if lv is None:
        return
    work = rig.workdir("oci")
    archive = rig.build("vcoci", VIRTCHECK, ".oci.tar", ["5", "net"])
    inspect = subprocess.run(["skopeo", "inspect", f"oci-archive:{archive}"],
                             capture_output=True, text=True)
    assert inspect.returncode == 0, inspect.stderr
    meta = json.loads(inspect.stdout)
    assert meta["Architecture"] == "amd64" and meta["Os"] == "linux", meta
    assert len(meta["Layers"]) == 1, meta            # FROM scratch: the disk's layer only
    layout, bundle = os.path.join(work, "layout"), os.path.join(work, "bundle")
    subprocess.run(["skopeo", "copy", "--quiet", f"oci-archive:{archive}",
                    f"oci:{layout}:latest"], check=True, capture_output=True)
    subprocess.run(["umoci", "unpack", "--image", f"{layout}:latest", bundle], check=True,
                   capture_output=True)
    rootfs = os.path.join(bundle, "rootfs")
    assert sorted(os.listdir(rootfs)) == ["disk"], os.listdir(rootfs)
    assert os.listdir(os.path.join(rootfs, "disk")) == ["vcoci.qcow2"]
    disk = os.path.join(rootfs, "disk", "vcoci.qcow2")
    st = os.stat(disk)
    assert (st.st_uid, st.st_gid) == (107, 107), (st.st_uid, st.st_gid)
    for folder in (bundle, rootfs, os.path.join(rootfs, "disk")):
        os.chmod(folder, 0o755)
    os.chmod(disk, 0o644)          # libvirt's QEMU user is not 107 here, as it is in KubeVirt
    _check_console(rig.boot_disk(lv, "skiff-oci", disk, work), ["5", "net"], 5)
