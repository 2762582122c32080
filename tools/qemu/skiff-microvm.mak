# QEMU devices of skiff's lean qemu-system-x86_64 (tools/qemu/build.sh): microvm and
# what `skiff run` attaches to it, nothing else (pc, q35 and EFI use Debian's QEMU).
CONFIG_MICROVM=y
# Only for the link: without a PC machine, hw/acpi's x86 stub and microvm's ACPI code
# both define pc_madt_cpu_entry (Debian's qemu-system-x86_64-microvm keeps Q35 too).
# Its PCI devices are not built, so skiff run's q35 (virtio-pci) still uses Debian's.
CONFIG_Q35=y
CONFIG_VIRTIO_MMIO=y
CONFIG_VIRTIO_SERIAL=y
CONFIG_VIRTIO_NET=y
CONFIG_VIRTIO_BLK=y
CONFIG_VIRTIO_9P=y
CONFIG_ISA_DEBUG=y
