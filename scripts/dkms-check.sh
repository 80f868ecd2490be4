#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prove the DKMS package of the patched xen-netback on this build host,
# without installing kernel headers and without touching /var/lib/dkms,
# /usr/src or /lib/modules:
#
#   scripts/dkms-check.sh [TREE]          KVER= to choose the kernel
#
# 1. scripts/dkms-src.sh makes the DKMS source directory from TREE
#    (build/linux-6.12 by default).
# 2. dkms add and dkms build with private trees (--dkmstree, --sourcetree,
#    --installtree) against Debian's unpacked 6.12 headers
#    (--kernelsourcedir build/deps/root/usr/src/linux-headers-KVER).
# 3. The built module: vermagic is KVER, modinfo shows it, the packet
#    credit is compiled in, BTF is there.
# 4. dkms install --no-depmod into a private copy of the stock kernel's
#    module directory (the stock xen-netback.ko.xz of Debian's image
#    package), depmod -b on it: xen-netback resolves to updates/dkms/.
#    dkms remove: it resolves to the stock module again.
# 5. /var/lib/dkms, /usr/src and /lib/modules of the host are unchanged.
# Ends with "dkms: N passed, N failed"; non-zero exit if anything failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:-$top/build/linux-6.12}
deps=$top/build/deps
work=$top/build/dkms-check
version=${VERSION:-1.0}
pkg=xen-netback-rate
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "PASS: $*"; }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }
finish() {
	echo "dkms: $pass passed, $fail failed"
	[ $fail -eq 0 ]
	exit
}

snapshot() {
	find /var/lib/dkms /usr/src /lib/modules -printf '%p %s %T@ %l\n' \
		2>/dev/null | sort | sha1sum
}

# dkms from Debian, and what a module build needs (as build-module.sh).
"$top/scripts/deps.sh" host dkms kmod xz-utils make gcc-12 dwarves bc \
	flex bison libelf-dev ||
	{ ko "cannot install dkms and the build tools"; finish; }
echo "using $(dkms --version)"

kver=$("$top/scripts/deps.sh" kver)
[ -n "$kver" ] || { ko "cannot resolve the kernel version"; finish; }
abi=${kver%-amd64}
"$top/scripts/deps.sh" unpack "linux-headers-$kver" \
	"linux-headers-$abi-common" "linux-kbuild-$abi" \
	"linux-image-$kver-unsigned" ||
	{ ko "cannot unpack the headers and image of $kver"; finish; }
hdr=$deps/root/usr/src/linux-headers-$kver
# Debian's header Makefile includes the -common one by absolute path.
sed -i "s#^include /usr/src/#include $deps/root/usr/src/#" "$hdr/Makefile"
stock=$deps/root/lib/modules/$kver

before=$(snapshot)
rm -rf "$work"
mkdir -p "$work/src" "$work/dkms" "$work/usr-src" "$work/root/lib/modules"
dkms_priv=(--dkmstree "$work/dkms" --sourcetree "$work/usr-src"
	   --installtree "$work/root/lib/modules")

# 1. The source directory.
if srcdir=$(VERSION=$version "$top/scripts/dkms-src.sh" "$tree" "$work/src"); then
	ok "dkms-src.sh: ${srcdir#"$top"/}"
else
	ko "dkms-src.sh"
	finish
fi

# 2. dkms add, dkms build.
if dkms add "${dkms_priv[@]}" "$srcdir" >"$work/add.log" 2>&1 &&
   [ -f "$work/dkms/$pkg/$version/source/dkms.conf" ]; then
	ok "dkms add (private trees)"
else
	ko "dkms add"
	cat "$work/add.log"
	finish
fi

echo "dkms build of $pkg/$version for $kver (a few minutes)..."
if dkms build "${dkms_priv[@]}" -m "$pkg" -v "$version" -k "$kver" \
	--kernelsourcedir "$hdr" >"$work/build.log" 2>&1; then
	ok "dkms build -k $kver --kernelsourcedir ${hdr#"$top"/}"
else
	ko "dkms build"
	cat "$work/build.log"
	tail -n 40 "$work/dkms/$pkg/$version/build/make.log" 2>/dev/null
	finish
fi
grep -i 'sign' "$work/build.log" | sed 's/^/  dkms: /'
# dkms keeps the build's log beside the module.
log=$(find "$work/dkms/$pkg/$version/$kver" -name make.log | head -n1)
if [ -n "$log" ] && cp "$log" "$work/make.log" &&
   ! grep -q -i 'warning:\|error:' "$work/make.log"; then
	ok "make.log of the build has no warning"
else
	ko "make.log missing or with warnings"
	grep -i 'warning:\|error:' "$work/make.log" 2>/dev/null
fi

# 3. The built module.
ko_file=$(find "$work/dkms/$pkg/$version/$kver" -name 'xen-netback.ko*' | head -n1)
if [ -z "$ko_file" ]; then
	ko "no xen-netback.ko under $work/dkms/$pkg/$version/$kver"
	finish
fi
echo "module: ${ko_file#"$top"/}"
magic=$(modinfo -F vermagic "$ko_file" | awk '{print $1}')
if [ "$magic" = "$kver" ]; then
	ok "vermagic $magic"
else
	ko "vermagic \"$magic\", expected $kver"
fi
if modinfo "$ko_file" >"$work/modinfo.txt" 2>&1 &&
   grep -q '^name: *xen_netback$' "$work/modinfo.txt" &&
   grep -q "^version: *$version-rate$" "$work/modinfo.txt" &&
   grep -q '^alias: *xen-backend:vif$' "$work/modinfo.txt"; then
	ok "modinfo: name xen_netback, version $version-rate, alias xen-backend:vif"
else
	ko "modinfo"
	cat "$work/modinfo.txt"
fi
# The packet credit: the feature flag, the key's watch and the counters.
strs=$(xz -dcf "$ko_file" | strings)
if grep -qx 'feature-rate-packets' <<<"$strs" &&
   grep -q '%s/rate-packets' <<<"$strs" &&
   grep -qx 'tx_credit_held_packets' <<<"$strs"; then
	ok "packet credit compiled in (feature-rate-packets, rate-packets watch, counters)"
else
	ko "packet credit missing from the module"
fi
# Not "readelf | grep -q" under pipefail: grep quits at the match and
# readelf, still writing, dies of SIGPIPE, failing the pipeline at random.
if xz -dcf "$ko_file" >"$work/module.ko" &&
   sections=$(readelf -S "$work/module.ko") &&
   grep -q ' \.BTF ' <<<"$sections"; then
	ok "module has BTF"
else
	ko "no .BTF section (is pahole installed?)"
fi

# 4. Install over a private copy of the stock module directory.
inst=$work/root/lib/modules/$kver
if [ -f "$stock/kernel/drivers/net/xen-netback/xen-netback.ko.xz" ]; then
	mkdir -p "$inst/kernel/drivers/net/xen-netback"
	cp "$stock/kernel/drivers/net/xen-netback/xen-netback.ko.xz" \
		"$inst/kernel/drivers/net/xen-netback/"
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		[ -f "$stock/$f" ] && cp "$stock/$f" "$inst/"
	done
	resolve() {
		depmod -b "$work/root" "$kver" 2>>"$work/depmod.log" &&
			modinfo -b "$work/root" -k "$kver" -F filename xen-netback
	}
	was=$(resolve)
	echo "stock: ${was#"$work"/}"
	if dkms install "${dkms_priv[@]}" --no-depmod -m "$pkg" -v "$version" \
		-k "$kver" --kernelsourcedir "$hdr" >"$work/install.log" 2>&1 &&
	   now=$(resolve) && [[ $now == */updates/dkms/xen-netback.ko* ]]; then
		ok "dkms install: xen-netback resolves to ${now#"$work"/root}"
	else
		ko "dkms install (xen-netback resolves to ${now:-nothing})"
		cat "$work/install.log"
	fi
	if dkms remove "${dkms_priv[@]}" --no-depmod -m "$pkg" -v "$version" \
		-k "$kver" >"$work/remove.log" 2>&1 &&
	   now=$(resolve) && [ "$now" = "$was" ]; then
		ok "dkms remove: xen-netback resolves to the stock ${now#"$work"/root}"
	else
		ko "dkms remove (xen-netback resolves to ${now:-nothing})"
		cat "$work/remove.log"
	fi
else
	ko "no stock xen-netback.ko.xz in $stock: install/remove not checked"
fi

# 5. Nothing of the host's was touched.
after=$(snapshot)
if [ "$before" = "$after" ]; then
	ok "/var/lib/dkms, /usr/src and /lib/modules unchanged"
else
	ko "/var/lib/dkms, /usr/src or /lib/modules changed"
fi

finish
