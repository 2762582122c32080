"""`skiff build -o app.qcow2 | app.oci.tar`: the UEFI disk for clouds (qemu-img) and as a KubeVirt containerDisk (umoci, skopeo).

The .qcow2 is the GPT disk `skiff build -o x.img` makes, with the guest command line
(hostname, then ARGS after `--`) written into its ESP's EFI/BOOT/cmdline (as skiff run
does for a .img), converted with `qemu-img convert -O qcow2`. The network comes up by
DHCP (the kernel's default). The .oci.tar is an OCI image archive with no base image
(FROM scratch) and one layer holding /disk/NAME.qcow2 owned by 107:107 (the UID KubeVirt's
QEMU runs as): umoci builds the layout, skopeo writes the oci-archive."""
import os
import shutil
import subprocess
import tempfile

from .cmdline import guest_cmdline
from .common import EXIT_USAGE, CliError
from .efirun import stage_img

QCOW2, OCI = ".qcow2", ".oci.tar"
CONTAINERDISK_UID = 107        # KubeVirt's qemu user (containerDisk docs: --chown=107:107)
OCI_TAG = "latest"
CMDLINE_MAX = 4095             # kernel/cmdline.h CMDLINE_MAX minus the NUL
TOOLS = {"qemu-img": "qemu-utils", "umoci": "umoci", "skopeo": "skopeo", "mcopy": "mtools"}


def wants(output):
    return output.endswith(QCOW2) or output.endswith(OCI)


def _need(*tools):
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        packages = " ".join(sorted({TOOLS[t] for t in missing}))
        raise CliError(f"{', '.join(missing)} not found: install {packages} "
                       "(apt-get install, or tools/deps.sh cloud)", EXIT_USAGE)


def _tool(argv, what):
    result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise CliError(f"{what} failed: {lines[-1] if lines else f'status {result.returncode}'}")
    return result.stdout


def _name(out):
    base = os.path.basename(out)
    return base[:-len(OCI)] if base.endswith(OCI) else os.path.splitext(base)[0]


def main(args, build_image):
    out = os.path.abspath(args.output)
    oci = out.endswith(OCI)
    if os.path.lexists(out):
        raise CliError(f"{args.output} exists; remove it first (skiff build never overwrites "
                       f"a {OCI if oci else QCOW2})", EXIT_USAGE)
    if not os.path.isdir(os.path.dirname(out)):
        raise CliError(f"{args.output}: no such folder {os.path.dirname(out)}", EXIT_USAGE)
    if oci and os.geteuid() != 0:
        raise CliError(f"{OCI}: the layer's files must be owned by UID {CONTAINERDISK_UID}; "
                       "run as root (umoci records the owner it sees)", EXIT_USAGE)
    _need("qemu-img", "mcopy", *(("umoci", "skopeo") if oci else ()))
    name = _name(out)
    cmdline = guest_cmdline("", name, args.app_args, [f"hostname={name}"])
    if len(os.fsencode(cmdline)) > CMDLINE_MAX:
        raise CliError(f"the baked command line is {len(os.fsencode(cmdline))} bytes, more "
                       f"than the kernel's {CMDLINE_MAX}", EXIT_USAGE)
    with tempfile.TemporaryDirectory(prefix="skiff-cloud-") as tmp:
        args.output, quiet = os.path.join(tmp, name + ".img"), args.quiet
        args.quiet = True
        build_image(args)
        args.output, args.quiet = out, quiet
        stage_img(tmp, os.path.join(tmp, name + ".img"), cmdline)   # writes tmp/disk.img
        disk = os.path.join(tmp, "disk.img")
        qcow2 = os.path.join(tmp, name + QCOW2)
        _tool(["qemu-img", "convert", "-f", "raw", "-O", "qcow2", disk, qcow2],
              "qemu-img convert")
        if oci:
            _oci_archive(tmp, name, qcow2, out)
        else:
            shutil.move(qcow2, out + ".tmp")
            os.replace(out + ".tmp", out)
    if not quiet:
        print(f"{out}  {os.path.getsize(out)} bytes")
    return 0


def _oci_archive(tmp, name, qcow2, out):
    """FROM scratch + /disk/NAME.qcow2 (107:107, 0440) as an oci-archive tagged latest."""
    layout = os.path.join(tmp, "layout")
    staged = os.path.join(tmp, "disk")
    os.makedirs(staged)
    target = os.path.join(staged, name + QCOW2)
    shutil.move(qcow2, target)
    for path, mode in ((staged, 0o555), (target, 0o440)):
        os.chown(path, CONTAINERDISK_UID, CONTAINERDISK_UID)
        os.chmod(path, mode)
    image = f"{layout}:{OCI_TAG}"
    _tool(["umoci", "init", "--layout", layout], "umoci init")
    _tool(["umoci", "new", "--image", image], "umoci new")
    _tool(["umoci", "insert", "--image", image, staged, "/disk"], "umoci insert")
    _tool(["umoci", "config", "--image", image, "--config.label",
           f"org.opencontainers.image.title={name}", "--config.label",
           "skiff.kind=kubevirt-containerdisk"], "umoci config")
    _tool(["skopeo", "copy", "--quiet", f"oci:{image}", f"oci-archive:{out}.tmp:{OCI_TAG}"],
          "skopeo copy")
    os.replace(out + ".tmp", out)
