#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the patched xen-netback.ko against the headers of Debian's 6.12
# amd64 kernel (KVER= to choose one, newest by default).
#
#   scripts/build-module.sh [TREE [OUT [BASE]]]   make arguments in KMAKEFLAGS
#
# BASE is 6.12 (default) or 6.1, for Debian's 6.1 kernel and the backport.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
base=${3:-6.12}
tree=$(realpath "${1:-$top/build/linux-$base}")
out=${2:-$top/build/xen-netback.ko}
deps=$top/build/deps

"$top/scripts/deps.sh" host make gcc-12 dwarves bc flex bison libelf-dev kmod
kver=$("$top/scripts/deps.sh" kver "$base")
[ -n "$kver" ] || { echo "build-module: cannot resolve the kernel version" >&2; exit 1; }
# shellcheck disable=SC2046
"$top/scripts/deps.sh" unpack $("$top/scripts/deps.sh" header-pkgs "$kver")
hdr=$deps/root/usr/src/linux-headers-$kver
# Debian's header Makefile includes the -common one by absolute path.
sed -i "s#^include /usr/src/#include $deps/root/usr/src/#" "$hdr/Makefile"

# shellcheck disable=SC2086
make -s -C "$hdr" M="$tree/drivers/net/xen-netback" \
	-j"$(nproc)" ${KMAKEFLAGS:-} modules

ko=$tree/drivers/net/xen-netback/xen-netback.ko
magic=$(modinfo -F vermagic "$ko" | awk '{print $1}')
if [ "$magic" != "$kver" ]; then
	echo "build-module: vermagic $magic, expected $kver" >&2
	exit 1
fi
mkdir -p "$(dirname "$out")"
cp "$ko" "$out"
echo "build-module: $out for $kver"
