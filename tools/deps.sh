#!/bin/sh
# Install the Debian packages skiff needs (only missing ones); `deps.sh lwip` fetches lwIP's pinned source.
#
#   tools/deps.sh        install missing packages, verify newlib-source's tarball
#   tools/deps.sh lwip   download lwIP's orig tarball into $CACHE/lwip and verify it
#   tools/deps.sh linux-vm  fetch the pinned Debian cloud kernel for skiff bench (not installed)
#   tools/deps.sh bench  install skiff bench's packages, then linux-vm
#
# POSIX sh, idempotent, silent and fast when nothing is missing. Runs as root
# (or with sudo) on Debian 12. apt output goes to $CACHE/deps.log.
set -eu

# Pinned: lwIP 2.1.3 from Debian's source package (the orig tarball is the
# upstream release with generated docs removed).
LWIP_PACKAGE=lwip
LWIP_ORIG=lwip_2.1.3+dfsg1.orig.tar.xz
LWIP_SHA256=0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24

# Pinned: Debian's cloud kernel for `skiff bench`'s Linux VM, taken from the package with
# apt-get download + dpkg-deb -x into $CACHE/linux-vm/<release>/, never installed.
LINUX_VM_PACKAGE=linux-image-6.1.0-50-cloud-amd64
LINUX_VM_VERSION=6.1.176-1
LINUX_VM_SHA256=efe19f605b6f54a8352e68d85a629abb2d30b72a085faef603a9152590baa791
# What `skiff bench` runs besides QEMU: static Linux builds, the OCI runtime, the chart.
BENCH_PACKAGES="libc6-dev runc util-linux gnuplot-nox wrk dpkg"

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

fetch_lwip() {
	dir=$CACHE/lwip
	sha256_is "$dir/$LWIP_ORIG" "$LWIP_SHA256" && return 0
	echo "deps: fetching lwIP source ($LWIP_ORIG) into $dir"
	added=$(ensure_deb_src)
	if [ -n "$added" ] || ! apt-cache showsrc "$LWIP_PACKAGE" 2>/dev/null | grep -q "^Package: $LWIP_PACKAGE\$"; then
		apt_logged apt-get update -q
	fi
	mkdir -p "$dir"
	rm -f "$dir/$LWIP_ORIG"
	(cd "$dir" && apt-get source --download-only "$LWIP_PACKAGE") >>"$LOG" 2>&1 || {
		tail -n 20 "$LOG" >&2
		die "apt-get source $LWIP_PACKAGE failed (full log: $LOG)"
	}
	[ -f "$dir/$LWIP_ORIG" ] || die "apt-get source gave no $LWIP_ORIG in $dir (another version?)"
	sha256_is "$dir/$LWIP_ORIG" "$LWIP_SHA256" || {
		got=$(sha256sum "$dir/$LWIP_ORIG" | cut -d' ' -f1)
		rm -f "$dir/$LWIP_ORIG"
		die "$LWIP_ORIG has sha256 $got, want $LWIP_SHA256"
	}
}

# --- skiff bench

# Unpack the pinned kernel package into $CACHE/linux-vm/<release>/ (boot/vmlinuz-*,
# lib/modules/); print that folder. The .deb's sha256 is checked before dpkg-deb -x.
fetch_linux_vm() {
	release=${LINUX_VM_PACKAGE#linux-image-}
	dir=$CACHE/linux-vm/$release
	if [ -f "$dir/boot/vmlinuz-$release" ]; then
		echo "$dir"
		return 0
	fi
	deb=${LINUX_VM_PACKAGE}_${LINUX_VM_VERSION}_amd64.deb
	echo "deps: fetching $LINUX_VM_PACKAGE $LINUX_VM_VERSION into $dir" >&2
	mkdir -p "$CACHE/linux-vm"
	tmp=$(mktemp -d "$CACHE/linux-vm/.fetch.XXXXXX")
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

install_bench() {
	PACKAGES=$BENCH_PACKAGES
	need=$(missing_packages)
	if [ -n "$need" ]; then
		echo "deps: installing ${need% }" >&2
		apt_logged apt-get update -q
		# shellcheck disable=SC2086 # word splitting of the package list is wanted
		apt_logged apt-get install -y -q --no-install-recommends $need
		need=$(missing_packages)
		[ -z "$need" ] || die "still missing after apt-get install: $need (see $LOG)"
	fi
	fetch_linux_vm
}

case "${1:-install}" in
install) install_missing ;;
lwip) fetch_lwip ;;
linux-vm) fetch_linux_vm ;;
bench) install_bench ;;
-h | --help) sed -n '2,10s/^# \{0,1\}//p' "$0" ;;
*) die "unknown command '$1' (try: install, lwip, linux-vm, bench)" ;;
esac
