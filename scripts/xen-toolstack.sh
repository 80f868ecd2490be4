#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build Xen 4.17.7's libxenlight, libxlutil and xl with the toolstack series
# patches/xen/ applied, and export the series to build/xen-series/.
#
#   scripts/xen-toolstack.sh          unpack, apply, configure, build, export
#   scripts/xen-toolstack.sh series   only export build/xen-series/
#
# The source is the tarball in $XEN_SRC (default ../shared/xen), checked
# against its SHA256SUMS.  The tree is build/xen-4.17.7, one git commit per
# patch (git am), rebuilt from scratch when the tarball or a patch changes.
# Tools only, no hypervisor, stubdom, firmware or docs.  The build
# dependencies are installed with apt-get; Debian's own 4.17 libraries (the
# lower ones xl runs against in the e2e rig, and xenstored for the tests)
# are unpacked into build/deps/root, never installed.
#
# Results: build/xen-4.17.7/tools/xl/xl, .../libs/light/libxenlight.so.4.17.0,
# .../libs/util/libxlutil.so.4.17.0, headers in .../tools/include;
# build/xen-toolstack/lib holds a copy of the two libraries, bin/ xl,
# check-xl-vif-parse and libxl-save-helper.  Run xl with
# LD_LIBRARY_PATH=build/xen-toolstack/lib followed by Debian's 4.17
# libraries for the rest.
#
# JOBS (default: 2, or 1 while a qemu-system process runs).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
src=${XEN_SRC:-$(cd "$top/.." && pwd)/shared/xen}
ver=4.17.7
tarball=$src/xen-$ver.tar.xz
tree=$build/xen-$ver
out=$build/xen-toolstack
series_out=$build/xen-series
pdir=$top/patches/xen

ident=(-c "user.name=Seed cf69423f maintainers"
	-c "user.email=maintainers@users.noreply.h-seed-cf69423f.example")

HOST_PKGS="gcc make git python3 python3-dev pkg-config acpica-tools
	libyajl-dev uuid-dev zlib1g-dev libncurses-dev libzstd-dev liblzma-dev
	libbz2-dev libext2fs-dev libnl-3-dev libnl-route-3-dev bison flex"
# Debian's 4.17 run-time: the libraries below libxenlight and xenstored.
DEB_PKGS="libxen-dev libxenmisc4.17 libxenstore4 libxentoolcore1
	libxentoollog1 libxencall1 libxendevicemodel1 libxenevtchn1
	libxenforeignmemory1 libxengnttab1 libxenhypfs1 libyajl2
	xen-utils-4.17 xenstore-utils"

jobs() {
	if [ -n "${JOBS:-}" ]; then
		echo "$JOBS"
	elif pgrep -f qemu-system >/dev/null; then
		echo 1
	else
		echo 2
	fi
}

export_series() {
	[ -d "$tree/.git" ] || { echo "xen-toolstack: no $tree" >&2; exit 1; }
	rm -rf "$series_out"
	mkdir -p "$series_out"
	git -C "$tree" format-patch -q --no-signature --zero-commit \
		-o "$series_out" "xen-$ver..HEAD"
	[ -f "$pdir/cover-letter.txt" ] &&
		cp "$pdir/cover-letter.txt" "$series_out/0000-cover-letter.txt"
	echo "xen-toolstack: $(ls "$series_out"/*.patch | wc -l) patches in $series_out"
}

if [ "${1:-}" = series ]; then
	export_series
	exit 0
fi

(cd "$src" && sha256sum --quiet -c SHA256SUMS) || {
	echo "xen-toolstack: $tarball does not match $src/SHA256SUMS" >&2
	exit 1
}

missing=
for p in $HOST_PKGS; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
# shellcheck disable=SC2086
[ -z "$missing" ] || "$top/scripts/deps.sh" host $missing
for p in $DEB_PKGS; do
	[ -e "$build/deps/root/.unpacked-$p" ] && continue
	# shellcheck disable=SC2086
	"$top/scripts/deps.sh" unpack $DEB_PKGS
	break
done

# The tree is rebuilt when the tarball or the series changes.
want=$( (sha256sum "$tarball" | cut -d' ' -f1; cat "$pdir"/*.patch) |
	sha256sum | cut -d' ' -f1)
if [ "$(cat "$tree/.xen-toolstack-stamp" 2>/dev/null)" != "$want" ]; then
	echo "xen-toolstack: unpacking $tarball"
	rm -rf "$tree"
	tar -C "$build" -xf "$tarball"
	git -C "$tree" init -q
	git -C "$tree" add -A
	git -C "$tree" "${ident[@]}" commit -q -m "Xen $ver (RELEASE-$ver)"
	git -C "$tree" tag "xen-$ver"
	for p in "$pdir"/[0-9][0-9][0-9][0-9]-*.patch; do
		echo "xen-toolstack: applying $(basename "$p")"
		git -C "$tree" "${ident[@]}" am -q --committer-date-is-author-date "$p"
	done
	echo "$want" >"$tree/.xen-toolstack-stamp"
fi

cd "$tree"
if [ ! -e config.status ] || [ ! -e .configured-ok ]; then
	echo "xen-toolstack: configure (tools only)"
	./configure --disable-xen --disable-stubdom --disable-docs \
		--disable-qemu-traditional --disable-rombios --disable-seabios \
		--disable-ipxe --disable-ovmf --disable-ocamltools \
		--disable-golang --disable-pvshim --disable-systemd \
		--with-system-qemu=/usr/bin/qemu-system-i386 \
		>"$build/xen-configure.log" 2>&1 || {
		tail -n 30 "$build/xen-configure.log"
		exit 1
	}
	touch .configured-ok
fi

j=$(jobs)
echo "xen-toolstack: building libxenlight, libxlutil, xl (-j$j)"
{
	make -C tools/include &&
	make -j"$j" -C tools/libs &&
	make -j"$j" -C tools/xl
} >"$build/xen-build.log" 2>&1 || {
	tail -n 40 "$build/xen-build.log"
	exit 1
}

rm -rf "$out"
mkdir -p "$out/lib" "$out/bin"
cp -a tools/libs/light/libxenlight.so* tools/libs/util/libxlutil.so* \
	"$out/lib/"
rm -f "$out"/lib/*_test.so
cp tools/xl/xl "$out/bin/xl"
cp tools/xl/check-xl-vif-parse "$out/bin/"
# save, restore and migrate run it (the e2e rig's dom0 needs it too).
cp tools/libs/light/libxl-save-helper "$out/bin/"
echo "xen-toolstack: built $out/bin/xl, $out/lib/libxenlight.so.4.17.0," \
	"$out/lib/libxlutil.so.4.17.0"

export_series
