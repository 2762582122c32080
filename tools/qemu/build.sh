#!/bin/sh
# Build skiff's lean qemu-system-x86_64 (microvm, TCG + KVM, static) from Debian's QEMU source.
#
#   tools/qemu/build.sh QEMU_SRC SLIRP_SRC BUILD OUT
#
# QEMU_SRC, SLIRP_SRC: Debian's qemu and libslirp source packages, unpacked with their
# patches (`dpkg-source -x`; tools/deps.sh qemu-lean fetches and pins them); BUILD: a
# scratch folder, emptied first; OUT: where the binary goes. Devices: skiff-microvm.mak.
# libslirp is built here as a static library because Debian ships no libslirp.a; every
# other library comes from Debian's -dev packages.
set -eu
qemu_src=$(cd "$1" && pwd) slirp_src=$(cd "$2" && pwd) build=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$build"
mkdir -p "$build"
build=$(cd "$build" && pwd)

# user networking (-netdev user): libslirp.a, found through its pkg-config file
meson setup --prefix="$build/slirp" --libdir=lib -Ddefault_library=static \
	--buildtype=release "$slirp_src" "$build/slirp-build" >"$build/slirp.log" 2>&1 ||
	{ tail -n 20 "$build/slirp.log" >&2; exit 1; }
ninja -C "$build/slirp-build" install >>"$build/slirp.log" 2>&1 ||
	{ tail -n 20 "$build/slirp.log" >&2; exit 1; }
export PKG_CONFIG_PATH="$build/slirp/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"

# QEMU: everything off (--without-default-features/-devices), then what skiff run uses
cp "$here/skiff-microvm.mak" "$qemu_src/configs/devices/x86_64-softmmu/skiff-microvm.mak"
mkdir -p "$build/qemu"
cd "$build/qemu"
# firmware (qboot's bios-microvm.bin) from Debian's qemu-system-data in /usr/share/qemu: a
# data folder outside the prefix is taken as it is, not relative to the binary's folder
"$qemu_src/configure" --prefix=/usr/lib/skiff-qemu --datadir=/usr/share --static --disable-pie \
	--target-list=x86_64-softmmu --without-default-features --without-default-devices \
	--with-devices-x86_64=skiff-microvm --enable-tcg --enable-kvm \
	--enable-slirp --enable-seccomp --enable-virtfs --enable-attr --enable-cap-ng \
	--disable-docs --disable-tools --disable-guest-agent --disable-user \
	--disable-install-blobs --audio-drv-list= --enable-trace-backends=nop \
	--disable-debug-info
make -j"$(nproc)" qemu-system-x86_64
mkdir -p "$(dirname "$out")"
strip -o "$out.tmp" qemu-system-x86_64
mv "$out.tmp" "$out"
