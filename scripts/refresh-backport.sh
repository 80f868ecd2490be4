#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Developer helper: refresh patches/6.1 from patches/ (the 6.12 series).
# Applies each patch to Debian's linux-source-6.1 with patch(1), which
# accepts the offsets and fuzz git apply refuses, and exports the result.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/backport-6.1
"$top/scripts/deps.sh" unpack linux-source-6.1
rm -rf "$tree"
mkdir -p "$tree"
tar -xf "$top/build/deps/root/usr/src/linux-source-6.1.tar.xz" -C "$tree" --strip-components=1
cd "$tree"
sed -i '/^# Debian packaging/,$d' .gitignore
git init -q
# No background "gc --auto" after the commits below: it would compete
# with the end-to-end boot for the CPUs.
git config gc.auto 0
git add -A
git -c user.name=base -c user.email=base@localhost commit -q -m base
git tag base
while read -r line; do
	p=$(echo "${line%%#*}" | awk '{print $1}')
	[ -n "$p" ] || continue
	for f in $(echo "$line" | sed -n 's/.*# new: //p'); do
		mkdir -p "$(dirname "$f")"
		cp "$top/$f" "$f"
		git add -f "$f"
	done
	if grep -q '^diff --git' "$top/patches/$p"; then
		patch -p1 -s --no-backup-if-mismatch <"$top/patches/$p" || true
		# 6.1's toctree lists x25 after x25-iface: place the entry by hand.
		if [ -f Documentation/networking/index.rst.rej ]; then
			sed -i 's/^   xfrm_device$/   xen-netback-rate\n   xfrm_device/' \
				Documentation/networking/index.rst
			rm Documentation/networking/index.rst.rej
		fi
		# 6.1's build_gops declares pending_idx among its locals: add
		# the packet credit's two locals by hand.
		if [ -f drivers/net/xen-netback/netback.c.rej ] &&
		   grep -q 'RING_IDX idx, first;' drivers/net/xen-netback/netback.c.rej; then
			python3 - <<'PY'
p = 'drivers/net/xen-netback/netback.c'
s = open(p).read()
old = ('\t\tstruct xen_netif_extra_info extras[XEN_NETIF_EXTRA_TYPE_MAX-1];\n'
       '\t\tunsigned int extra_count;\n\t\tu16 pending_idx;\n\t\tRING_IDX idx;\n')
new = ('\t\tstruct xen_netif_extra_info extras[XEN_NETIF_EXTRA_TYPE_MAX-1];\n'
       '\t\tstruct xen_netif_extra_info *gso;\n'
       '\t\tunsigned int extra_count;\n\t\tu16 pending_idx;\n\t\tRING_IDX idx, first;\n')
assert s.count(old) == 1
open(p, 'w').write(s.replace(old, new))
PY
			rm drivers/net/xen-netback/netback.c.rej
		fi
		if [ -n "$(find . -name '*.rej')" ]; then
			echo "refresh-backport: $p left rejects" >&2
			exit 1
		fi
	fi
	git add -A drivers include Documentation 2>/dev/null || true
	awk '/^Subject: /{sub(/^Subject: /, ""); print; s=1; next}
	     s==1 && /^$/ {print; s=2; next}
	     s==2 && /^---$/ {exit}
	     s==2 {print}' "$top/patches/$p" >.git/msg
	author=$(sed -n 's/^From: //p;/^$/q' "$top/patches/$p" | head -n1)
	git commit -q --author="$author" -F .git/msg
done < <(sed -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' "$top/patches/series")
"$top/scripts/export-series.sh" "$tree" base "$top/patches/6.1"
sed -i 's/linux-source-6.12/linux-source-6.1/' "$top/patches/6.1/series"
