#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the unpatched xen-netback of Debian's linux-source-6.12 out of tree,
# exactly as build-module.sh builds ours (same headers, compiler, flags):
# the baseline that shows what the series changes, without the difference
# between Debian's in-tree build and an M= build.
#
#   scripts/build-unpatched.sh [OUT]    default build/xen-netback-unpatched.ko
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/xen-netback-unpatched.ko}
tree=$top/build/linux-6.12
src=$top/build/unpatched-6.12

"$top/scripts/prepare-tree.sh" >/dev/null
# The tree's "base" tag is Debian's source before our first patch.
rm -rf "$src"
mkdir -p "$src"
git -C "$tree" archive base drivers/net/xen-netback | tar -x -C "$src"
grep -q CREDIT "$src/drivers/net/xen-netback/common.h" &&
	{ echo "build-unpatched: $src is not the unpatched source" >&2; exit 1; }
"$top/scripts/build-module.sh" "$src" "$out"
