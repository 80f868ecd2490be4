#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian packages into build/deps without installing them.
#
#   scripts/deps.sh kver [6.1]      print the newest Debian 6.12 (6.1) amd64 ABI
#   scripts/deps.sh header-pkgs KVER  the packages an M= build against KVER needs
#   scripts/deps.sh fetch PKG...    apt-get download PKG into build/deps/debs
#   scripts/deps.sh unpack PKG...   fetch, then dpkg -x into build/deps/root
#   scripts/deps.sh host PKG...     apt-get install build tools on this host
#
# KVER (e.g. 6.12.117+deb12-amd64) may be set to choose a kernel; it is
# resolved from the archive otherwise, never hard-coded.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
deps=${DEPS:-$top/build/deps}
mkdir -p "$deps/debs" "$deps/root"

apt_updated() {
	local stamp=$deps/.apt-updated
	if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +360)" ]; then
		apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null 2>&1 || apt-get update
		touch "$stamp"
	fi
}

# kver [BASE]: the ABI of Debian's newest amd64 kernel of BASE (6.12 or 6.1)
kver() {
	local base=${1:-6.12} meta
	if [ -n "${KVER:-}" ] && [ "$base" = 6.12 ]; then
		echo "$KVER"
		return
	fi
	apt_updated
	# The meta package depends on the newest ABI; no -rt/-cloud flavours.
	case $base in
	6.12) meta=linux-headers-6.12-amd64 ;;
	6.1) meta=linux-headers-amd64 ;;	# bookworm's default kernel
	*) echo "deps: unknown base $base" >&2; exit 2 ;;
	esac
	apt-cache depends "$meta" 2>/dev/null |
		sed -n "s/.*Depends: linux-headers-\(${base//./\\.}\.[-0-9+a-z]*-amd64\)\$/\1/p" |
		sort -V | tail -n1
}

# header_pkgs KVER: the packages an M= build against KVER needs
header_pkgs() {
	local kver=$1
	apt_updated
	echo "linux-headers-$kver"
	apt-cache depends "linux-headers-$kver" 2>/dev/null |
		sed -n 's/.*Depends: \(linux-headers-.*-common\|linux-kbuild-.*\)$/\1/p'
}

fetch() {
	local p f
	apt_updated
	for p in "$@"; do
		if ls "$deps/debs/${p}_"*.deb >/dev/null 2>&1; then
			continue
		fi
		(cd "$deps/debs" && apt-get download -q "$p" >/dev/null) ||
			{ echo "deps: cannot download $p" >&2; exit 1; }
	done
}

unpack() {
	local p f
	fetch "$@"
	for p in "$@"; do
		[ -e "$deps/root/.unpacked-$p" ] && continue
		for f in "$deps/debs/${p}_"*.deb; do
			dpkg -x "$f" "$deps/root"
		done
		touch "$deps/root/.unpacked-$p"
	done
}

host() {
	local missing=() p
	for p in "$@"; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return
	apt_updated
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
		"${missing[@]}" >/dev/null
}

cmd=${1:-}
shift || true
case "$cmd" in
kver) kver "$@" ;;
header-pkgs) header_pkgs "$@" ;;
fetch) fetch "$@" ;;
unpack) unpack "$@" ;;
host) host "$@" ;;
*) echo "usage: $0 kver|fetch|unpack|host ..." >&2; exit 2 ;;
esac
