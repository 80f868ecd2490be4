#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the debug dom0 kernel of the debug end-to-end run: the prepared tree
# (Debian's 6.12 source with our series, scripts/prepare-tree.sh) on
# allnoconfig plus tools/testing/xen-netback/debug-kernel/dom0.config:
# Xen PV dom0, lockdep (PROVE_LOCKING, PROVE_RCU), DEBUG_ATOMIC_SLEEP,
# DEBUG_OBJECTS_TIMERS, KFENCE, SLUB debugging and UBSAN (KASAN cannot
# boot a PV dom0: see dom0.config); xen-netback as a module of it, and
# the planted-report module (debug-kernel/plant/).
#
#   scripts/debug-kernel.sh [OUT]      (default build/debug-kernel)
#   DEBUG_KCSAN=1 scripts/debug-kernel.sh  (default build/debug-kernel-kcsan)
#
# DEBUG_KCSAN=1 adds debug-kernel/kcsan.config (the data-race detector) on
# top of dom0.config, in its own output directory.
#
# OUT/out/ holds bzImage, vmlinux, xen-netback.ko, xnb-plant.ko, config.
# debug-kernel/rig-*.patch are applied to this kernel only (never to the
# series): fixes for reports that are not the series' and would switch a
# checker off for the rest of the run (lockdep stops at its first report).
#
# Nothing is done while the tree's content (git tree hash of its HEAD),
# the fragment, the rig patches, the plant module and this script are
# unchanged.  Otherwise OUT/src, a git clone of the tree, is moved to the
# new HEAD (only changed files get new times) and kbuild rebuilds what
# changed in OUT/obj; the first build is a full one (10-13 minutes on 2
# cores).  The kernel never builds in the tree itself: build-module.sh
# leaves objects of Debian's kernel in its drivers/net/xen-netback, which
# an O= build could pick up through VPATH.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux-6.12
dk=$top/tools/testing/xen-netback/debug-kernel
if [ "${DEBUG_KCSAN:-0}" = 1 ]; then
	out=${1:-$top/build/debug-kernel-kcsan}
	mkdir -p "$out"
	frag=$out/fragment.config
	cat "$dk/dom0.config" "$dk/kcsan.config" >"$frag"
else
	out=${1:-$top/build/debug-kernel}
	frag=$dk/dom0.config
fi

"$top/scripts/deps.sh" host make gcc-12 bc flex bison libelf-dev libssl-dev kmod cpio
"$top/scripts/prepare-tree.sh"

key=$( {
	git -C "$tree" rev-parse 'HEAD^{tree}'
	cat "$frag" "$dk"/plant/* "$dk"/rig-*.patch "$0"
	gcc --version | head -n1
} | sha256sum | cut -d' ' -f1)

if [ -f "$out/.key" ] && [ "$(cat "$out/.key")" = "$key" ] &&
	[ -f "$out/out/bzImage" ] && [ -f "$out/out/xen-netback.ko" ] &&
	[ -f "$out/out/xnb-plant.ko" ]; then
	echo "debug-kernel: $out/out is up to date ($key)"
	exit 0
fi

rm -f "$out/.key"
mkdir -p "$out/obj" "$out/out"
if [ ! -d "$out/src/.git" ]; then
	rm -rf "$out/src"
	git clone -q "$tree" "$out/src"
fi
git -C "$out/src" fetch -q "$tree" HEAD
git -C "$out/src" checkout -q -f --detach FETCH_HEAD
for p in "$dk"/rig-*.patch; do
	[ -e "$p" ] || continue
	git -C "$out/src" apply "$p"
	echo "debug-kernel: applied ${p#"$top"/}"
done

start=$SECONDS
make -s -C "$out/src" O="$out/obj" KCONFIG_ALLCONFIG="$frag" allnoconfig
# Every line of the fragment must survive allnoconfig's dependency
# resolution, or the run would boot without a checker it claims.
missing=0
while read -r line; do
	case $line in '' | '#'*) continue ;; esac
	if ! grep -qxF -- "$line" "$out/obj/.config"; then
		echo "debug-kernel: $line did not stick" >&2
		missing=1
	fi
done <"$frag"
[ "$missing" -eq 0 ] || exit 1

make -s -C "$out/src" O="$out/obj" -j"$(nproc)" bzImage modules
cp "$out/obj/arch/x86/boot/bzImage" "$out/out/bzImage"
cp "$out/obj/vmlinux" "$out/out/vmlinux"
cp "$out/obj/drivers/net/xen-netback/xen-netback.ko" "$out/out/xen-netback.ko"
cp "$out/obj/.config" "$out/out/config"

rm -rf "$out/plant"
cp -r "$dk/plant" "$out/plant"
make -s -C "$out/obj" M="$out/plant" -j"$(nproc)" modules
cp "$out/plant/xnb-plant.ko" "$out/out/xnb-plant.ko"

echo "$key" >"$out/.key"
echo "debug-kernel: built in $((SECONDS - start)) s: $out/out"
