#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make the DKMS source directory of the patched xen-netback:
#
#   scripts/dkms-src.sh [TREE [OUTDIR]]      VERSION= to set the version
#
# Writes OUTDIR/xen-netback-rate-VERSION/ (OUTDIR defaults to build/dkms)
# with dkms.conf, Kbuild and the sources of TREE/drivers/net/xen-netback/
# (TREE defaults to build/linux-6.12, prepared by scripts/prepare-tree.sh),
# and prints its path.  The operator then runs, as root:
#
#   dkms add build/dkms/xen-netback-rate-VERSION
#   dkms build xen-netback-rate/VERSION
#   dkms install xen-netback-rate/VERSION
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:-$top/build/linux-6.12}
outdir=${2:-$top/build/dkms}
version=${VERSION:-1.0}
src=$tree/drivers/net/xen-netback

case $version in
''|*[!A-Za-z0-9.+~-]*)
	echo "dkms-src: bad VERSION \"$version\"" >&2; exit 2 ;;
esac
[ -f "$src/credit.h" ] && grep -q '"rate-packets"' "$src/xenbus.c" || {
	echo "dkms-src: $src is not the patched xen-netback (run scripts/prepare-tree.sh)" >&2
	exit 1
}
cmp -s "$src/credit.h" "$top/drivers/net/xen-netback/credit.h" || {
	echo "dkms-src: $src/credit.h differs from the repository's: prepare the tree again" >&2
	exit 1
}

dir=$outdir/xen-netback-rate-$version
rm -rf "$dir"
mkdir -p "$dir"
# The module's sources: what drivers/net/xen-netback/Makefile builds, and
# the headers; not the KUnit suite.
for f in common.h credit.h credit.c hash.c interface.c netback.c rx.c xenbus.c; do
	cp "$src/$f" "$dir/$f"
done
cp "$top/dkms/Kbuild" "$dir/Kbuild"
sed "s/@VERSION@/$version/g" "$top/dkms/dkms.conf" >"$dir/dkms.conf"
sed "s/@VERSION@/$version/g" "$top/dkms/xen-netback-rate-version.c" \
	>"$dir/xen-netback-rate-version.c"
# Every object Kbuild names has its source.
for o in $(sed -n 's/\\$//; /^xen-netback-y/,/^$/p' "$dir/Kbuild" | tr ' \t' '\n\n' | grep '\.o$'); do
	[ -f "$dir/${o%.o}.c" ] || { echo "dkms-src: no source for $o" >&2; exit 1; }
done
echo "$dir"
