"""What the bench report states about the host: accelerator and why, QEMU version, CPU, kernel."""
import os
import platform

from .. import accel


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def tsc_khz():
    """The host's TSC rate in kHz ("cpu MHz" of /proc/cpuinfo), or None. Under TCG a guest's
    TSC runs at the host's rate; telling Linux spares it a PIT calibration that sometimes
    fails under TCG and leaves the boot hung (seen here about once in eight boots)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("cpu MHz"):
                    return int(float(line.split(":", 1)[1]) * 1000)
    except (OSError, ValueError):
        pass
    return None


def facts():
    """A dict for the report's header and the JSON."""
    chosen = accel.choose(quiet=True)
    verdict = accel.verdict() if not os.environ.get("SKIFF_ACCEL") else None
    if verdict is not None:
        why = verdict["reason"]
    else:
        why = f"forced by SKIFF_ACCEL={os.environ['SKIFF_ACCEL']}"
    if chosen == "kvm":
        why = f"{why}; the Linux VM runs under KVM too"
    return {
        "accel": chosen,
        "accel_reason": why,
        "qemu": accel.qemu_version(),
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "host_kernel": platform.release(),
        "tsc_khz": tsc_khz(),
    }
