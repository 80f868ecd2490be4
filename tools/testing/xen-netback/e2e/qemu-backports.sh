#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch qemu-system-x86 from bookworm-backports into build/deps/qemu-bpo,
# without touching the host's apt sources, and print its qemu-system-x86_64.
#
#   E2E_QEMU=$(tools/testing/xen-netback/e2e/qemu-backports.sh) \
#   E2E_CPU=qemu64,+svm tools/testing/xen-netback/e2e/run.sh
#
# Debian 12's QEMU 7.2 gets CMPXCHG16B's flags wrong under TCG
# (dom0/cx16-flags.c), so the rig's CPU model leaves the instruction out;
# with this QEMU the rig can offer it again.  Its firmware is the host's
# (/usr/share/qemu, from Debian 12's qemu-system-data).  Not used by
# make check: see e2e/README.md, "The platform's CMPXCHG16B".
set -euo pipefail

top=$(cd "$(dirname "$0")/../../../.." && pwd)
dir=${DEPS:-$top/build/deps}/qemu-bpo
bin=$dir/root/usr/bin/qemu-system-x86_64
if [ -x "$bin" ]; then
	echo "$bin"
	exit 0
fi
mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/debs"
cat >"$dir/sources.list" <<LIST
deb http://deb.debian.org/debian bookworm-backports main
LIST
apt_bpo() {
	apt-get -q -o Dir::Etc::SourceList="$dir/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$dir/lists" \
		-o Dir::Cache="$dir/cache" \
		-o APT::Sandbox::User=root "$@"
}
apt_bpo update >&2
(cd "$dir/debs" && apt_bpo download qemu-system-x86 >&2)
dpkg -x "$dir"/debs/qemu-system-x86_*.deb "$dir/root"
missing=$(ldd "$bin" | sed -n 's/^\s*\(\S*\) => not found$/\1/p')
if [ -n "$missing" ]; then
	echo "qemu-backports: $bin needs $missing; apt-get install them" >&2
	exit 1
fi
echo "$bin"
