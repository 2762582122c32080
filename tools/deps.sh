#!/bin/sh
# Install the Debian packages skiff needs (only missing ones); `deps.sh lwip` fetches lwIP's pinned source.
#
#   tools/deps.sh        install missing packages, verify newlib-source's tarball
#   tools/deps.sh lwip   download lwIP's orig tarball into $CACHE/lwip and verify it
#   tools/deps.sh source NAME  download NAME's pinned orig tarball (see SOURCES) into
#                        $CACHE/src/NAME/, verify it, print its path
#   tools/deps.sh linux-vm  fetch the pinned Debian cloud kernel for skiff bench (not installed)
#   tools/deps.sh linux-vm-full  the generic kernel for skiff bench's disk I/O rows (9p, virtio-fs)
#   tools/deps.sh bench  install skiff bench's packages, then linux-vm
#   tools/deps.sh ports  install what the ports' tests need (native lua5.4, sqlite3, tcl, redis-tools)
#   tools/deps.sh fuzz   install clang and its libFuzzer runtime (make fuzz)
#   tools/deps.sh cloud  install what .qcow2/.oci.tar outputs and the libvirt tests need
#   tools/deps.sh qemu-lean  build skiff's lean QEMU (tools/qemu/) into $CACHE, print its path
#
# POSIX sh, idempotent, silent and fast when nothing is missing. Runs as root
# (or with sudo) on Debian 12. apt output goes to $CACHE/deps.log.
set -eu

# Pinned: lwIP 2.1.3 from Debian's source package (the orig tarball is the
# upstream release with generated docs removed).
LWIP_PACKAGE=lwip
LWIP_ORIG=lwip_2.1.3+dfsg1.orig.tar.xz
LWIP_SHA256=0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24

# Pinned: other programs' Debian source packages, one per line:
#   NAME PACKAGE ORIG-TARBALL SHA256   (fetched by `deps.sh source NAME`)
SOURCES="
lua lua5.4 lua5.4_5.4.4.orig.tar.gz 164c7849653b80ae67bec4b7473b884bf5cc8d2dca05653475ec2ed27b9ebf61
sqlite sqlite3 sqlite3_3.40.1.orig.tar.xz aaa776260ab4dc976db34aa7891819484c8676b5b2783123ebc6301e2ca5d655
redis redis redis_7.0.15.orig.tar.gz 4b1dc4ee6d622a09fff9c6777191209750fb5e5a725ef78ea012d6eef4c22982
"

# Pinned: Debian's cloud kernel for `skiff bench`'s Linux VM, taken from the package with
# apt-get download + dpkg-deb -x into $CACHE/linux-vm/<release>/, never installed.
LINUX_VM_PACKAGE=linux-image-6.1.0-50-cloud-amd64
LINUX_VM_VERSION=6.1.176-1
LINUX_VM_SHA256=efe19f605b6f54a8352e68d85a629abb2d30b72a085faef603a9152590baa791
# The disk I/O rows' Linux VM: Debian's generic kernel of the same version (the cloud one
# has no 9p), into $CACHE/linux-vm-full/<release>/ (tools/deps.sh linux-vm-full).
LINUX_VM_FULL_PACKAGE=linux-image-6.1.0-50-amd64
LINUX_VM_FULL_SHA256=7b5597492a0a65aee61985a492e6bcc3f2cde830072a0e3b3d8c7e1b90279bd3
# Pinned: skiff's lean QEMU (tools/qemu/build.sh) is Debian's own qemu source package,
# with Debian's patches, and libslirp's (Debian ships no libslirp.a): the version of
# qemu-system-x86 Debian 12 ships. Each file's sha256: orig tarball, Debian tarball.
QEMU_SRC_VERSION=1:7.2+dfsg-7+deb12u18
QEMU_SRC_FILES="
qemu_7.2+dfsg.orig.tar.xz 91aca71520040edc40b8d437aa3004dae614f58e286cf653ee8996c07af2962f
qemu_7.2+dfsg-7+deb12u18.debian.tar.xz 28a1c86310ee53b6bf1854cffe6f6be6ed29a08db7d05759f8ac57b8d6a6cb2f
"
SLIRP_SRC_VERSION=4.7.0-1
SLIRP_SRC_FILES="
libslirp_4.7.0.orig.tar.bz2 358ce8b6ea59ec9deac937cc754f0115b992839e7b0cddf30ffb8f77dc21da82
libslirp_4.7.0-1.debian.tar.xz dd11e6ddde98443bcfb8dbf9d72d22ef55170e033e0ef4a35177bb731b49cca2
"
# What building it needs (static libraries included: the -dev packages ship them).
QEMU_LEAN_PACKAGES="meson ninja-build pkg-config dpkg-dev libglib2.0-dev libpixman-1-dev
libseccomp-dev libcap-ng-dev libattr1-dev libfdt-dev zlib1g-dev"
# What `skiff bench` runs besides QEMU: static Linux builds, the OCI runtime, the chart.
BENCH_PACKAGES="libc6-dev runc util-linux gnuplot-nox wrk dpkg"
# What the ports (apps/lua, apps/sqlite, apps/redis) need on the host: the native
# programs their tests compare against, and tclsh to make SQLite's amalgamation.
PORTS_PACKAGES="lua5.4 sqlite3 tcl redis-tools"
# make fuzz: clang's libFuzzer and sanitizer runtimes.
FUZZ_PACKAGES="clang libclang-rt-14-dev"
# skiff build -o x.qcow2 / x.oci.tar (qemu-img, umoci, skopeo) and tests/virt's libvirtd.
CLOUD_PACKAGES="qemu-utils umoci skopeo libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients"

PACKAGES="qemu-system-x86 newlib-source xz-utils ovmf gnu-efi mtools dosfstools
gdisk runc wrk gnuplot-nox dpkg-dev iproute2 binutils gcc make python3 libc6-dev"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-$ROOT/build/cache}
LOG=$CACHE/deps.log
APT_ETC=${SKIFF_APT_ETC:-/etc/apt} # overridable to test the deb-src logic

die() {
	echo "deps: $*" >&2
	exit 1
}

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root to run: $*"
	fi
}

# Run an apt command with its output in the log; show the log's tail on failure.
apt_logged() {
	mkdir -p "$CACHE"
	echo "+ $*" >>"$LOG"
	if ! as_root env DEBIAN_FRONTEND=noninteractive "$@" \
		-o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0 </dev/null >>"$LOG" 2>&1; then
		tail -n 20 "$LOG" >&2
		die "'$*' failed (full log: $LOG)"
	fi
}

missing_packages() {
	# shellcheck disable=SC2086 # one dpkg-query for the whole list
	installed=" $(dpkg-query -W -f='${Package} ${Status}\n' $PACKAGES 2>/dev/null |
		awk '$NF == "installed" { printf "%s ", $1 }')"
	for p in $PACKAGES; do
		case "$installed" in
		*" $p "*) ;;
		*) printf '%s ' "$p" ;;
		esac
	done
}

sha256_is() { # FILE SHA256
	[ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

# A make variable's value from mk/config.mk (simple `NAME := value` lines).
config_value() {
	sed -n "s/^$1[[:space:]]*[:?]*=[[:space:]]*//p" "$ROOT/mk/config.mk" | head -n 1
}

verify_newlib() {
	version=$(config_value NEWLIB_VERSION)
	tarball=$(config_value NEWLIB_TARBALL | sed "s/\$(NEWLIB_VERSION)/$version/g")
	sha=$(config_value NEWLIB_SHA256)
	[ -f "$tarball" ] || die "newlib-source is installed but $tarball is missing"
	sha256_is "$tarball" "$sha" ||
		die "$tarball does not match NEWLIB_SHA256 in mk/config.mk ($sha)"
}

# --- deb-src entries: apt-get source needs one for Debian's main archive.

# The first enabled deb822 stanza of type deb in $1, retyped as deb-src
# (URIs, Suites, Components, Signed-By and the rest copied as they are).
deb822_src_stanza() {
	awk 'BEGIN { RS = ""; FS = "\n" }
	{
		deb = 0; on = 1
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^Types:/ && $i ~ /[ \t]deb([ \t]|$)/) deb = 1
			if ($i ~ /^Enabled:[ \t]*(no|false)/) on = 0
		}
		if (!deb || !on) next
		for (i = 1; i <= NF; i++)
			print ($i ~ /^Types:/ ? "Types: deb-src" : $i)
		exit
	}' "$1"
}

# The first one-line `deb ...` entry of a classic sources.list, as deb-src.
classic_src_line() {
	grep -E '^[[:space:]]*deb[[:space:]]' "$1" 2>/dev/null | head -n 1 |
		sed 's/^[[:space:]]*deb[[:space:]]/deb-src /'
}

# Is there a deb-src entry for URI anywhere apt looks?
have_deb_src() {
	for f in "$APT_ETC"/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v uri="$1" 'BEGIN { RS = ""; FS = "\n" }
		{
			src = 0; has = 0
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^Types:/ && $i ~ /[ \t]deb-src([ \t]|$)/) src = 1
				if ($i ~ /^URIs:/ && index($i, uri)) has = 1
			}
			if (src && has) found = 1
		}
		END { exit !found }' "$f" && return 0
	done
	for f in "$APT_ETC"/sources.list "$APT_ETC"/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		grep -E '^[[:space:]]*deb-src[[:space:]]' "$f" | grep -qF "$1" && return 0
	done
	return 1
}

# Add $APT_ETC/sources.list.d/skiff-src.{sources,list} mirroring the main
# Debian entry, unless a deb-src entry for its URI exists. Prints "added" if so.
ensure_deb_src() {
	main822=$APT_ETC/sources.list.d/debian.sources
	if [ -f "$main822" ] && stanza=$(deb822_src_stanza "$main822") && [ -n "$stanza" ]; then
		uri=$(printf '%s\n' "$stanza" | sed -n 's/^URIs:[[:space:]]*//p' | cut -d' ' -f1)
		have_deb_src "$uri" && return 0
		printf '# Added by skiff tools/deps.sh: source packages (lwIP).\n%s\n' "$stanza" |
			as_root tee "$APT_ETC/sources.list.d/skiff-src.sources" >/dev/null
	elif line=$(classic_src_line "$APT_ETC/sources.list") && [ -n "$line" ]; then
		uri=$(printf '%s\n' "$line" | sed 's/\[[^]]*\]//' | awk '{ print $2 }')
		have_deb_src "$uri" && return 0
		printf '# Added by skiff tools/deps.sh: source packages (lwIP).\n%s\n' "$line" |
			as_root tee "$APT_ETC/sources.list.d/skiff-src.list" >/dev/null
	else
		die "no Debian 'deb' entry in $APT_ETC to derive a deb-src entry from"
	fi
	echo added
}

# --- commands

install_missing() {
	need=$(missing_packages)
	if [ -n "$need" ]; then
		echo "deps: installing ${need% }"
		(ensure_deb_src) >/dev/null || echo "deps: warning: no deb-src entry added" >&2
		apt_logged apt-get update -q
		# shellcheck disable=SC2086 # word splitting of the package list is wanted
		apt_logged apt-get install -y -q --no-install-recommends $need
		need=$(missing_packages)
		[ -z "$need" ] || die "still missing after apt-get install: $need (see $LOG)"
	fi
	verify_newlib
}

# apt_get_source DIR SPEC: apt-get source --download-only SPEC (PACKAGE or PACKAGE=VERSION)
# into DIR, once a deb-src entry exists and apt's index knows the package.
apt_get_source() {
	pkg=${2%%=*}
	added=$(ensure_deb_src)
	if [ -n "$added" ] || ! apt-cache showsrc "$pkg" 2>/dev/null | grep -q "^Package: $pkg\$"; then
		apt_logged apt-get update -q
	fi
	mkdir -p "$1"
	(cd "$1" && apt-get source --download-only "$2") >>"$LOG" 2>&1 || {
		tail -n 20 "$LOG" >&2
		die "apt-get source $2 failed (not in the archive any more? update its pin in tools/deps.sh; log: $LOG)"
	}
}

# fetch_orig PACKAGE ORIG SHA256 DIR: apt-get source --download-only PACKAGE into DIR
# unless DIR/ORIG already has SHA256; fail unless it then does.
fetch_orig() {
	sha256_is "$4/$2" "$3" && return 0
	echo "deps: fetching $1 source ($2) into $4" >&2
	mkdir -p "$4"
	rm -f "$4/$2"
	apt_get_source "$4" "$1"
	[ -f "$4/$2" ] || die "apt-get source gave no $2 in $4 (another version?)"
	sha256_is "$4/$2" "$3" || {
		got=$(sha256sum "$4/$2" | cut -d' ' -f1)
		rm -f "$4/$2"
		die "$2 has sha256 $got, want $3"
	}
}

fetch_lwip() {
	fetch_orig "$LWIP_PACKAGE" "$LWIP_ORIG" "$LWIP_SHA256" "$CACHE/lwip"
}

# deps.sh source NAME: fetch a SOURCES entry, print the orig tarball's path.
fetch_source() {
	[ -n "${1:-}" ] || die "source: which one? ($(printf '%s' "$SOURCES" | awk 'NF { printf "%s ", $1 }'))"
	entry=$(printf '%s\n' "$SOURCES" | awk -v n="$1" '$1 == n')
	[ -n "$entry" ] || die "source: no pinned source '$1' ($(printf '%s' "$SOURCES" | awk 'NF { printf "%s ", $1 }'))"
	set -- $entry
	fetch_orig "$2" "$3" "$4" "$CACHE/src/$1"
	echo "$CACHE/src/$1/$3"
}

# --- skiff bench

# Unpack the pinned kernel package into $CACHE/linux-vm/<release>/ (boot/vmlinuz-*,
# lib/modules/); print that folder. The .deb's sha256 is checked before dpkg-deb -x.
fetch_linux_vm() {
	release=${LINUX_VM_PACKAGE#linux-image-}
	dir=$CACHE/${LINUX_VM_DIR:-linux-vm}/$release
	if [ -f "$dir/boot/vmlinuz-$release" ]; then
		echo "$dir"
		return 0
	fi
	deb=${LINUX_VM_PACKAGE}_${LINUX_VM_VERSION}_amd64.deb
	echo "deps: fetching $LINUX_VM_PACKAGE $LINUX_VM_VERSION into $dir" >&2
	mkdir -p "$CACHE/${LINUX_VM_DIR:-linux-vm}"
	tmp=$(mktemp -d "$CACHE/${LINUX_VM_DIR:-linux-vm}/.fetch.XXXXXX")
	if ! (cd "$tmp" && apt-get download "$LINUX_VM_PACKAGE=$LINUX_VM_VERSION") >>"$LOG" 2>&1; then
		apt_logged apt-get update -q
		(cd "$tmp" && apt-get download "$LINUX_VM_PACKAGE=$LINUX_VM_VERSION") >>"$LOG" 2>&1 || {
			rm -rf "$tmp"
			die "apt-get download $LINUX_VM_PACKAGE=$LINUX_VM_VERSION failed (not in the archive any more? update the pin in tools/deps.sh; log: $LOG)"
		}
	fi
	sha256_is "$tmp/$deb" "$LINUX_VM_SHA256" || {
		got=$(sha256sum "$tmp/$deb" | cut -d' ' -f1)
		rm -rf "$tmp"
		die "$deb has sha256 $got, want $LINUX_VM_SHA256"
	}
	dpkg-deb -x "$tmp/$deb" "$tmp/root" || {
		rm -rf "$tmp"
		die "dpkg-deb -x $deb failed"
	}
	rm -rf "$dir"
	mv "$tmp/root" "$dir"
	rm -rf "$tmp"
	[ -f "$dir/boot/vmlinuz-$release" ] || die "$deb holds no boot/vmlinuz-$release"
	echo "$dir"
}

# install_list "P1 P2 ...": install the missing ones of these packages.
install_list() {
	PACKAGES=$1
	need=$(missing_packages)
	if [ -n "$need" ]; then
		echo "deps: installing ${need% }" >&2
		apt_logged apt-get update -q
		# shellcheck disable=SC2086 # word splitting of the package list is wanted
		apt_logged apt-get install -y -q --no-install-recommends $need
		need=$(missing_packages)
		[ -z "$need" ] || die "still missing after apt-get install: $need (see $LOG)"
	fi
}

# --- the lean QEMU

# unpack_source PACKAGE VERSION FILES DIR: apt-get source PACKAGE=VERSION into DIR (its
# tarballs checked against FILES' sha256 first), unpacked with Debian's patches to DIR/src.
unpack_source() {
	ok=1
	for f in $(printf '%s\n' "$3" | awk 'NF { print $1 "=" $2 }'); do
		sha256_is "$4/${f%%=*}" "${f#*=}" || ok=0
	done
	[ -n "$(find "$4" -maxdepth 1 -name '*.dsc' 2>/dev/null)" ] || ok=0
	if [ $ok = 0 ]; then
		echo "deps: fetching $1 $2 source into $4" >&2
		rm -rf "$4"
		apt_get_source "$4" "$1=$2"
		for f in $(printf '%s\n' "$3" | awk 'NF { print $1 "=" $2 }'); do
			sha256_is "$4/${f%%=*}" "${f#*=}" || {
				rm -rf "$4"
				die "$1 source: ${f%%=*} is missing or does not match its sha256 (${f#*=})"
			}
		done
	fi
	if [ ! -f "$4/src/.unpacked" ]; then
		rm -rf "$4/src"
		(cd "$4" && dpkg-source -x ./*.dsc src) >>"$LOG" 2>&1 || {
			tail -n 20 "$LOG" >&2
			die "dpkg-source -x of $1 failed (log: $LOG)"
		}
		touch "$4/src/.unpacked"
	fi
}

# The binary in $CACHE/qemu-lean-KEY/, KEY hashing the pins and tools/qemu/; built when
# missing (about 10 minutes on 2 cores). Prints its path.
build_qemu_lean() {
	key=$( (echo "$QEMU_SRC_VERSION $SLIRP_SRC_VERSION"; cat "$ROOT"/tools/qemu/*) |
		sha256sum | cut -c1-12)
	out=$CACHE/qemu-lean-$key/qemu-system-x86_64
	if [ ! -x "$out" ]; then
		install_list "$QEMU_LEAN_PACKAGES"
		unpack_source qemu "$QEMU_SRC_VERSION" "$QEMU_SRC_FILES" "$CACHE/src/qemu"
		unpack_source libslirp "$SLIRP_SRC_VERSION" "$SLIRP_SRC_FILES" "$CACHE/src/libslirp"
		echo "deps: building the lean QEMU into $CACHE/qemu-lean-$key (log: $CACHE/qemu-lean-$key/build.log)" >&2
		rm -rf "$CACHE"/qemu-lean-*
		mkdir -p "$CACHE/qemu-lean-$key"
		"$ROOT/tools/qemu/build.sh" "$CACHE/src/qemu/src" "$CACHE/src/libslirp/src" \
			"$CACHE/qemu-lean-build" "$out" >"$CACHE/qemu-lean-$key/build.log" 2>&1 || {
			tail -n 30 "$CACHE/qemu-lean-$key/build.log" >&2
			die "the lean QEMU did not build (log: $CACHE/qemu-lean-$key/build.log)"
		}
		# the unpacked trees (about 300 MB) go too; the checked tarballs stay
		rm -rf "$CACHE/qemu-lean-build" "$CACHE/src/qemu/src" "$CACHE/src/libslirp/src"
	fi
	echo "$out"
}

install_bench() {
	install_list "$BENCH_PACKAGES"
	fetch_linux_vm
}

case "${1:-install}" in
install) install_missing ;;
lwip) fetch_lwip ;;
source) fetch_source "${2:-}" ;;
linux-vm) fetch_linux_vm ;;
linux-vm-full)
	LINUX_VM_PACKAGE=$LINUX_VM_FULL_PACKAGE LINUX_VM_SHA256=$LINUX_VM_FULL_SHA256 \
		LINUX_VM_DIR=linux-vm-full fetch_linux_vm
	;;
bench) install_bench ;;
ports) install_list "$PORTS_PACKAGES" ;;
fuzz) install_list "$FUZZ_PACKAGES" ;;
cloud) install_list "$CLOUD_PACKAGES" ;;
qemu-lean) build_qemu_lean ;;
-h | --help) sed -n '2,13s/^# \{0,1\}//p' "$0" ;;
*) die "unknown command '$1' (try: install, lwip, source, linux-vm, bench, ports, fuzz, cloud, qemu-lean)" ;;
esac
