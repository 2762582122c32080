#!/bin/sh
# Make a GPT disk image whose one partition, an EFI System Partition (FAT), holds EFI/BOOT/BOOTX64.EFI.
# Usage: mkdisk.sh APP.efi OUT.img   (ESP from sector 2048, at least 6 MiB; disk = ESP + 2 MiB)
set -eu
[ $# -eq 2 ] || { echo "usage: $0 APP.efi OUT.img" >&2; exit 2; }
efi=$1
out=$2
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT INT TERM

[ -f "$efi" ] || { echo "mkdisk: no such file: $efi" >&2; exit 1; }
size=$(stat -c %s "$efi")
esp_mib=$(( (size + 1048575) / 1048576 + 2 ))
[ "$esp_mib" -ge 6 ] || esp_mib=6
rm -f "$tmp"
truncate -s "$((esp_mib + 2))M" "$tmp"
# (sgdisk -q writes nothing: let it talk, show what it said only when it fails.)
quietly() { msg=$("$@" 2>&1) || { printf '%s\n' "$msg" >&2; echo "mkdisk: $1 failed" >&2; exit 1; }; }
quietly sgdisk -n "1:2048:+${esp_mib}M" -t 1:ef00 -c "1:EFI System" "$tmp"
quietly mkfs.vfat --offset=2048 -h 2048 -n SKIFF-ESP --invariant "$tmp" "$((esp_mib * 1024))"
export MTOOLS_SKIP_CHECK=1
mmd -i "$tmp@@1M" ::/EFI ::/EFI/BOOT
mcopy -i "$tmp@@1M" "$efi" ::/EFI/BOOT/BOOTX64.EFI
mv "$tmp" "$out"
trap - EXIT INT TERM
